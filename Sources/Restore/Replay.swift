import BinlogFormat
import Foundation
import MySQLWire
import NIOCore
import Recovery

/// The apply of the planned transactions on the target, in commit order, as `BINLOG` statements.
struct Replay {
    struct Outcome {
        var transactions: Int
        /// Tables named by applied statements (DDL).
        var touchedByStatements: Set<String> = []
        /// Databases where an applied statement was not understood (any of their tables may have changed).
        var databasesTouchedByStatements: Set<String> = []
    }

    let plan: RestorePlan
    let options: RestoreOptions
    let chain: RestoreChain
    let control: MySQLConnection
    let server: String
    let keepGTIDs: Bool
    let packet: Int
    let report: @Sendable (RestoreEvent) -> Void
    let isCancelled: @Sendable () -> Bool

    private var sender: StatementSender
    private var builder: BinlogStatementBuilder
    private var framer = TransactionFramer()
    private var scope: DatabaseScope
    private var outcome = Outcome(transactions: 0)
    private var applying = false
    private var transactionOpen = false
    private var changed = false
    private var groupOpen = false
    private var groupTransactions = 0
    private var groupStart: UInt64 = 0
    private var lastEnd = ChainPosition(file: 0, offset: 0)
    private var includedTables: Set<UInt64> = []
    private var pendingDDL: ChainPosition?
    private var lastReport = Date()

    // The parallel apply (`--threads` > 1, targets without GTIDs kept): transactions are buffered, given a write set
    // and handed to the scheduler; a transaction with a statement, or bigger than ``parallelBufferLimit``, and every
    // statement outside a transaction, are applied here in order after everything before them is committed.
    private let parallel: ParallelScheduler?
    private let workers: [MySQLConnection]
    private var buffering = false
    private var buffer: [[UInt8]] = []
    private var bufferBytes = 0
    private var writeSet = WriteSet()
    private var targetKeys = TargetKeys()
    private var targetKeysStale = true
    /// Sequences a previous run applied (recorded by its workers): passed over.
    private var appliedBefore: Set<Int> = []
    private var folded = 0
    private var submittedSinceFold = 0
    static let parallelBufferLimit = 8 << 20
    /// INSERT_ID, LAST_INSERT_ID, RAND seeds and user variables for the next statement.
    private var statementContext: [String] = []
    private var collations: [UInt32: (String, String)] = [:]

