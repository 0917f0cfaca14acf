import Foundation

/// What a restore will do, decided before the target is touched: printed by `--dry-run`, carried out by
/// ``RestoreApplier``, and checked against the target afterwards. Every key is documented in docs/restore.md.
public struct RestorePlan: Codable, Hashable, Sendable {
    public struct Backup: Codable, Hashable, Sendable {
        public var id: String
        public var directory: String
        public var snapshotAt: Date?
        /// `FILE:POS` of the snapshot: the replay starts here.
        public var binlog: String
        public var gtidSet: String?
        /// Tables and rows loaded from the backup.
        public var tables: Int
        public var rows: UInt64
    }

    /// The bytes of one binlog file the replay reads.
    public struct FileRange: Codable, Hashable, Sendable {
        public var name: String
        public var path: String
        public var from: UInt64
        /// Where reading ends in this file (`nil`: its end).
        public var to: UInt64?
        /// The archive's state of the file, when it comes from an archive.
        public var state: String?
    }

    /// A transaction as `rewind timeline` names it.
    public struct Transaction: Codable, Hashable, Sendable {
        /// The GTID, or `FILE:POS` where it starts.
        public var id: String
        /// `FILE:POS` where it starts.
        public var position: String
        /// The commit time (the binlog's one-second resolution, or MySQL's microseconds).
        public var committedAt: Date?
        /// Rows it changes (all tables).
        public var rows: Int
    }

    /// Rows to apply to one table.
    public struct TableRows: Codable, Hashable, Sendable {
        /// `db.table` in the binlog.
        public var table: String
        /// `db.table` on the target (another name under `--into-database`).
        public var target: String
        public var transactions: Int
        public var inserted: Int
        public var updated: Int
        public var deleted: Int
    }

    /// A later transaction that touches rows of a skipped one.
    public struct Dependent: Codable, Hashable, Sendable {
        public var transaction: Transaction
        /// The skipped transaction whose rows it touches.
        public var skipped: String
        public var table: String
        /// Rows of `table` it shares with the skipped transaction (with ``wholeTable``: the rows it changes there).
        public var sharedRows: Int
        /// `true` when the skipped transaction changed `table` as a whole, by a statement (DDL such as TRUNCATE,
        /// DROP, CREATE … SELECT, RENAME; or statement-format DML), whose rows are not known: every later change of
        /// the table depends on it. Absent for a dependency by rows.
        public var wholeTable: Bool?
        /// The unique keys (other than the primary key) by which some of its rows meet the skipped transaction's: it
        /// takes a unique value the skipped one freed, or the reverse (from the backup's schema). Absent for rows met
        /// by their primary key only.
        public var uniqueKeys: [String]?

        /// How the plan and the refusal say what it shares.
        public var shared: String {
            if self.wholeTable == true {
                return "changes \(self.table), which skipped \(self.skipped) changed by a statement"
            }
            let rows = "\(self.sharedRows) row\(self.sharedRows == 1 ? "" : "s")"
            let keys = self.uniqueKeys.map { " (by unique key " + $0.map { "`\($0)`" }.joined(separator: ", ") + ")" }
            return "touches \(rows) of \(self.table) that skipped \(self.skipped) changed" + (keys ?? "")
        }
    }

    public var backup: Backup
    public var files: [FileRange]
    /// The stop point as asked.
    public var stop: String
    /// The last transaction applied, and the first one not applied (`nil`: none; the end of the binlogs).
    public var lastApplied: Transaction?
    public var firstNotApplied: Transaction?
    /// Why the first one is not applied (the stop point, an incomplete transaction at the end of the binlogs).
    /// Lower-cased `db.table` of the tables the backup has triggers on, when the restore loads them: a statement
    /// replayed on one sets them off, so the proof counts its database as changed. Not part of the printed plan.
    public var triggeredTables: Set<String> = []
    public var stopReason: String
    /// Transactions to apply (those with at least one change to a restored table).
    public var transactions: Int
    /// Statements (DDL) among them.
    public var statements: Int
    public var rows: [TableRows]
    public var skipped: [Transaction]
    public var dependent: [Dependent]
    /// Transactions in range that change nothing restored (other tables, rolled back).
    public var notRestored: Int
    /// Statements in range that are not replayed and that Rewind cannot tie to a database (`GRANT`, `CREATE
    /// USER`, …): listed so that nothing is left out silently (at most ``unplacedListLimit``; ``unplacedCount``
    /// counts them all).
    public var unplaced: [Unplaced] = []
    public var unplacedCount = 0
    public static let unplacedListLimit = 50

    /// A statement the restore does not replay and cannot place.
    public struct Unplaced: Codable, Hashable, Sendable {
        /// `file:offset` of its event.
        public var position: String
        /// Its text, on one line, cut at 200 characters, and before any password (`IDENTIFIED …`, `PASSWORD …`).
        public var statement: String

        /// `text` up to its first `IDENTIFIED` or `PASSWORD` keyword: a logged `CREATE USER … IDENTIFIED BY 'secret'`
        /// must not reach the terminal.
        static func redacted(_ text: String) -> String {
            let upper = text.uppercased()
            let cut = ["IDENTIFIED", "PASSWORD"].compactMap { upper.range(of: $0)?.lowerBound }.min()
            guard let cut else { return text }
            return String(text[..<cut]) + "… (the rest is not shown: it holds a password)"
        }
    }

    /// Databases restored under another name.
    public var renames: [String: String]
    /// What the restore checks at its end.
    public var checks: [String]
    /// The reachable part of the chain ends early (what is missing after it), when it does.
    public var chainBreak: String?

    /// Internal: where the replay stops (transactions that start here or later are not applied), and the
    /// starts of the skipped transactions.
    var stopBefore: ChainPosition?
    var skipStarts: Set<ChainPosition> = []
    /// The databases the replay starts with (the backup's, as selected).
    var scope: DatabaseScope?

    enum CodingKeys: String, CodingKey {
        case backup, files, stop, lastApplied, firstNotApplied, stopReason, transactions, statements, rows, skipped
        case dependent, notRestored, unplaced, unplacedCount, renames, checks, chainBreak
    }

    /// Total rows the binlog part applies.
    public var totalRows: Int { self.rows.reduce(0) { $0 + $1.inserted + $1.updated + $1.deleted } }

    /// `2026-11-30T09:00:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The plan as JSON (snake_case keys, UTC times).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestamp(date))
        }
        return try encoder.encode(self)
    }
}
