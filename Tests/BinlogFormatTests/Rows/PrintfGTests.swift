import Testing

@testable import BinlogFormat

/// ``PrintfG`` against glibc's `printf` (the oracle mariadb-binlog uses) on edge values and many random bit patterns.
@Suite struct PrintfGTests {
    private static func ours(_ value: Double, _ precision: Int, width: Int = 0) -> String {
        var output: [UInt8] = []
        PrintfG.append(value, precision: precision, width: width, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func libc(_ value: Double, _ format: String) -> String {
        var output: [UInt8] = []
        TextBytes.appendPrintf(format, value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static let edgeValues: [Double] = [
        0, -0.0, 1, -1, 0.1, -1.1, 0.5, 1.5, 2.5, 1e-4, 1e-5, 9.99995e-5, 123456, 1_234_567, 999999.5, 9_999_995,
        1e20, 1e21, 1e22, 99999999999999999999.0, 1.7976931348623157e308, 2.2250738585072014e-308,
        4.9406564584124654e-324, 1e-300, 3.4028234663852886e38, 1.1754943508222875e-38, 0.3, 2.0 / 3.0,
        123_456_789_012_345_678, 41152.333333333336, 0.000012345, .infinity, -.infinity, 5e-324, 1.0000000000000002,
        Double(Float(1.1)), Double(Float(-1.1)), Double(Float(3.4e38)), 12345.678710937500,
    ]

    @Test(arguments: Self.edgeValues)
    func edgeValuesMatchGlibc(value: Double) {
        #expect(Self.ours(value, 20) == Self.libc(value, "%.20g"))
        #expect(Self.ours(value, 6, width: 20) == Self.libc(value, "%-20g"))
        #expect(Self.ours(value, 17) == Self.libc(value, "%.17g"))
    }

    @Test func randomBitPatternsMatchGlibc() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var mismatches: [String] = []
        for round in 0..<40_000 {
            // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let value: Double
            switch round % 4 {
            case 0: value = Double(bitPattern: z)
            case 1: value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: z)))
            case 2: value = Double(Int64(bitPattern: z) % 100_000_000) / Double(z % 997 + 1)  // ordinary magnitudes
            default:
                // Binary exponents around the 64-bit fast path's edges (2^-9 ... 2^65).
                let exponent = UInt64(1023 - 9 + Int(z % 75))
                value = Double(bitPattern: (z & 0x800F_FFFF_FFFF_FFFF) | exponent << 52)
            }
            guard value.isFinite else { continue }
            if Self.ours(value, 20) != Self.libc(value, "%.20g") { mismatches.append("\(value.bitPattern) %.20g") }
            if Self.ours(value, 6, width: 20) != Self.libc(value, "%-20g") {
                mismatches.append("\(value.bitPattern) %-20g")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
