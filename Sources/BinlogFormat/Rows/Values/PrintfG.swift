/// C's `%.{P}g` for doubles, without `printf`: the exact decimal expansion of the binary value, rounded to
/// `P` significant digits (ties to even, as glibc does in the default rounding mode), then printed in fixed
/// notation when the exponent X satisfies -4 ≤ X < P and as `d.ddde±XX` otherwise, trailing zeros removed.
///
/// mariadb-binlog prints DOUBLE with `%.20g` and FLOAT with `%-20g`; glibc's `printf` needs about a
/// microsecond per value for that, this about a tenth of it.
enum PrintfG {
    /// 5^13, the largest power of five below 2^32.
    private static let fivePower13: UInt32 = 1_220_703_125

    /// Appends `value` as `printf("%.{precision}g")` would, left-aligned in at least `width` characters.
    static func append<Output: ByteOutput & ~Copyable>(
        _ value: Double, precision: Int, width: Int = 0, to output: inout Output
    ) {
        let start = output.count
        Self.appendUnpadded(value, precision: max(precision, 1), to: &output)
        let written = output.count - start
        if written < width { output.appendRepeating(UInt8(ascii: " "), count: width - written) }
    }

    private static func appendUnpadded<Output: ByteOutput & ~Copyable>(
        _ value: Double, precision: Int, to output: inout Output
    ) {
        if value.sign == .minus { output.append(UInt8(ascii: "-")) }
        if value.isNaN {
            output.append(UInt8(ascii: "n"))
            output.append(UInt8(ascii: "a"))
            output.append(UInt8(ascii: "n"))
            return
        }
        if value.isInfinite {
            output.append(UInt8(ascii: "i"))
            output.append(UInt8(ascii: "n"))
            output.append(UInt8(ascii: "f"))
            return
        }
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        let bits = value.bitPattern
        let exponentField = Int((bits >> 52) & 0x7FF)
        let fraction = bits & ((1 << 52) - 1)
        let mantissa = exponentField == 0 ? fraction : fraction | (1 << 52)
        let binaryExponent = (exponentField == 0 ? 1 : exponentField) - 1075  // value = mantissa × 2^binaryExponent

        if Self.appendWithMachineIntegers(
            mantissa: mantissa,
            binaryExponent: binaryExponent,
            precision: precision,
            to: &output
        ) {
            return
        }
        // Digits of the integer N and the decimal point position: value = N × 10^(-fractionDigits).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 96) { limbs in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 864) { digits in
                var count = 2
                limbs[0] = UInt32(truncatingIfNeeded: mantissa)
                limbs[1] = UInt32(truncatingIfNeeded: mantissa >> 32)
                var fractionDigits = 0
                if binaryExponent >= 0 {
                    Self.shiftLeft(limbs, count: &count, by: binaryExponent)
                } else {
                    // m / 2^s = m × 5^s / 10^s
                    var remaining = -binaryExponent
                    fractionDigits = remaining
                    while remaining >= 13 {
                        Self.multiply(limbs, count: &count, by: Self.fivePower13)
                        remaining -= 13
                    }
                    if remaining > 0 {
                        var factor: UInt32 = 1
                        for _ in 0..<remaining { factor &*= 5 }
                        Self.multiply(limbs, count: &count, by: factor)
                    }
                }
                let digitCount = Self.decimalDigits(limbs, count: count, into: digits)
                let exponent10 = digitCount - fractionDigits - 1  // value = d.ddd × 10^exponent10
                Self.format(
                    digits: UnsafeMutableBufferPointer(rebasing: digits[0..<digitCount]),
                    exponent: exponent10,
                    precision: precision,
                    to: &output
                )
            }
        }
    }

    /// The common case without big integers: values whose integer part fits in 64 bits and whose fraction has
    /// at most 60 bits (2^-8 ≤ |value| < 2^64 for normal doubles). The fraction's digits come one at a time
    /// from multiplying by ten; digits past `precision + 1` only matter through whether they are all zero,
    /// which a final 1 stands for.
    private static func appendWithMachineIntegers<Output: ByteOutput & ~Copyable>(
        mantissa: UInt64,
        binaryExponent: Int,
        precision: Int,
        to output: inout Output
    ) -> Bool {
        guard binaryExponent >= -60, binaryExponent <= 11, precision <= 40 else { return false }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { digits in
            let shift = max(-binaryExponent, 0)
            let mask: UInt64 = (1 << UInt64(shift)) &- 1
            let integer = binaryExponent >= 0 ? mantissa << UInt64(binaryExponent) : mantissa >> UInt64(shift)
            var fraction = binaryExponent >= 0 ? 0 : mantissa & mask
            var count = 0
            var exponent: Int
            if integer > 0 {
                var rest = integer
                while rest > 0 {
                    digits[count] = UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                    count += 1
                }
                // Written least significant first: reverse.
                var low = 0
                var high = count - 1
                while low < high {
                    digits.swapAt(low, high)
                    low += 1
                    high -= 1
                }
                exponent = count - 1
            } else {
                exponent = -1
                while true {
                    fraction &*= 10
                    let digit = fraction >> UInt64(shift)
                    fraction &= mask
                    if digit != 0 {
                        digits[0] = UInt8(truncatingIfNeeded: digit)
                        count = 1
                        break
                    }
                    exponent -= 1
                }
            }
            while count <= precision && fraction != 0 {
                fraction &*= 10
                digits[count] = UInt8(truncatingIfNeeded: fraction >> UInt64(shift))
                fraction &= mask
                count += 1
            }
            if fraction != 0 {
                digits[count] = 1
                count += 1
            }
            Self.format(
                digits: UnsafeMutableBufferPointer(rebasing: digits[0..<count]),
                exponent: exponent,
                precision: precision,
                to: &output
            )
        }
        return true
    }

    /// Rounds the exact digits to `precision` significant digits and prints them in `%g` style.
    private static func format<Output: ByteOutput & ~Copyable>(
        digits: UnsafeMutableBufferPointer<UInt8>,
        exponent: Int,
        precision: Int,
        to output: inout Output
    ) {
        var exponent = exponent
        var kept = min(digits.count, precision)
        if digits.count > precision {
            let next = digits[precision]
            var roundUp = next > 5
            if next == 5 {
                var tail = false
                for index in (precision + 1)..<digits.count where digits[index] != 0 {
                    tail = true
                    break
                }
                roundUp = tail || digits[precision - 1] % 2 == 1
            }
            if roundUp {
                var index = precision - 1
                while index >= 0 {
                    if digits[index] == 9 {
                        digits[index] = 0
                        index -= 1
                    } else {
                        digits[index] += 1
                        break
                    }
                }
                if index < 0 {  // 99…9 became 100…0
                    digits[0] = 1
                    exponent += 1
                }
            }
        }
        // Trailing zeros never print (no `#` flag).
        while kept > 1 && digits[kept - 1] == 0 { kept -= 1 }
        let zero = UInt8(ascii: "0")
        if exponent < -4 || exponent >= precision {
            output.append(digits[0] + zero)
            if kept > 1 {
                output.append(UInt8(ascii: "."))
                for index in 1..<kept { output.append(digits[index] + zero) }
            }
            output.append(UInt8(ascii: "e"))
            output.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            TextBytes.appendUnsigned(UInt64(exponent.magnitude), width: 2, to: &output)
        } else if exponent >= 0 {
            for index in 0...exponent { output.append(index < kept ? digits[index] + zero : zero) }
            if kept > exponent + 1 {
                output.append(UInt8(ascii: "."))
                for index in (exponent + 1)..<kept { output.append(digits[index] + zero) }
            }
        } else {
            output.append(zero)
            output.append(UInt8(ascii: "."))
            for _ in 0..<(-exponent - 1) { output.append(zero) }
            for index in 0..<kept { output.append(digits[index] + zero) }
        }
    }

    private static func multiply(_ limbs: UnsafeMutableBufferPointer<UInt32>, count: inout Int, by factor: UInt32) {
        var carry: UInt64 = 0
        for index in 0..<count {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 {
            limbs[count] = UInt32(truncatingIfNeeded: carry)
            count += 1
        }
    }

    private static func shiftLeft(_ limbs: UnsafeMutableBufferPointer<UInt32>, count: inout Int, by shift: Int) {
        let limbShift = shift / 32
        let bitShift = UInt32(shift % 32)
        if bitShift > 0 {
            var carry: UInt32 = 0
            for index in 0..<count {
                let limb = limbs[index]
                limbs[index] = limb << bitShift | carry
                carry = limb >> (32 - bitShift)
            }
            if carry != 0 {
                limbs[count] = carry
                count += 1
            }
        }
        if limbShift > 0 {
            for index in stride(from: count - 1, through: 0, by: -1) { limbs[index + limbShift] = limbs[index] }
            for index in 0..<limbShift { limbs[index] = 0 }
            count += limbShift
        }
    }

    /// Writes the decimal digits (values 0...9, most significant first) of the number; returns how many.
    /// Destroys the limbs.
    private static func decimalDigits(
        _ limbs: UnsafeMutableBufferPointer<UInt32>,
        count: Int,
        into digits: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var count = count
        while count > 0 && limbs[count - 1] == 0 { count -= 1 }
        // Chunks of 9 digits, least significant first, at the end of the digit buffer.
        var position = digits.count
        while count > 0 {
            var remainder: UInt64 = 0
            for index in stride(from: count - 1, through: 0, by: -1) {
                let current = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(truncatingIfNeeded: current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            while count > 0 && limbs[count - 1] == 0 { count -= 1 }
            for _ in 0..<9 {
                position -= 1
                digits[position] = UInt8(truncatingIfNeeded: remainder % 10)
                remainder /= 10
            }
        }
        while position < digits.count - 1 && digits[position] == 0 { position += 1 }
        let length = digits.count - position
        for index in 0..<length { digits[index] = digits[position + index] }
        return length
    }
}
