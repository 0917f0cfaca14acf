import Foundation

/// How undo statements and transaction headers are kept in the ``SpillFile``.
///
///     statement: kind (1) │ sql │ table │ key │ lookup      (each: length (4, little-endian), bytes)
///     header:    the ``UndoTransactionHeader`` as JSON
enum UndoRecord {
    static let statementKind: UInt8 = 1
    /// Written after the statements of a finished transaction; read first when reading backwards.
    static let headerKind: UInt8 = 2
    /// Written after the statements of a transaction that is not undone after all (rolled back, incomplete).
    static let discardKind: UInt8 = 3

    static func encode(_ statement: UndoStatement) -> [UInt8] {
        var bytes: [UInt8] = [statement.kind.rawValue]
        bytes.reserveCapacity(1 + 16 + statement.sql.count + statement.lookup.count + 64)
        Self.appendField(statement.sql, to: &bytes)
        Self.appendField(Array(statement.table.utf8), to: &bytes)
        Self.appendField(Array(statement.key.utf8), to: &bytes)
        Self.appendField(statement.lookup, to: &bytes)
        return bytes
    }

    static func decodeStatement(_ bytes: [UInt8]) throws -> UndoStatement {
        guard let first = bytes.first, let kind = UndoStatement.Kind(rawValue: first) else { throw Self.damaged() }
        var offset = 1
        let sql = try Self.readField(bytes, &offset)
        let table = try Self.readField(bytes, &offset)
        let key = try Self.readField(bytes, &offset)
        let lookup = try Self.readField(bytes, &offset)
        return UndoStatement(
            kind: kind, sql: sql, table: String(decoding: table, as: UTF8.self), key: String(decoding: key, as: UTF8.self),
            lookup: lookup)
    }

    static func encode(_ header: UndoTransactionHeader) throws -> [UInt8] {
        Array(try JSONEncoder().encode(header))
    }

    static func decodeHeader(_ bytes: [UInt8]) throws -> UndoTransactionHeader {
        try JSONDecoder().decode(UndoTransactionHeader.self, from: Data(bytes))
    }

    private static func appendField(_ field: [UInt8], to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: field.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: field)
    }

    private static func readField(_ bytes: [UInt8], _ offset: inout Int) throws -> [UInt8] {
        guard offset + 4 <= bytes.count else { throw Self.damaged() }
        let length =
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
        offset += 4
        guard offset + length <= bytes.count else { throw Self.damaged() }
        defer { offset += length }
        return Array(bytes[offset..<(offset + length)])
    }

    private static func damaged() -> FlashbackError {
        FlashbackError(code: .input, reason: "the temporary undo file is damaged")
    }
}
