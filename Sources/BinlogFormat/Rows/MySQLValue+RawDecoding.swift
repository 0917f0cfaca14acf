import NIOCore

extension MySQLValue {
    /// Decodes the non-NULL value of `column` whose bytes, as a row image holds them, are exactly `raw` (a
    /// ``RawRowImage/Slot``'s range): the slow path of renderers that work on the bytes, for the rare types.
    ///
    /// - Throws: ``BinlogDecodingError`` as ``decode(_:from:)``, and `.malformed` when bytes are left over.
    package static func decode(_ column: ColumnDescriptor, raw: UnsafeRawBufferPointer) throws -> MySQLValue {
        var buffer = ByteBuffer(bytes: raw)
        let value = try Self.decode(column, from: &buffer)
        guard buffer.readableBytes == 0 else {
            throw BinlogDecodingError.malformed(
                "value",
                reason: "\(buffer.readableBytes) bytes left over after the value"
            )
        }
        return value
    }
}
