/// Standard base64 (RFC 4648, with padding), appended to a byte array: the text of a `BINLOG '…'` statement.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func append(_ input: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let table = Self.alphabet
        output.reserveCapacity(output.count + (input.count + 2) / 3 * 4)
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
}
