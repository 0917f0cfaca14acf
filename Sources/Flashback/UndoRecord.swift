/// How the undo is kept in the ``SpillFile``: not the statements themselves but where their rows are.
///
///     rows:   file (4) │ position (8) │ size (4) │ table (4) │ inner (4)     (integers little-endian; see
///             ``UndoRowsReference``)
///     header: the ``UndoTransactionHeader`` (see ``encode(_:)-(UndoTransactionHeader)``)
enum UndoRecord {
    /// A row event whose rows are undone (``UndoRowsReference``).
    static let rowsKind: UInt8 = 1
    /// Written after the row events of a finished transaction; read first when reading backwards.
    static let headerKind: UInt8 = 2
    /// Written after the row events of a transaction that is not undone after all (rolled back, incomplete).
    static let discardKind: UInt8 = 3

    static func encode(_ rows: UndoRowsReference) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        Self.appendInteger(rows.file, to: &bytes)
        Self.appendInteger(rows.position, to: &bytes)
        Self.appendInteger(rows.size, to: &bytes)
        Self.appendInteger(rows.table, to: &bytes)
        Self.appendInteger(rows.inner, to: &bytes)
        return bytes
    }

    static func decodeRows(_ bytes: UnsafeRawBufferPointer) throws -> UndoRowsReference {
        guard bytes.count == 24 else { throw Self.damaged() }
        return UndoRowsReference(
            file: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian,
            position: bytes.loadUnaligned(fromByteOffset: 4, as: UInt64.self).littleEndian,
            size: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian,
            table: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian,
            inner: bytes.loadUnaligned(fromByteOffset: 20, as: UInt32.self).littleEndian)
    }

    private static func appendInteger<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// header: has GTID (1) │ GTID │ file │ start (8) │ end (8) │ timestamp (8) │ statements (8) │
    ///         skipped table count (8), names │ key note count (8), notes   (strings as fields, integers LE)
    static func encode(_ header: UndoTransactionHeader) -> [UInt8] {
        var bytes: [UInt8] = [header.gtid == nil ? 0 : 1]
        Self.appendField(Array((header.gtid ?? "").utf8), to: &bytes)
        Self.appendField(Array(header.file.utf8), to: &bytes)
        for number in [header.startPosition, header.endPosition, UInt64(header.timestamp), UInt64(header.statements)] {
            Self.appendNumber(number, to: &bytes)
        }
        for list in [header.skippedTables, header.keyNotes] {
            Self.appendNumber(UInt64(list.count), to: &bytes)
            for text in list { Self.appendField(Array(text.utf8), to: &bytes) }
        }
        return bytes
    }

    static func decodeHeader(_ raw: UnsafeRawBufferPointer) throws -> UndoTransactionHeader {
        let bytes = Array(raw)
        guard let flag = bytes.first else { throw Self.damaged() }
        var offset = 1
        let gtid = String(decoding: try Self.readField(bytes, &offset), as: UTF8.self)
        let file = String(decoding: try Self.readField(bytes, &offset), as: UTF8.self)
        let start = try Self.readNumber(bytes, &offset)
        let end = try Self.readNumber(bytes, &offset)
        let timestamp = try Self.readNumber(bytes, &offset)
        let statements = try Self.readNumber(bytes, &offset)
        var lists: [[String]] = []
        for _ in 0..<2 {
            let count = try Self.readNumber(bytes, &offset)
            guard count <= UInt64(bytes.count) else { throw Self.damaged() }
            var list: [String] = []
            for _ in 0..<count { list.append(String(decoding: try Self.readField(bytes, &offset), as: UTF8.self)) }
            lists.append(list)
        }
        return UndoTransactionHeader(
            gtid: flag == 0 ? nil : gtid, file: file, startPosition: start, endPosition: end,
            timestamp: UInt32(truncatingIfNeeded: timestamp), statements: Int(truncatingIfNeeded: statements),
            skippedTables: lists[0], keyNotes: lists[1])
    }

    private static func appendNumber(_ number: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func readNumber(_ bytes: [UInt8], _ offset: inout Int) throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Self.damaged() }
        var number: UInt64 = 0
        for index in 0..<8 { number |= UInt64(bytes[offset + index]) << (8 * index) }
        offset += 8
        return number
    }

    private static func appendField(_ field: [UInt8], to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: field.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: field)
    }

    private static func readField(_ bytes: [UInt8], _ offset: inout Int) throws -> [UInt8] {
        guard offset + 4 <= bytes.count else { throw Self.damaged() }
        let length =
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3])
            << 24
        offset += 4
        guard offset + length <= bytes.count else { throw Self.damaged() }
        defer { offset += length }
        return Array(bytes[offset..<(offset + length)])
    }

    private static func damaged() -> FlashbackError {
        FlashbackError(code: .input, reason: "the temporary undo file is damaged")
    }
}
