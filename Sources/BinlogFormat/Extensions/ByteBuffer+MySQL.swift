import NIOCore

// All binlog reads go through these helpers: little-endian, bounds-checked, throwing with the field name.
extension ByteBuffer {
    /// A little-endian fixed-width integer.
    package mutating func readLittleEndian<I: FixedWidthInteger>(
        _: I.Type, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> I {
        guard let value = self.readInteger(endianness: .little, as: I.self) else {
            throw BinlogDecodingError.truncated(
                field, needed: MemoryLayout<I>.size, available: self.readableBytes, file: file, line: line)
        }
        return value
    }

    /// A big-endian fixed-width integer (DECIMAL, temporal and some MariaDB fields are big-endian).
    package mutating func readBigEndian<I: FixedWidthInteger>(
        _: I.Type, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> I {
        guard let value = self.readInteger(endianness: .big, as: I.self) else {
            throw BinlogDecodingError.truncated(
                field, needed: MemoryLayout<I>.size, available: self.readableBytes, file: file, line: line)
        }
        return value
    }

    /// An unsigned little-endian integer of `byteCount` (1...8) bytes.
    package mutating func readLittleEndianUInt(
        byteCount: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> UInt64 {
        guard byteCount >= 0, byteCount <= 8, self.readableBytes >= byteCount else {
            throw BinlogDecodingError.truncated(
                field, needed: byteCount, available: self.readableBytes, file: file, line: line)
        }
        var value: UInt64 = 0
        self.withUnsafeReadableBytes { raw in
            for index in 0..<byteCount { value |= UInt64(raw[index]) << (8 * UInt64(index)) }
        }
        self.moveReaderIndex(forwardBy: byteCount)
        return value
    }

    /// An unsigned big-endian integer of `byteCount` (1...8) bytes.
    package mutating func readBigEndianUInt(
        byteCount: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> UInt64 {
        guard byteCount >= 0, byteCount <= 8, self.readableBytes >= byteCount else {
            throw BinlogDecodingError.truncated(
                field, needed: byteCount, available: self.readableBytes, file: file, line: line)
        }
        var value: UInt64 = 0
        self.withUnsafeReadableBytes { raw in
            for index in 0..<byteCount { value = value << 8 | UInt64(raw[index]) }
        }
        self.moveReaderIndex(forwardBy: byteCount)
        return value
    }

    /// A length-encoded integer; `nil` for the NULL marker `0xFB`.
    package mutating func readLengthEncodedInteger(
        field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> UInt64? {
        switch try self.readLittleEndian(UInt8.self, field: field, file: file, line: line) {
        case let byte where byte < 0xFB: return UInt64(byte)
        case 0xFB: return nil
        case 0xFC: return UInt64(try self.readLittleEndian(UInt16.self, field: field, file: file, line: line))
        case 0xFD: return try self.readLittleEndianUInt(byteCount: 3, field: field, file: file, line: line)
        case 0xFE: return try self.readLittleEndian(UInt64.self, field: field, file: file, line: line)
        default:
            throw BinlogDecodingError.malformed(field, reason: "0xFF is not a length prefix", file: file, line: line)
        }
    }

    /// A length-encoded integer that must not be NULL and must fit in `Int`.
    package mutating func readLengthEncodedLength(
        field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        guard let value = try self.readLengthEncodedInteger(field: field, file: file, line: line) else {
            throw BinlogDecodingError.malformed(field, reason: "unexpected NULL length", file: file, line: line)
        }
        guard value <= UInt64(Int32.max) else {
            throw BinlogDecodingError.malformed(field, reason: "length \(value) is too large", file: file, line: line)
        }
        return Int(value)
    }

    /// Exactly `length` bytes as a slice (no copy).
    package mutating func readSlice(
        length: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> ByteBuffer {
        guard length >= 0, let slice = self.readSlice(length: length) else {
            throw BinlogDecodingError.truncated(
                field, needed: length, available: self.readableBytes, file: file, line: line)
        }
        return slice
    }

    /// Exactly `length` bytes, copied out.
    package mutating func readBytes(
        length: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> [UInt8] {
        guard length >= 0, let bytes = self.readBytes(length: length) else {
            throw BinlogDecodingError.truncated(
                field, needed: length, available: self.readableBytes, file: file, line: line)
        }
        return bytes
    }

    /// `length` bytes that must be UTF-8 (identifiers, file names, server version). Throws on invalid UTF-8.
    package mutating func readUTF8String(
        length: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> String {
        let bytes = try self.readBytes(length: length, field: field, file: file, line: line)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw BinlogDecodingError.malformed(field, reason: "not valid UTF-8", file: file, line: line)
        }
        return string
    }

    /// A string with a one-byte length prefix.
    package mutating func readLengthPrefixedUTF8(
        field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> String {
        let length = Int(try self.readLittleEndian(UInt8.self, field: field, file: file, line: line))
        return try self.readUTF8String(length: length, field: field, file: file, line: line)
    }

    /// Bytes of a length-encoded string.
    package mutating func readLengthEncodedBytes(
        field: StaticString, file: String = #fileID, line: Int = #line
    ) throws -> [UInt8] {
        let length = try self.readLengthEncodedLength(field: field, file: file, line: line)
        return try self.readBytes(length: length, field: field, file: file, line: line)
    }

    /// Skips `count` bytes, throwing if they are not there.
    package mutating func skip(
        _ count: Int, field: StaticString, file: String = #fileID, line: Int = #line
    ) throws {
        guard count >= 0, self.readableBytes >= count else {
            throw BinlogDecodingError.truncated(
                field, needed: count, available: self.readableBytes, file: file, line: line)
        }
        self.moveReaderIndex(forwardBy: count)
    }
}