    init(
        plan: RestorePlan, options: RestoreOptions, chain: RestoreChain, control: MySQLConnection, server: String,
        keepGTIDs: Bool, packet: Int, parallel: ParallelScheduler? = nil, workers: [MySQLConnection] = [],
        report: @escaping @Sendable (RestoreEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) {
        self.parallel = parallel
        self.workers = workers
        self.plan = plan
        self.options = options
        self.chain = chain
        self.control = control
        self.server = server
        self.keepGTIDs = keepGTIDs
        self.packet = packet
        self.report = report
        self.isCancelled = isCancelled
        self.scope = plan.scope ?? DatabaseScope(backupDatabases: [], options: options)
        // With parallel workers, statements of at most 1 MiB: each worker holds its statement and its copies.
        let batch = max(64 << 10, min(parallel == nil ? RestoreApplier.maximumBatch : 1 << 20, packet / 2))
        self.sender = StatementSender(connection: control, server: server, limit: batch)
        // Base64 grows events by 4/3: a BINLOG statement of `limit` event bytes fits in a batch.
        self.builder = BinlogStatementBuilder(limit: batch * 3 / 4 - 1024)
    }

    mutating func prepareSession() async throws {
        _ = try? await self.control.query("SET SESSION sql_log_bin = \(self.keepGTIDs ? 1 : 0)")
        _ = try? await self.control.query("SET SESSION pseudo_slave_mode = 1")
    }

    /// Applies everything from `progress` on; returns what was applied in all (earlier runs included).
    mutating func run(from progress: RestoreProgress) async throws -> Outcome {
        self.outcome.transactions = progress.applied
        self.folded = progress.applied
        self.pendingDDL = progress.pendingDDL
        if self.parallel != nil {
            self.appliedBefore = try await RestoreProgress.appliedAfter(on: self.control, server: self.server)
        }
        // With GTIDs kept, the target's GTID state says what is applied: read from the start and pass over those.
        self.lastEnd = progress.position
        try self.rebuildScope(upTo: progress.position)
        let reader = ChainReader(
            chain: self.chain, start: progress.position, verifyChecksums: self.options.verifyChecksums)
        let fileNames = self.chain.files.map(\.name)
        while let event = try reader.next() {
            let role = self.framer.observe(event.record, at: event.position)
            if role == .outside {
                if case .formatDescription(let format) = event.record.event {
                    self.builder.checksummed = format.checksumAlgorithm == .crc32
                    try await self.flushRows()
                    let statement = BinlogStatementBuilder.statementText(Array(event.bytes.readableBytesView))
                    if self.parallel != nil {
                        try await self.commitGroup()
                        try await self.drainAndFold()
                        for worker in self.workers { try await Self.send(statement, on: worker, server: self.server) }
                    }
                    try await self.sender.addBinlog(statement)
                }
                continue
            }
            guard let open = self.framer.current else { continue }
            if role == .opens || role == .single {
                if let stop = self.plan.stopBefore, open.start >= stop { break }
                self.sender.transaction =
                    "\(open.id(fileNames: fileNames)) at \(fileNames[open.start.file]):\(open.start.offset)"
                self.applying = !self.plan.skipStarts.contains(open.start)
                self.lastWasStatement = false
                self.transactionOpen = false
                self.changed = false
                self.buffering = false
                self.statementContext.removeAll()
                if self.parallel != nil, self.applying {
                    if self.targetKeysStale {
                        try await self.sender.settle()
                        self.targetKeys = try await TargetKeys.read(
                            databases: Set(self.scope.databases.map { self.options.targetName(of: $0) }),
                            on: self.control, server: self.server)
                        self.targetKeysStale = false
                    }
                    self.buffering = true
                    self.buffer.removeAll(keepingCapacity: true)
                    self.bufferBytes = 0
                    self.writeSet = WriteSet()
                }
            }
            if self.applying {
                try await self.apply(event, role: role, open: open, fileNames: fileNames)
            }
            if role == .closes || role == .single {
                let end = ChainPosition(file: event.position.file, offset: event.record.endPosition)
                if self.applying { try await self.finishTransaction(end: end) }
                self.framer.reset()
                self.applying = false
                if self.isCancelled() {
                    try await self.commitGroup()
                    try await self.sender.settle()
                    try await self.drainAndFold()
                    throw RestoreError(
                        .interrupted,
                        "interrupted after \(self.outcome.transactions) of \(self.plan.transactions) transactions "
                            + "(the last committed one ends at \(fileNames[end.file]):\(end.offset)); run the same "
                            + "command again to continue")
                }
            }
        }
        try await self.commitGroup()
        try await self.sender.flushAndSettle()
        try await self.drainAndFold()
        return self.outcome
    }

    private mutating func apply(
        _ event: ChainReader.Event, role: TransactionFramer.Role, open: TransactionFramer.Open, fileNames: [String]
    ) async throws {
        switch event.record.event {
        case .tableMap(let table):
            guard self.scope.includes(database: table.database, table: table.table) else {
                self.includedTables.remove(table.tableID)
                return
            }
            self.includedTables.insert(table.tableID)
            let target = self.options.targetName(of: table.database)
            let bytes =
                target == table.database
                ? event.bytes
                : try EventRewriter.renamingTableMap(event.bytes, to: target, checksummed: self.builder.checksummed)
            var statements: [[UInt8]] = []
            try self.builder.addTableMap(bytes) { statements.append($0) }
            for statement in statements { try await self.emit(statement, open: open) }
        case .rows(let rows):
            guard self.includedTables.contains(rows.tableID), let table = event.context.tableMap(for: rows) else {
                return
            }
            if self.buffering {
                try self.writeSet.add(
                    rows, table: table, database: self.options.targetName(of: table.database), keys: self.targetKeys)
            } else {
                try await self.begin(open)
            }
            var statements: [[UInt8]] = []
            try self.builder.addRows(event.bytes, rows: rows, table: table) { statements.append($0) }
            for statement in statements { try await self.emit(statement, open: open) }
            self.changed = true
        case .query(let query):
            if query.isBegin || query.isCommit || query.isRollback || query.isXAStart { return }
            let context = self.statementContext
            self.statementContext.removeAll()
            guard self.scope.admits(query) else { return }
            self.noteTargets(query)
            let sql = RestoreStatement.sql(
                query, timestamp: event.record.header.timestamp, flags: event.record.header.flags,
                options: self.options, database: self.scope.currentDatabase(for: query))
            if open.transactional {
                try await self.applyInOrder(open)
                try await self.begin(open)
                try await self.flushRows()
                for setting in context { try await self.sender.add(setting) }
                try await self.sender.add(sql)
                self.changed = true
            } else {
                try await self.applyInOrder(open)
                try await self.statement(
                    sql, context: context, open: open,
                    end: ChainPosition(file: event.position.file, offset: event.record.endPosition))
                self.targetKeysStale = true
            }
        case .intvar(let intvar):
            // The context of the next statement (statement-format DML), as mysqlbinlog prints it.
            self.statementContext.append(
                "SET \(intvar.variable == 1 ? "LAST_INSERT_ID" : "INSERT_ID") = \(intvar.value)")
        case .rand(let rand):
            self.statementContext.append("SET @@RAND_SEED1 = \(rand.seed1), @@RAND_SEED2 = \(rand.seed2)")
        case .userVar(let variable):
            self.statementContext.append(try await self.userVariableSetting(variable))
        default:
            return
        }
    }

    /// `SET @name := value` for a USER_VAR event; a string keeps its character set and collation (named by the
    /// target, from the event's collation number).
    private mutating func userVariableSetting(_ variable: UserVarEvent) async throws -> String {
        let name = "@`" + String(decoding: variable.name, as: UTF8.self).replacingOccurrences(of: "`", with: "``") + "`"
        guard let value = variable.value else { return "SET \(name) := NULL" }
        switch value {
        case .string(let bytes, let collation):
            let hex = "X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'"
            if collation == 63 { return "SET \(name) := \(hex)" }
            if self.collations[collation] == nil {
                try await self.sender.settle()
                let rows = try await RestorePreflight.query(
                    self.control, server: self.server,
                    "SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID = \(collation)"
                )
                guard let row = rows.first, let set = row[0].string, let name = row[1].string else {
                    throw RestoreError(
                        .failed,
                        "\(self.server) does not know collation number \(collation) (of user variable \(name) in "
                            + "the binlog): restore into a server of the source's version")
                }
                self.collations[collation] = (set, name)
            }
            let (set, collationName) = self.collations[collation]!
            return "SET \(name) := CONVERT(\(hex) USING \(set)) COLLATE \(collationName)"
        case .real(let double): return "SET \(name) := \(double)"
        case .integer(let int, let isUnsigned):
            return "SET \(name) := \(isUnsigned ? "\(UInt64(bitPattern: int))" : "\(int)")"
        case .decimal(let text): return "SET \(name) := \(text)"
        case .other(let type, _):
            throw RestoreError(
                .failed, "user variable \(name) in the binlog has a value of type \(type), which Rewind cannot replay")
        }
    }

    private mutating func noteTargets(_ query: QueryEvent) {
        let targets = StatementTargets(query.query, defaultDatabase: query.databaseName)
        if targets.isUnderstood {
            for table in targets.tables {
                self.outcome.touchedByStatements.insert(table.description)
                // Its triggers fire on the replayed statement and write where their bodies say (not parsed): at
                // least in its own database, which the proof then does not take as unchanged.
                if self.plan.triggeredTables.contains("\(table.database).\(table.table)".lowercased()) {
                    self.outcome.databasesTouchedByStatements.insert(table.database)
                }
            }
            if let database = targets.droppedDatabase { self.outcome.databasesTouchedByStatements.insert(database) }
        } else {
            self.outcome.databasesTouchedByStatements.insert(targets.objectDatabase ?? query.databaseName)
        }
    }

    private mutating func flushRows() async throws {
        var statements: [[UInt8]] = []
        try self.builder.flush { statements.append($0) }
        for statement in statements {
            if self.buffering {
                self.buffer.append(statement)
                self.bufferBytes += statement.count
            } else {
                try await self.sender.addBinlog(statement)
            }
        }
    }

    /// A `BINLOG` statement of the transaction: buffered for the parallel apply, or sent.
    private mutating func emit(_ statement: [UInt8], open: TransactionFramer.Open) async throws {
        guard self.buffering else { return try await self.sender.addBinlog(statement) }
        self.buffer.append(statement)
        self.bufferBytes += statement.count
        if self.bufferBytes > Self.parallelBufferLimit { try await self.applyInOrder(open) }
    }

    /// Leaves the parallel apply for the open transaction: waits until everything before it is committed, then
    /// sends what was buffered of it here, in order (its rest follows the same way).
    private mutating func applyInOrder(_ open: TransactionFramer.Open) async throws {
        guard self.buffering else { return }
        self.buffering = false
        try await self.drainAndFold()
        guard !self.buffer.isEmpty else { return }
        try await self.begin(open)
        for statement in self.buffer { try await self.sender.addBinlog(statement) }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Waits until the workers have committed everything handed to them, then folds their records into the progress
    /// record (the sequential path goes on from there).
    private mutating func drainAndFold() async throws {
        guard let parallel = self.parallel else { return }
        try await parallel.drain()
        try await self.fold(applied: self.outcome.transactions, position: self.lastEnd)
    }

    private mutating func fold(applied: Int, position: ChainPosition) async throws {
        guard applied > self.folded else { return }
        try await self.sender.settle()
        try await RestoreApplier.run(
            self.control, server: self.server, RestoreProgress.fold(applied: applied, position: position))
        self.folded = applied
        self.submittedSinceFold = 0
    }

    /// The buffered transaction, numbered, to the workers (unless a previous run applied it).
    private mutating func submitBuffered(end: ChainPosition) async throws {
        guard let parallel = self.parallel else { return }
        self.buffering = false
        let sequence = self.outcome.transactions
        guard !self.appliedBefore.contains(sequence) else { return }
        try await parallel.submit(
            ParallelTransaction(
                sequence: sequence, statements: self.buffer, bytes: self.bufferBytes, writeSet: self.writeSet, end: end,
                name: self.sender.transaction)
        )
        self.buffer = []
        self.bufferBytes = 0
        self.submittedSinceFold += 1
        if self.submittedSinceFold >= 2000, let mark = await parallel.lowWaterMark() {
            try await self.fold(applied: mark.sequence, position: mark.end)
        }
    }

    static func send(_ statement: [UInt8], on connection: MySQLConnection, server: String) async throws {
        do {
            _ = try await connection.query(bytes: ByteBuffer(bytes: statement))
        } catch {
            throw RestoreError(.failed, "\(server) refused a replayed statement: \(error)")
        }
    }

    /// A restart continues mid-chain: the databases created by the statements before that point join the scope
    /// again (reading those events, applying nothing).
    private mutating func rebuildScope(upTo position: ChainPosition) throws {
        let start = ChainPosition(
            file: 0, offset: UInt64(self.plan.backup.binlog.split(separator: ":").last.flatMap { UInt64($0) } ?? 4))
        guard position > start else { return }
        let reader = ChainReader(chain: self.chain, start: start, verifyChecksums: self.options.verifyChecksums)
        var framer = TransactionFramer()
        while let event = try reader.next(), event.position < position {
            let role = framer.observe(event.record, at: event.position)
            if case .query(let query) = event.record.event, let open = framer.current,
                !self.plan.skipStarts.contains(open.start), !query.isBegin, !query.isCommit
            {
                _ = self.scope.admits(query)
            }
            if role == .closes || role == .single { framer.reset() }
        }
    }

    /// Opens the transaction on the target: its GTID and `BEGIN`, or joins the open group.
    private mutating func begin(_ open: TransactionFramer.Open) async throws {
        guard !self.transactionOpen else { return }
        self.transactionOpen = true
        if self.keepGTIDs {
            try await self.sender.add(self.gtidSettings(open))
            try await self.sender.add("BEGIN")
        } else if !self.groupOpen {
            try await self.sender.add("BEGIN")
            self.groupOpen = true
            self.groupStart = self.sender.sentBytes
        }
    }

    private func gtidSettings(_ open: TransactionFramer.Open) -> String {
        guard case .mariadb(let domain, let serverID, let sequence) = open.gtid else { return "DO 0" }
        return "SET @@session.gtid_domain_id = \(domain), @@session.server_id = \(serverID), "
            + "@@session.gtid_seq_no = \(sequence)"
    }

    /// A statement outside `BEGIN` (DDL): committed by itself, after the open group. It cannot share a transaction
    /// with the progress record, so the record says first that it is pending.
    private mutating func statement(
        _ sql: [UInt8], context: [String], open: TransactionFramer.Open, end: ChainPosition
    ) async throws {
        try await self.commitGroup()
        let resuming = self.pendingDDL == open.start
        try await self.bookkeeping(
            RestoreProgress.update(
                applied: self.outcome.transactions, position: self.lastEnd, pendingDDL: open.start))
        if self.keepGTIDs { try await self.sender.add(self.gtidSettings(open)) }
        for setting in context { try await self.sender.add(setting) }
        try await self.sender.add(sql)
        do {
            try await self.sender.flushAndSettle()
        } catch let error as SendError {
            // A restart after a crash between the DDL and its record: the DDL may have run already.
            let alreadyDone: Set<UInt16> = [1007, 1008, 1050, 1051, 1060, 1061, 1091, 1146]
            guard resuming, let code = error.serverCode, alreadyDone.contains(code) else { throw error.error }
        }
        self.pendingDDL = nil
        self.changed = true
        self.transactionOpen = true
        self.lastWasStatement = true
    }

    /// A progress update outside the replayed transactions (never in the target's binlog).
    private mutating func bookkeeping(_ sql: String) async throws {
        if self.keepGTIDs { try await self.sender.add("SET SESSION sql_log_bin = 0") }
        try await self.sender.add(sql)
        if self.keepGTIDs { try await self.sender.add("SET SESSION sql_log_bin = 1") }
        try await self.sender.flushAndSettle()
    }

    private mutating func finishTransaction(end: ChainPosition) async throws {
        if self.buffering {
            try await self.flushRows()
            self.builder.finishStatement()
            guard self.changed else {
                self.buffering = false
                return
            }
            self.outcome.transactions += 1
            self.lastEnd = end
            try await self.submitBuffered(end: end)
            self.maybeReport(at: end)
            return
        }
        self.builder.finishStatement()
        guard self.changed else { return }
        self.outcome.transactions += 1
        self.lastEnd = end
        if self.lastWasStatement {
            try await self.bookkeeping(RestoreProgress.update(applied: self.outcome.transactions, position: end))
        } else if self.keepGTIDs {
            // The record in the same transaction: it is part of that transaction in the target's binlog too.
            try await self.flushRows()
            try await self.sender.add(RestoreProgress.update(applied: self.outcome.transactions, position: end))
            try await self.sender.add("COMMIT")
            try await self.sender.flush()
            if RestoreApplier.pauseAfterTransactions != nil { try await self.sender.settle() }
            await RestoreApplier.pauseForTestsIfAsked(applied: self.outcome.transactions)
        } else if self.groupOpen {
            self.groupTransactions += 1
            if self.groupTransactions >= RestoreApplier.groupTransactions
                || self.sender.sentBytes - self.groupStart >= UInt64(RestoreApplier.groupBytes)
            {
                try await self.commitGroup()
            }
        }
        self.lastWasStatement = false
        // With parallel workers, what runs here is committed at once: later transactions may depend on it.
        if self.parallel != nil { try await self.commitGroup() }
        self.maybeReport(at: end)
    }

    private var lastWasStatement = false

    /// Commits the open group with the progress record.
    private mutating func commitGroup() async throws {
        guard self.groupOpen else { return }
        try await self.flushRows()
        try await self.sender.add(RestoreProgress.update(applied: self.outcome.transactions, position: self.lastEnd))
        try await self.sender.add("COMMIT")
        try await self.sender.flush()
        self.groupOpen = false
        self.groupTransactions = 0
        if RestoreApplier.pauseAfterTransactions != nil { try await self.sender.settle() }
        await RestoreApplier.pauseForTestsIfAsked(applied: self.outcome.transactions)
    }

    /// Reports progress at most once a second: transactions applied, and binlog bytes read out of the plan's.
    private mutating func maybeReport(at position: ChainPosition) {
        let now = Date()
        guard now.timeIntervalSince(self.lastReport) >= 1 else { return }
        self.lastReport = now
        var done: UInt64 = 0
        var total: UInt64 = 0
        for (index, range) in self.plan.files.enumerated() {
            let size = range.to ?? Self.fileSize(range.path)
            let length = size > range.from ? size - range.from : 0
            total += length
            if index < position.file {
                done += length
            } else if index == position.file {
                done += min(length, position.offset > range.from ? position.offset - range.from : 0)
            }
        }
        self.report(
            .applied(
                transactions: self.outcome.transactions, of: self.plan.transactions, bytes: done, totalBytes: total))
    }

    static func fileSize(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
