import BackupStorage
import Foundation

/// What a backup (`DIR/<id>` or `s3://bucket/prefix/<id>`, written by `rewind backup`) tells a timeline: each table's `CREATE TABLE` and its row
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

    /// Loads the backup in `store` (its manifest and table schema files, never its data).
    ///
    /// - Throws: ``RecoveryError`` naming the file when the manifest or a schema file is missing or unreadable.
    public init(store: any BackupStore) async throws {
        self.directory = store.location
        let manifestPath = store.location(of: "manifest.json")
        guard let data = try await Self.read("manifest.json", from: store) else {
            throw RecoveryError(
                reason: "no manifest.json here: --backup takes a backup (DIR/<id> or s3://bucket/prefix/<id>, with "
                    + "manifest.json)",
                path: store.location
            )
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(data))
        } catch {
            throw RecoveryError(reason: "not a backup manifest (\(Self.describe(error)))", path: manifestPath)
        }
        var schema = SchemaTracker()
        var rowCounts: [QualifiedTable: Int] = [:]
        for table in manifest.tables {
            let name = QualifiedTable(database: table.database, table: table.table)
            if let rows = table.rows { rowCounts[name] = rows }
            guard let file = table.schemaFile else { continue }
            let text: [UInt8]?
            let path: String
            if file.hasPrefix("/") {
                path = file
                text = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
            } else {
                path = store.location(of: file)
                text = try await Self.read(file, from: store)
            }
            guard let text else {
                throw RecoveryError(
                    reason: "the schema file of \(name) is missing (manifest.json names it)",
                    path: path
                )
            }
            guard schema.seed(createTable: text, database: table.database) else {
                throw RecoveryError(reason: "the schema file of \(name) holds no CREATE TABLE with columns", path: path)
            }
        }
        self.schema = schema
        self.rowCounts = rowCounts
    }

    /// Loads the backup in the directory `directory`.
    public init(directory: String) async throws {
        try await self.init(store: DirectoryBackupStore(path: directory))
    }

    private static func read(_ path: String, from store: any BackupStore) async throws -> [UInt8]? {
        do {
            return try await store.read(path)
        } catch let error as BackupStoreError {
            throw RecoveryError(reason: error.message, path: store.location(of: path))
        }
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
