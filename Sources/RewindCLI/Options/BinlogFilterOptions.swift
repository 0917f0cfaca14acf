import ArgumentParser
import BinlogFormat
import Recovery

/// The event filters of `mysqlbinlog`.
struct BinlogFilterOptions: ParsableArguments {
    @Option(
        name: [.customLong("start-position"), .customShort("j")],
        help: "Start at the first event at or after this byte offset of the first file.")
    var startPosition: UInt64?

    @Option(help: "Stop at the first event at or after this byte offset of the last file.")
    var stopPosition: UInt64?

    @Option(help: "Skip events before this time (YYYY-MM-DD HH:MM:SS, in --timezone unless it names a zone).")
    var startDatetime: DateTimeArgument?

    @Option(help: "Stop at the first event at or after this time.")
    var stopDatetime: DateTimeArgument?

    @Option(name: [.customLong("database"), .customShort("d")], help: "Only events of this database (repeatable).")
    var databases: [String] = []

    @Option(name: [.customLong("table")], help: "Only row events of this table, as db.table or table (repeatable).")
    var tables: [String] = []

    @Option(
        name: .customLong("server-id"),
        help: "Only events written by the server with this server_id (as mysqlbinlog --server-id).")
    var serverID: UInt32?

    @Option(
        help: ArgumentHelp(
            "Only transactions in this GTID set: MySQL uuid:1-5 (those numbers); a MariaDB domain-server-seq is a "
                + "position, as gtid_binlog_pos reads it: every transaction of that domain up to seq, whatever its "
                + "server (0-1-65 is 0-1-1 … 0-1-65). For one transaction give --start-position and "
                + "--stop-position, which rewind timeline prints."))
    var includeGtids: GTIDSet?

    @Option(help: "Leave out transactions in this GTID set (read as --include-gtids reads it).")
    var excludeGtids: GTIDSet?

    func validate() throws {
        // A name that can match nothing is a typo, not a filter that shows nothing.
        for table in self.tables {
            let parts = table.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count > 2 || parts.contains(where: \.isEmpty) {
                throw ValidationError("--table takes db.table or table, not '\(table)'.")
            }
        }
        if self.databases.contains("") { throw ValidationError("--database takes a database name, not ''.") }
        if let start = self.startPosition, let stop = self.stopPosition, stop <= start {
            throw ValidationError("--stop-position (\(stop)) must be greater than --start-position (\(start)).")
        }
    }

    func filter(timezone: TimeZoneArgument) -> BinlogEventFilter {
        BinlogEventFilter(
            startPosition: self.startPosition, stopPosition: self.stopPosition,
            startTime: self.startDatetime?.epochSeconds(in: timezone.timeZone),
            stopTime: self.stopDatetime?.epochSeconds(in: timezone.timeZone), databases: Set(self.databases),
            tables: Set(self.tables), includeGTIDs: self.includeGtids, excludeGTIDs: self.excludeGtids,
            serverID: self.serverID)
    }
}
