import ArgumentParser
import Flashback
import Foundation
import Logging
import MySQLWire
import Recovery

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rewind flashback`: the guarded undo of bad transactions, as SQL or applied on the server.
struct FlashbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flashback",
        abstract: "Undo bad transactions in place: guarded undo SQL, or --apply it with conflict detection.",
        discussion: """
            Reads the binlogs, takes the transactions named by --only (GTID or FILE:POS where the transaction \
            starts) or starting in [--since, --until), and writes one undo transaction per original transaction, \
            newest first: DELETE becomes INSERT, INSERT becomes DELETE, UPDATE is set back. Each statement changes \
            its row only if the row is still as the bad transaction left it; rows that changed since are \
            conflicts, left alone. With --apply the undo runs on the server and the conflicts are listed \
            (exit status 3). Refuses DDL on an affected table in or after the selection, MINIMAL row images, \
            and tables dropped since. The connection options (or --apply) also read the server's table \
            definitions (generated columns, unique keys); nothing is written without --apply.
            """
    )

    @Option(
        help: ArgumentHelp(
            "Read every binlog file of this directory (in the order of its .index file, else by name), or of an "
                + "archive in S3 (s3://bucket/prefix)."
        )
    )
    var binlogs: String?

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Argument(help: "Binlog files, in order.")
    var files: [String] = []

    @Option(help: "Undo this transaction: a GTID (uuid:n, domain-server-seq) or FILE:POS where it starts (repeatable).")
    var only: [TransactionID] = []

    @Option(help: "Undo the transactions that start at or after this time or FILE:POS.")
    var since: BinlogBoundArgument?

    @Option(help: "… and before this time or FILE:POS.")
    var until: BinlogBoundArgument?

    @Option(help: "Times without a zone are in this zone: UTC (default), SYSTEM, +02:00, Europe/Paris.")
    var timezone: TimeZoneArgument = TimeZoneArgument(argument: "UTC")!

    @Option(
        name: [.customLong("database"), .customShort("d")], help: "Only row changes of this database (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("table"), help: "Only row changes of this table, db.table or table (repeatable).")
    var tables: [String] = []

    @Flag(help: "Restore and guard only the columns the bad UPDATE changed.")
    var minimal = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the SQL to this file instead of stdout.")
    var output: String?

    @Flag(help: "Run the undo on the server given by the connection options and report conflicts.")
    var apply = false

    @Flag(help: "With --apply: skip an undo transaction entirely when any of its rows conflicts.")
    var atomic = false

    @Flag(
        help: ArgumentHelp(
            "Undo tables whose triggers the undo's statements fire (refused by default: they would run again).",
            discussion: "Checked when a server is given (--apply or the connection options)."))
    var fireTriggers = false

    @Option(help: "Output format of --apply's report: text or json.")
    var format: StatusCommand.Format = .text

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if self.binlogs == nil && self.files.isEmpty { throw ValidationError("give --binlogs DIR or binlog files") }
        if let binlogs = self.binlogs, !self.files.isEmpty {
            // As `timeline` and `restore`: one source. Files after a directory would be read as if they continued it.
            throw ValidationError(
                "give --binlogs \(binlogs) or binlog files (\(self.files.joined(separator: " "))), not both")
        }
        if self.only.isEmpty && self.since == nil && self.until == nil {
            throw ValidationError("say what to undo: --only TXN (repeatable), or --since/--until")
        }
        if !self.only.isEmpty && (self.since != nil || self.until != nil) {
            throw ValidationError("--only and --since/--until do not go together")
        }
        if let since = self.since?.bound(in: self.timezone), let until = self.until?.bound(in: self.timezone) {
            var reversed = false
            switch (since, until) {
            case (.time(let from), .time(let to)): reversed = to < from
            case (.position(let fromFile, let fromOffset), .position(let toFile, let toOffset)):
                reversed = toFile < fromFile || (toFile == fromFile && toOffset < fromOffset)
            default: break
            }
            if reversed { throw ValidationError("--until comes before --since: give the earlier point as --since") }
        }
        if self.format == .json && !self.apply {
            throw ValidationError(
                "--format json describes what --apply did; without --apply the undo is SQL (stdout or -o FILE)")
        }
        if self.atomic && !self.apply { throw ValidationError("--atomic goes with --apply") }
        if self.apply && self.output != nil { throw ValidationError("--apply runs the undo; -o writes it: choose one") }
    }

    /// Whether a server was named (its schema is read; with --apply the undo runs there).
    var usesServer: Bool {
        self.apply || self.connection.host != nil || self.connection.port != nil || self.connection.socket != nil
            || self.connection.defaultsFile != nil
    }

    func run() async throws {
        let paths: [String]
        do {
            var directory = self.binlogs
            if let binlogs = self.binlogs { directory = try await self.objectStorage.localArchive(binlogs) }
            paths = try self.binlogPaths(directory: directory)
        } catch let error as FlashbackError {
            Self.fail(error.description)
        } catch {
            Self.fail("\(error)")
        }
        let selection = FlashbackSelection(
            only: self.only, since: self.since?.bound(in: self.timezone), until: self.until?.bound(in: self.timezone),
            databases: Set(self.databases), tables: Set(self.tables))
        var logger = Logger(label: "rewind.flashback")
        logger.logLevel = .warning
        if !self.usesServer {
            FileHandle.standardError.write(
                Data(
                    ("rewind flashback: no server given: generated columns and unique keys are not known, so every "
                        + "column is written and tables without a primary key are matched on all columns, and "
                        + "triggers and foreign keys with ON DELETE or ON UPDATE CASCADE (which the undo's statements "
                        + "would set off) are not checked; give the connection options to read them from the server\n")
                        .utf8))
            let plan = try self.makePlan(paths: paths, selection: selection, schema: nil)
            try self.writeScript(plan)
            return
        }
        let configuration = try self.connection.makeConfiguration()
        do {
            let report: FlashbackApplier.Report? = try await MySQLConnection.withConnection(
                configuration: configuration, logger: logger
            ) { connection in
                let schema = try await ServerSchema.load(
                    from: connection, databases: Set(selection.databases))
                let plan = try self.makePlan(paths: paths, selection: selection, schema: schema)
                guard self.apply else {
                    try self.writeScript(plan)
                    return nil
                }
                do {
                    try plan.confirm()  // the check of the DDL after the selection, before anything runs
                } catch {
                    Self.fail("\(error)")
                }
                return try await FlashbackApplier(atomic: self.atomic).apply(
                    plan, executor: ConnectionUndoExecutor(connection: connection))
            }
            guard let report else { return }
            try self.print(report)
            if !report.conflicts.isEmpty { throw ExitCode(3) }
        } catch let error as MySQLError {
            Self.fail("\(configuration.endpoint.description): \(error)")
        }
    }

    private func makePlan(paths: [String], selection: FlashbackSelection, schema: ServerSchema?) throws -> FlashbackPlan
    {
        do {
            return try FlashbackPlanner(
                selection: selection, minimal: self.minimal, schema: schema, forApply: self.apply,
                fireTriggers: self.fireTriggers
            )
            .plan(paths: paths, overlappingChecks: true)
        } catch let error as FlashbackError {
            Self.fail(error.description)
        } catch {
            Self.fail("\(error)")
        }
    }

    private func writeScript(_ plan: FlashbackPlan) throws {
        // -o FILE is opened at the first write, which comes after the plan's last check: a refusal leaves it as it
        // was.
        var descriptor: Int32? = self.output == nil ? STDOUT_FILENO : nil
        defer { if let descriptor, descriptor != STDOUT_FILENO { close(descriptor) } }
        let target = self.output ?? "stdout"
        let path = self.output
        do {
            try UndoScriptWriter().write(plan, minimal: self.minimal) { bytes in
                if descriptor == nil, let path {
                    let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    guard opened >= 0 else { Self.fail("cannot write \(path): \(String(cString: strerror(errno)))") }
                    descriptor = opened
                }
                guard let output = descriptor else { return }
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { Self.fail("cannot write \(target): \(String(cString: strerror(errno)))") }
                    offset += written
                }
            }
        } catch {
            // A refusal (DDL after the selection) before anything is written; or the undo, read again from the
            // binlogs, met a file damaged or replaced since: no half script is left behind in -o FILE.
            if let path, descriptor != nil { unlink(path) }
            Self.fail("\(error)")
        }
    }

    private func print(_ report: FlashbackApplier.Report) throws {
        for conflict in report.conflicts {
            let now =
                conflict.current.map { values in
                    "now " + values.map { "\($0.column)=\($0.value ?? "NULL")" }.joined(separator: ", ")
                } ?? "no longer there"
            let why =
                conflict.reason.map { "another row holds its unique value (\($0)), left alone: " }
                ?? "changed since, left alone: "
            FileHandle.standardError.write(
                Data(
                    ("conflict: \(conflict.table) \(conflict.key) (undo of \(conflict.transaction), \(conflict.undo)): "
                        + why + "\(now)\n").utf8))
        }
        switch self.format {
        case .text:
            Swift.print(
                "Undone: \(report.rowsUndone) row(s) in \(report.committed) transaction(s); "
                    + "\(report.conflicts.count) conflict(s)"
                    + (report.rolledBack > 0 ? "; \(report.rolledBack) transaction(s) skipped (--atomic)" : "") + ".")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    private func binlogPaths(directory: String?) throws -> [String] {
        guard let directory else { return self.files }
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            throw FlashbackError(code: .input, reason: "cannot read the directory \(directory)")
        }
        if let index = names.first(where: { $0.hasSuffix(".index") }),
            let text = try? String(contentsOfFile: directory + "/" + index, encoding: .utf8)
        {
            let listed = text.split(separator: "\n").map { line in
                directory + "/" + (line.split(separator: "/").last.map(String.init) ?? String(line))
            }.filter { manager.fileExists(atPath: $0) }
            if !listed.isEmpty { return listed }
        }
        let binlogs = names.filter { name in
            guard let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex else { return false }
            let suffix = name[name.index(after: dot)...]
            return suffix.count >= 6 && suffix.allSatisfy(\.isNumber)
        }.sorted()
        guard !binlogs.isEmpty else {
            throw FlashbackError(code: .input, reason: "\(directory) holds no binlog files (NAME.000001…)")
        }
        return binlogs.map { directory + "/" + $0 }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("rewind flashback: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
