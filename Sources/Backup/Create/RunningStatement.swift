import MySQLWire

/// A statement another session is running, from the server's process list: what a `FLUSH TABLES WITH READ LOCK`
/// waits for when it times out.
struct RunningStatement: Sendable, Equatable, CustomStringConvertible {
    var connectionID: UInt64
    var user: String
    var host: String
    var database: String
    var command: String
    var seconds: UInt64
    var state: String
    /// The statement text, cut to 200 characters.
    var text: String

    /// The longest-running statements of other sessions (idle connections, daemons and replication dump threads
    /// left out), longest first.
    static let query = """
        SELECT ID, USER, HOST, IFNULL(DB, ''), COMMAND, TIME, IFNULL(STATE, ''), LEFT(IFNULL(INFO, ''), 200) \
        FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() \
        AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Killed') \
        AND IFNULL(STATE, '') <> 'Waiting for global read lock' ORDER BY TIME DESC LIMIT 3
        """

    init(row: MySQLRow) {
        self.connectionID = row[0].uint64 ?? 0
        self.user = row[1].string ?? ""
        self.host = row[2].string ?? ""
        self.database = row[3].string ?? ""
        self.command = row[4].string ?? ""
        self.seconds = row[5].uint64 ?? 0
        self.state = row[6].string ?? ""
        self.text = row[7].string ?? ""
    }

    init(
        connectionID: UInt64,
        user: String,
        host: String,
        database: String,
        command: String,
        seconds: UInt64,
        state: String,
        text: String
    ) {
        self.connectionID = connectionID
        self.user = user
        self.host = host
        self.database = database
        self.command = command
        self.seconds = seconds
        self.state = state
        self.text = text
    }

    /// `connection 42 (app@10.0.0.5, database shop) running for 600 s (Sending data): SELECT …`.
    var description: String {
        var words = "connection \(self.connectionID) (\(self.user)@\(self.host)"
        if !self.database.isEmpty { words += ", database \(self.database)" }
        words += ") \(self.command == "Query" ? "running" : self.command) for \(self.seconds) s"
        if !self.state.isEmpty { words += " (\(self.state))" }
        if !self.text.isEmpty { words += ": \(self.text)" }
        return words
    }
}
