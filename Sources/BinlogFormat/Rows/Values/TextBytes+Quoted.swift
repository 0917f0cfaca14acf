extension TextBytes {
    /// `'…'` with bytes below 0x20 as `\xNN` and every other byte (quotes and backslashes included) as is,
    /// as mariadb-binlog prints strings. Runs without control bytes are copied whole, found eight bytes at a time.
    static func appendQuoted<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeRawBufferPointer, to output: inout Output) {
        output.append(UInt8(ascii: "'"))
        let count = bytes.count
        var start = 0
        var index = 0
        while index < count {
            if count &- index >= 8 {
                // Whether any of the eight bytes is below 0x20 (exact for "any", for thresholds up to 0x80).
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 == 0 {
                    index &+= 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x20 {
                output.appendBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                Self.appendHexEscape(byte, to: &output)
                start = index &+ 1
            }
            index &+= 1
        }
        output.appendBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<count]))
        output.append(UInt8(ascii: "'"))
    }

    /// The eight bits of `byte`, most significant first, as `0`/`1`.
    @inline(__always)
    static func appendBits<Output: ByteOutput & ~Copyable>(_ byte: UInt8, to output: inout Output) {
        for shift in stride(from: 7, through: 0, by: -1) {
            output.append((byte >> UInt8(shift)) & 1 == 0 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
        }
    }
}
