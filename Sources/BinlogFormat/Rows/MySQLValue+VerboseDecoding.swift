import NIOCore

extension MySQLValue {
    /// Decodes one non-NULL value of `column` and appends its verbose text, as
    /// `decode(column, from: &buffer).appendVerboseText(to: &output, column: column)` would, but without
    /// building the value for the common types: strings and BLOBs are quoted straight from the row image,
    /// numbers and dates are printed from their bytes (no allocation per value).
    ///
    /// - Parameters:
    ///   - column: The column's TABLE_MAP description.
    ///   - buffer: The row image, positioned at the value; advanced past it.
    ///   - output: Where the text goes (mariadb-binlog's exact bytes, see ``appendVerboseText(to:column:)``).
    /// - Throws: ``BinlogDecodingError`` as ``decode(_:from:)`` does; `output` may then hold a partial value.
    package static func appendVerboseText<Output: ByteOutput & ~Copyable>(
        decoding column: ColumnDescriptor,
        from buffer: inout ByteBuffer,
        to output: inout Output
    ) throws {
        let plan = VerboseColumn(column)
        guard plan.kind != .general else {
            try Self.decode(column, from: &buffer).appendVerboseText(to: &output, column: column)
            return
        }
        let consumed = try buffer.withUnsafeReadableBytes { raw in
            var bytes = RowBytes(raw)
            try plan.print(from: &bytes, to: &output)
            return bytes.offset
        }
        buffer.moveReaderIndex(forwardBy: consumed)
    }
}
