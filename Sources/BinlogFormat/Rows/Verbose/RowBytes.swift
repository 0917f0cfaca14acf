/// A bounds-checked reader over the bytes of row images, for the loops that walk millions of values
/// (`binlog show -v`, row counting): every read checks the bytes are there and throws
/// ``BinlogDecodingError/Code/truncated`` with the field name otherwise, like the `ByteBuffer` helpers, but
/// without reference counting or exclusivity checks per read.
struct RowBytes {
    let raw: UnsafeRawBufferPointer
    /// `raw.count`, kept: the optimizer has left `UnsafeRawBufferPointer.count` as a call into the runtime
    /// in the value loops (32 calls in `VerboseColumn.print`), where every read asks for ``remaining``.
    private let count: Int
    /// Bytes read so far.
    private(set) var offset: Int

    init(_ raw: UnsafeRawBufferPointer, offset: Int = 0) {
        self.raw = raw
        self.count = raw.count
        self.offset = offset
    }

    var remaining: Int { self.count &- self.offset }

    @inline(__always)
    private func check(_ count: Int, field: StaticString, line: Int = #line) throws {
        guard count >= 0, count <= self.remaining else {
            throw BinlogDecodingError.truncated(
                field,
                needed: count,
                available: self.remaining,
                file: #fileID,
                line: line
            )
        }
    }

    /// The next `count` bytes.
    @inline(__always)
    mutating func take(_ count: Int, field: StaticString) throws -> UnsafeRawBufferPointer {
        try self.check(count, field: field)
        let start = self.offset
        self.offset &+= count
        return UnsafeRawBufferPointer(rebasing: self.raw[start..<(start &+ count)])
    }

    /// Skips `count` bytes.
    @inline(__always)
    mutating func skip(_ count: Int, field: StaticString) throws {
        try self.check(count, field: field)
        self.offset &+= count
    }

    /// An unsigned little-endian integer of `count` (1...8) bytes.
    @inline(__always)
    mutating func littleEndian(_ count: Int, field: StaticString) throws -> UInt64 {
        guard count >= 1, count <= 8 else {
            throw BinlogDecodingError.malformed(field, reason: "an integer of \(count) bytes is not 1...8")
        }
        try self.check(count, field: field)
        let start = self.offset
        self.offset &+= count
        switch count {
        case 1: return UInt64(self.raw[start])
        case 2: return UInt64(UInt16(littleEndian: self.raw.loadUnaligned(fromByteOffset: start, as: UInt16.self)))
        case 4: return UInt64(UInt32(littleEndian: self.raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        case 8: return UInt64(littleEndian: self.raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        default:
            var value: UInt64 = 0
            for index in 0..<count { value |= UInt64(self.raw[start &+ index]) << (8 &* UInt64(index)) }
            return value
        }
    }

    /// An unsigned big-endian integer of `count` (1...8) bytes.
    @inline(__always)
    mutating func bigEndian(_ count: Int, field: StaticString) throws -> UInt64 {
        guard count >= 1, count <= 8 else {
            throw BinlogDecodingError.malformed(field, reason: "an integer of \(count) bytes is not 1...8")
        }
        try self.check(count, field: field)
        let start = self.offset
        self.offset &+= count
        switch count {
        case 1: return UInt64(self.raw[start])
        case 2: return UInt64(UInt16(bigEndian: self.raw.loadUnaligned(fromByteOffset: start, as: UInt16.self)))
        case 4: return UInt64(UInt32(bigEndian: self.raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        default:
            var value: UInt64 = 0
            for index in 0..<count { value = value << 8 | UInt64(self.raw[start &+ index]) }
            return value
        }
    }

    /// A length-encoded integer (`value_options` of partial updates); `nil` for the NULL marker `0xFB`.
    mutating func lengthEncoded(field: StaticString) throws -> UInt64? {
        let first = try self.littleEndian(1, field: field)
        switch first {
        case 0..<0xFB: return first
        case 0xFB: return nil
        case 0xFC: return try self.littleEndian(2, field: field)
        case 0xFD: return try self.littleEndian(3, field: field)
        case 0xFE: return try self.littleEndian(8, field: field)
        default:
            throw BinlogDecodingError.malformed(field, reason: "0x\(String(first, radix: 16)) is not a length prefix")
        }
    }
}
