import BinlogFormat
import MySQLWire

/// Where `--apply` runs undo statements: a server connection, or a fake in tests.
public protocol UndoExecutor {
    /// Runs one statement and returns the number of rows it changed.
    func execute(_ sql: String) async throws -> UInt64
    /// Runs a `SELECT` and returns its first row as (column, text) pairs (`nil` text for NULL), or `nil`.
    func firstRow(_ sql: String) async throws -> [ConflictValue]?
}

/// ``UndoExecutor`` over a ``MySQLConnection``.
public struct ConnectionUndoExecutor: UndoExecutor {
    public let connection: MySQLConnection

    public init(connection: MySQLConnection) {
        self.connection = connection
    }

    public func execute(_ sql: String) async throws -> UInt64 {
        try await self.connection.query(sql).last?.affectedRows ?? 0
    }

    public func firstRow(_ sql: String) async throws -> [ConflictValue]? {
        guard let row = try await self.connection.rows(sql).first else { return nil }
        return row.indices.map { index in
            let cell = row[index]
            // Binary strings, BLOBs, BIT and GEOMETRY as hex (as `mysql --binary-as-hex`), text as it is.
            let isBinary =
                cell.column.type == .bit || cell.column.type == .geometry
                || (cell.column.characterSet == 63
                    && [ColumnType.varchar, .varString, .string, .blob, .tinyBlob, .mediumBlob, .longBlob]
                        .contains(cell.column.type))
            let text = cell.byteArray.map { bytes in
                let utf8 = isBinary ? nil : String(validating: bytes, as: UTF8.self)
                return utf8 ?? "0x" + bytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
            }
            return ConflictValue(column: cell.column.name, value: text)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
