/// Standard base64 (RFC 4648, with padding): the one encoder (`BINLOG '…'` statements, binary values in JSON).
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func append(_ input: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + (input.count + 2) / 3 * 4)
        Self.encode(input, to: &output)
    }

    /// Appends to an output that hands its bytes on as it goes (a huge value in `show --format json -v`).
    package static func append(_ input: UnsafeRawBufferPointer, to output: inout FlushingTextBuffer) {
        Self.encode(input, to: &output)
    }

    @inline(__always)
    private static func encode<Output: ByteOutput & ~Copyable>(
        _ input: UnsafeRawBufferPointer, to output: inout Output
    ) {
        let table = Self.alphabet
        var index = 0
        let count = input.count
        while index + 3 <= count {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(table[Int(value >> 18)])
            output.append(table[Int((value >> 12) & 63)])
            output.append(table[Int((value >> 6) & 63)])
            output.append(table[Int(value & 63)])
            index += 3
        }
        let rest = count - index
        if rest == 1 {
            let value = UInt32(input[index]) << 16
            output.append(table[Int(value >> 18)])
            output.append(table[Int((value >> 12) & 63)])
            output.append(0x3D)
            output.append(0x3D)
        } else if rest == 2 {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(table[Int(value >> 18)])
            output.append(table[Int((value >> 12) & 63)])
            output.append(table[Int((value >> 6) & 63)])
            output.append(0x3D)
        }
    }

    /// `bytes` as base64 text.
    package static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        bytes.withUnsafeBytes { Self.append($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}
