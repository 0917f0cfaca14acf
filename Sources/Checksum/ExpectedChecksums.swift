import BinlogFormat
import Foundation

/// Reads what `rewind checksum --expect FILE` compares with: an earlier `rewind checksum --format json` output, or a
/// backup's `manifest.json` (or the backup directory holding it). Both list `tables[]` with `database`, `table`,
/// `rows` and `hash`; every other key is ignored.
package enum ExpectedChecksums {
    /// The keys both files share.
    private struct File: Decodable {
        struct Table: Decodable {
            var database: String
            var table: String
            var rows: UInt64
            var hash: String
        }

        var hashAlgorithm: String?
        /// A manifest's `state`.
        var state: String?
        var tables: [Table]
    }

    /// The tables and hashes of `path`, in the file's order.
    ///
    /// - Throws: ``ChecksumError/Code-swift.struct/badExpectation`` naming the file when it cannot be read, is not
    ///   such a file, uses another hash algorithm, is the manifest of an incomplete backup, has a malformed hash or
    ///   lists a table twice.
    package static func read(path: String) throws -> [TableHash] {
        var isDirectory: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = path + "/manifest.json"
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ChecksumError(
                .badExpectation,
                "cannot read \(file): give an earlier `rewind checksum --format json` output or a backup's manifest.json"
            )
        }
        return try self.parse(data, name: file)
    }

    /// The tables and hashes of a file's bytes; `name` is used in errors.
    package static func parse(_ data: Data, name: String) throws -> [TableHash] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded: File
        do {
            decoded = try decoder.decode(File.self, from: data)
        } catch {
            throw ChecksumError(
                .badExpectation,
                "\(name) is neither a `rewind checksum --format json` output nor a backup manifest (\(Self.reason(error)))"
            )
        }
        if let algorithm = decoded.hashAlgorithm, algorithm != RowSetHash.algorithm {
            throw ChecksumError(
                .badExpectation,
                "\(name) holds \(algorithm) hashes; this rewind computes \(RowSetHash.algorithm): they cannot be compared"
            )
        }
        if decoded.state == "incomplete" {
            throw ChecksumError(
                .badExpectation,
                "\(name) is the manifest of an incomplete backup: its hashes do not cover the tables; use a complete one"
            )
        }
        var seen = Set<QualifiedTable>()
        return try decoded.tables.map { table in
            let tableName = QualifiedTable(database: table.database, table: table.table)
            guard seen.insert(tableName).inserted else {
                throw ChecksumError(.badExpectation, "\(name) lists \(tableName) twice")
            }
            guard let value = RowSetHash.value(hex: table.hash) else {
                throw ChecksumError(
                    .badExpectation,
                    "\(name): the hash of \(tableName), \"\(table.hash)\", is not 16 hex digits"
                )
            }
            return TableHash(name: tableName, hash: RowSetHash(value: value, rows: table.rows))
        }
    }

    /// The decoding error in a few words: the key path and what was wrong.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "no \(Self.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(Self.path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not JSON" : "\(Self.path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}
