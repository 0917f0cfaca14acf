import Foundation

/// What a backup (`DIR/<id>`, written by `rewind backup`) tells a timeline: each table's `CREATE TABLE` and its row
/// count when the backup was taken.
///
/// Reads `manifest.json`: `tables[]` with `database`, `table`, `rows` and `schema_file` (a path relative to the
/// backup directory holding the `SHOW CREATE TABLE` text followed by `;`).
public struct BackupSchema: Sendable {
    public var directory: String
    public var schema: SchemaTracker
    public var rowCounts: [QualifiedTable: Int]

    private struct Manifest: Decodable {
        struct Table: Decodable {
            var database: String
            var table: String
            var rows: Int?
            var schemaFile: String?

            enum CodingKeys: String, CodingKey {
                case database, table, rows
                case schemaFile = "schema_file"
            }
        }
        var tables: [Table]
    }

    /// Loads the backup in `directory`.
    ///
    /// - Throws: ``RecoveryError`` naming the file when the manifest or a schema file is missing or unreadable.
    public init(directory: String) throws {
        self.directory = directory
        let manifestPath = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw RecoveryError(
                reason: "no manifest.json here: --backup takes a backup's directory (DIR/<id>, with manifest.json)",
                path: directory
            )
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw RecoveryError(reason: "not a backup manifest (\(Self.describe(error)))", path: manifestPath)
        }
        var schema = SchemaTracker()
        var rowCounts: [QualifiedTable: Int] = [:]
        for table in manifest.tables {
            let name = QualifiedTable(database: table.database, table: table.table)
            if let rows = table.rows { rowCounts[name] = rows }
            guard let file = table.schemaFile else { continue }
            let path = file.hasPrefix("/") ? file : directory + "/" + file
            guard let text = FileManager.default.contents(atPath: path) else {
                throw RecoveryError(
                    reason: "the schema file of \(name) is missing (manifest.json names it)",
                    path: path
                )
            }
            guard schema.seed(createTable: Array(text), database: table.database) else {
                throw RecoveryError(reason: "the schema file of \(name) holds no CREATE TABLE with columns", path: path)
            }
        }
        self.schema = schema
        self.rowCounts = rowCounts
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "no \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted:
            return "not JSON"
        default:
            return "\(error)"
        }
    }
}
