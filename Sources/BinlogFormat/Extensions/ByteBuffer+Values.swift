import NIOCore

// Read helpers for row values: length-prefixed payloads whose prefix width comes from the column metadata.
extension ByteBuffer {
    /// A payload preceded by a little-endian length of `lengthByteCount` (1...4) bytes, as a slice (no copy).
    package mutating func readLengthPrefixedSlice(
        lengthByteCount: Int,
        field: StaticString,
        file: String = #fileID,
        line: Int = #line
    ) throws -> ByteBuffer {
        guard (1...4).contains(lengthByteCount) else {
            throw BinlogDecodingError.malformed(
                field,
                reason: "length prefix of \(lengthByteCount) bytes is not 1...4",
                file: file,
                line: line
            )
        }
        let length = try self.readLittleEndianUInt(byteCount: lengthByteCount, field: field, file: file, line: line)
        // At most 2^32 - 1, which fits in Int on every 64-bit platform this package supports.
        return try self.readSlice(length: Int(length), field: field, file: file, line: line)
    }

    /// A payload preceded by a little-endian length of `lengthByteCount` (1...4) bytes, copied out.
    package mutating func readLengthPrefixedBytes(
        lengthByteCount: Int,
        field: StaticString,
        file: String = #fileID,
        line: Int = #line
    ) throws -> [UInt8] {
        let slice = try self.readLengthPrefixedSlice(
            lengthByteCount: lengthByteCount, field: field, file: file, line: line)
        return Array(slice.readableBytesView)
    }

    /// Binary JSON's variable-length integer: 7 bits per byte, least significant group first, high bit = more.
    ///
    /// At most 5 bytes (a `UInt32`), as `json_binary.cc` writes it.
    package mutating func readJSONVariableLength(
        field: StaticString,
        file: String = #fileID,
        line: Int = #line
    ) throws -> Int {
        var value: UInt64 = 0
        for index in 0..<5 {
            let byte = try self.readLittleEndian(UInt8.self, field: field, file: file, line: line)
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 {
                guard value <= UInt64(UInt32.max) else { break }
                return Int(value)
            }
        }
        throw BinlogDecodingError.malformed(
            field,
            reason: "variable-length integer is too long",
            file: file,
            line: line
        )
    }
}
