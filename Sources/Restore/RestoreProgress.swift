import MySQLWire

/// The restore's record on the target: `rewind_restore.progress`, one row per restore, updated in the same
/// transaction as every group of applied transactions, so that a restore stopped at any moment (even by SIGKILL)
/// knows exactly what the target holds. Dropped when the restore finishes.
struct RestoreProgress: Hashable, Sendable {
    static let schema = "rewind_restore"
    static let table = "`rewind_restore`.`progress`"
    /// With parallel workers: the sequence numbers of applied transactions after ``applied`` (each worker inserts
    /// its transactions' numbers in their commit), folded into ``applied`` from time to time.
    static let appliedTable = "`rewind_restore`.`applied`"
    static let createApplied =
        "CREATE TABLE IF NOT EXISTS \(appliedTable) (seq BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB"

    enum Phase: String, Sendable {
        /// The backup is being loaded (a restart drops the tables it created and loads them again).
        case load
        /// Transactions are being applied from `position` on.
        case replay
    }

    var id: String
    var phase: Phase
    /// Transactions applied so far.
    var applied: Int
    /// The chain position after the last applied transaction.
    var position: ChainPosition
    /// A DDL statement started but not recorded as applied (its transaction's start).
    var pendingDDL: ChainPosition?

    static let create = """
        CREATE TABLE IF NOT EXISTS \(table) (restore_id VARCHAR(64) NOT NULL PRIMARY KEY, phase VARCHAR(16) NOT NULL, \
        applied BIGINT NOT NULL, file_index INT NOT NULL, file_offset BIGINT UNSIGNED NOT NULL, \
        pending_ddl VARCHAR(64) NULL, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) \
        ON UPDATE CURRENT_TIMESTAMP(6)) ENGINE=InnoDB
        """

    /// Reads the record; `nil` when there is none. Throws ``RestoreError/Code/refused`` when another restore's record
    /// is there.
    static func read(id: String, on connection: MySQLConnection, server: String) async throws -> RestoreProgress? {
        let rows: [MySQLRow]
        do {
            rows = try await connection.rows(
                "SELECT restore_id, phase, applied, file_index, file_offset, pending_ddl FROM \(table)")
        } catch let error as MySQLError
            where [ServerErrorCode.noSuchTable, ServerErrorCode.unknownDatabase].contains(error.serverError?.code ?? 0)
        {
            return nil  // no such table (or schema): no restore ran here
        } catch {
            throw RestoreError(.failed, "\(server): reading \(Self.table): \(error)")
        }
        guard let row = rows.first else { return nil }
        let other = row[0].string ?? ""
        guard other == id, rows.count == 1 else {
            throw RestoreError(
                .refused,
                "\(server) holds the progress record of another restore (\(other)) in \(Self.table): finish that one "
                    + "by running its command again, or, if it is abandoned, drop the tables it created and "
                    + "`DROP DATABASE \(Self.schema)`"
            )
        }
        let pending = row[5].string.flatMap { text -> ChainPosition? in
            let parts = text.split(separator: ":")
            guard parts.count == 2, let file = Int(parts[0]), let offset = UInt64(parts[1]) else { return nil }
            return ChainPosition(file: file, offset: offset)
        }
        return RestoreProgress(
            id: id, phase: Phase(rawValue: row[1].string ?? "") ?? .load, applied: Int(row[2].int64 ?? 0),
            position: ChainPosition(file: Int(row[3].int64 ?? 0), offset: row[4].uint64 ?? 0), pendingDDL: pending)
    }

    /// The statement that records `applied` transactions up to `position` (run inside the applied transaction).
    static func update(applied: Int, position: ChainPosition, phase: Phase = .replay, pendingDDL: ChainPosition? = nil)
        -> String
    {
        let pending = pendingDDL.map { "'\($0.file):\($0.offset)'" } ?? "NULL"
        return "UPDATE \(table) SET phase = '\(phase.rawValue)', applied = \(applied), file_index = \(position.file), "
            + "file_offset = \(position.offset), pending_ddl = \(pending)"
    }

    /// The sequence numbers recorded after ``applied`` (by parallel workers), or none.
    static func appliedAfter(on connection: MySQLConnection, server: String) async throws -> Set<Int> {
        do {
            let rows = try await connection.rows("SELECT seq FROM \(appliedTable)")
            return Set(rows.compactMap { $0[0].int64.map { Int($0) } })
        } catch let error as MySQLError
            where [ServerErrorCode.noSuchTable, ServerErrorCode.unknownDatabase].contains(error.serverError?.code ?? 0)
        {
            return []
        } catch {
            throw RestoreError(.failed, "\(server): reading \(Self.appliedTable): \(error)")
        }
    }

    /// Folds the recorded sequences up to `applied` into the record (one transaction).
    static func fold(applied: Int, position: ChainPosition) -> [String] {
        [
            "BEGIN", Self.update(applied: applied, position: position),
            "DELETE FROM \(appliedTable) WHERE seq <= \(applied)", "COMMIT",
        ]
    }

    static func insert(id: String, start: ChainPosition) -> String {
        "INSERT INTO \(table) (restore_id, phase, applied, file_index, file_offset) VALUES ('\(id)', 'load', 0, "
            + "\(start.file), \(start.offset))"
    }
}
