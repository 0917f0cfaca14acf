import NIOCore

// MySQL's serialization library (8.3+, used by GTID_TAGGED_LOG_EVENT and tagged PREVIOUS_GTIDS): integers of
// 1 to 9 bytes whose first byte's run of trailing one-bits says how many bytes follow.
extension ByteBuffer {
    /// A variable-length unsigned integer of the MySQL serialization library.
    package mutating func readSerializedVarlenUInt(field: StaticString) throws -> UInt64 {
        guard let first = self.getInteger(at: self.readerIndex, as: UInt8.self) else {
            throw BinlogDecodingError.truncated(field, needed: 1, available: 0, file: #fileID, line: #line)
        }
        let byteCount = first.trailingZeroBitCount == 0 ? (~first).trailingZeroBitCount + 1 : 1
        if byteCount >= 9 {
            try self.skip(1, field: field)
            return try self.readLittleEndian(UInt64.self, field: field)
        }
        let raw = try self.readLittleEndianUInt(byteCount: byteCount, field: field)
        return raw >> UInt64(byteCount)
    }

    /// A zig-zag signed integer of the MySQL serialization library.
    package mutating func readSerializedVarlenInt(field: StaticString) throws -> Int64 {
        let raw = try self.readSerializedVarlenUInt(field: field)
        let magnitude = Int64(bitPattern: raw >> 1)
        return raw & 1 == 0 ? magnitude : -magnitude - 1
    }
}
