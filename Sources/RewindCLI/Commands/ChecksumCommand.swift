import ArgumentParser
import BinlogFormat
import Checksum
import Foundation
import Logging
import MySQLWire
import ObjectStorage

/// `rewind checksum [connection] [--database DB]… [--table DB.T]… [--expect FILE]`: every table's rows and hash.
struct ChecksumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checksum",
        abstract: "Count and hash every table's rows on a server; compare with an earlier checksum or a backup.",
        discussion: """
            Per table: the row count and the order-independent 64-bit row hash that backups record \
            (rewind-row-xxh64-sum-v1), computed by rewind from the rows, in key ranges on --threads connections. \
            Default: every table of every database but mysql, information_schema, performance_schema and sys. \
            --expect FILE compares with an earlier --format json output or a backup's manifest.json (or its \
            directory) and names each table that differs, is missing or is extra. Exit 0 when equal (or without \
            --expect), 2 when a table differs, 1 on an error. Details: docs/checksum.md.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("database"), help: "Hash the tables of this database (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("table"), help: "Hash this table, as DB.TABLE (repeatable).")
    var tables: [String] = []

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(
        help: ArgumentHelp(
            "Compare with this earlier --format json output or a backup's manifest.json (or the backup, DIR/<id> or "
                + "s3://bucket/prefix/<id>); exit 2 if anything differs."
        )
    )
    var expect: String?

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Connections hashing in parallel (default 4).")
    var threads: Int = 4

    /// What `--expect` names: a local file or backup directory, or a backup's manifest in S3.
    private func expectedChecksums(_ text: String) async throws -> [TableHash] {
        guard S3Location.isS3(text) else { return try ExpectedChecksums.read(path: text) }
        let name = "manifest.json"
        let backup = text.hasSuffix("/" + name) ? String(text.dropLast(name.count + 1)) : text
        return try await self.objectStorage.withBackupStore(backup) { store in
            guard let data = try await store.read(name) else {
                throw ChecksumError(
                    .badExpectation,
                    "no \(name) in \(store.location): give a backup (s3://bucket/prefix/<id>) or its manifest.json")
            }
            return try ExpectedChecksums.parse(Data(data), name: store.location(of: name))
        }
    }

    func validate() throws {
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be 1…64") }
        for table in self.tables where QualifiedTable(qualified: table) == nil {
            throw ValidationError("--table \(table): give it as DB.TABLE")
        }
    }

    var selection: TableSelection {
        TableSelection(databases: self.databases, tables: self.tables.compactMap(QualifiedTable.init(qualified:)))
    }

    func run() async throws {
        let configuration = try self.connection.makeConfiguration()
        var logger = Logger(label: "rewind.checksum")
        logger.logLevel = .warning
        let progress = ChecksumProgress()
        let results: [TableHash]
        var expectation: (file: String, differences: [ChecksumDifference])?
        do {
            var expected: [TableHash]?
            if let expect = self.expect { expected = try await self.expectedChecksums(expect) }
            results = try await MySQLConnection.withConnections(
                count: self.threads,
                configuration: configuration,
                logger: logger
            ) { connections in
                let names = try await ServerChecksum.tables(matching: self.selection, on: connections[0])
                try self.refuseUnknownTables(found: names, expected: expected ?? [])
                return try await ServerChecksum.compute(
                    tables: names,
                    on: connections,
                    report: { progress.handle($0) }
                )
            }
            if let expect = self.expect, let expected {
                let differences = ChecksumComparison.compare(
                    actual: results,
                    expected: expected,
                    selection: self.selection
                )
                expectation = (expect, differences)
            }
        } catch {
            progress.finish()
            Diagnostics.print("rewind checksum: \(error)")
            throw ExitCode(1)
        }
        progress.finish()
        switch self.format {
        case .text: print(ChecksumTextRenderer.render(results, expectation: expectation), terminator: "")
        case .json:
            let report = ChecksumReport(
                server: configuration.endpoint.description,
                tables: results,
                expectation: expectation
            )
            print(try report.json())
        }
        if let expectation, !expectation.differences.isEmpty { throw ExitCode(2) }
    }

    /// A `--table` the server does not have is an error, unless the `--expect` file has it (then it is reported as
    /// missing).
    func refuseUnknownTables(found: [QualifiedTable], expected: [TableHash]) throws {
        let known = Set(found).union(expected.map(\.name))
        let unknown = self.selection.tables.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ChecksumError(
                .noSuchTable,
                "no base table \(unknown.map(\.description).joined(separator: ", ")) on the server: check --table "
                    + "(DB.TABLE; views are not hashed)"
            )
        }
        // A typo in --database would otherwise hash nothing and succeed.
        let databases = Set(known.map(\.database))
        let empty = self.selection.databases.filter { !databases.contains($0) }
        guard empty.isEmpty else {
            throw ChecksumError(
                .noSuchTable,
                "no base table in database \(empty.joined(separator: ", ")) on the server (no such database, or it "
                    + "holds only views): check --database"
            )
        }
    }
}
