import Foundation

/// `rewind checksum --format json`: one object, keys documented in `docs/checksum.md`. Its `tables[]` carry the same
/// `database`, `table`, `rows` and `hash` keys as a backup manifest's, so ``ExpectedChecksums`` reads either.
package struct ChecksumReport: Encodable, Sendable {
    struct Table: Encodable, Sendable {
        var database: String
        var table: String
        var rows: UInt64
        var hash: String
    }

    struct Difference: Encodable, Sendable {
        var status: String
        var database: String
        var table: String
        var rows: UInt64?
        var hash: String?
        var expectedRows: UInt64?
        var expectedHash: String?
    }

    struct Expectation: Encodable, Sendable {
        var file: String
        var equalTables: Int
        var differences: [Difference]
    }

    var hashAlgorithm = RowSetHash.algorithm
    var server: String
    var tables: [Table]
    /// Present with `--expect`.
    var expected: Expectation?

    /// - Parameters:
    ///   - server: The server's address.
    ///   - tables: What the server gave.
    ///   - expectation: With `--expect`: the file and the differences found.
    package init(server: String, tables: [TableHash], expectation: (file: String, differences: [ChecksumDifference])?) {
        self.server = server
        self.tables = tables.map {
            Table(database: $0.name.database, table: $0.name.table, rows: $0.hash.rows, hash: $0.hash.hex)
        }
        self.expected = expectation.map { file, differences in
            Expectation(
                file: file,
                equalTables: tables.count - differences.filter { $0.kind != .missing }.count,
                differences: differences.map {
                    Difference(
                        status: $0.kind.rawValue,
                        database: $0.table.database,
                        table: $0.table.table,
                        rows: $0.actual?.rows,
                        hash: $0.actual?.hex,
                        expectedRows: $0.expected?.rows,
                        expectedHash: $0.expected?.hex
                    )
                }
            )
        }
    }

    /// The report as pretty-printed JSON with sorted keys.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
