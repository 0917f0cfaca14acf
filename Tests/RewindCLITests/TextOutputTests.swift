import BinlogFormat
import Foundation
import RewindTestSupport
import Testing

@testable import Recovery
@testable import RewindCLI

/// The text output of `rewind binlog show`, against what mysqlbinlog prints.
@Suite struct TextOutputTests {
    static func record(
        _ event: BinlogEvent, type: UInt8, position: UInt64 = 100, flags: UInt16 = 0, time: UInt32 = 1_700_000_000
    )
        -> BinlogEventRecord
    {
        let header = BinlogEventHeader(
            timestamp: time, type: BinlogEventType(rawValue: type), serverID: 1, eventSize: 50,
            nextPosition: UInt32(position) + 50, flags: flags)
        return BinlogEventRecord(position: position, header: header, event: event, checksum: nil)
    }

    static func query(_ sql: String, database: String, flags: UInt16 = 0) -> BinlogEventRecord {
        let query = QueryEvent(
            threadID: 5, executionTime: 0, errorCode: 0, database: Array(database.utf8), query: Array(sql.utf8),
            status: QueryStatusVariables())
        return Self.record(.query(query), type: 2, flags: flags)
    }

    /// Renders records in order as `rewind binlog show` does, carrying the default database between them.
    static func render(_ records: [BinlogEventRecord]) throws -> String {
        let renderer = EventTextRenderer(verbosity: 1, utcOffset: 0)
        var out = OutputSink.capturing()
        var database: [UInt8] = []
        for record in records {
            let item = BinlogInspector.Item(
                fileName: "f", record: record, context: BinlogDecodingContext(), transactionGTID: nil)
            try renderer.render(item, defaultDatabase: database, into: &out)
            database = EventTextRenderer.defaultDatabase(after: record, current: database)
        }
        return out.captured
    }

    /// `CREATE DATABASE shop` carries `shop` with LOG_EVENT_SUPPRESS_USE_F: no `use` before it (the database does
    /// not exist yet, so `| mysql` would fail); then `use` once per change of database, as mysqlbinlog prints it.
    @Test func useComesOnlyWhenTheDatabaseChangesAndNeverBeforeCreateDatabase() throws {
        let text = try Self.render([
            Self.query("CREATE DATABASE shop", database: "shop", flags: EventTextRenderer.flagSuppressUse),
            Self.query("CREATE TABLE shop.t (id INT)", database: "shop"),
            Self.query("BEGIN", database: "shop"),
            Self.query("INSERT INTO t VALUES (1)", database: "shop"),
            Self.query("COMMIT", database: "shop"),
            Self.query("CREATE TABLE other.t (id INT)", database: "other"),
            Self.query("DROP DATABASE shop", database: "shop", flags: EventTextRenderer.flagSuppressUse),
            Self.query("CREATE TABLE t2 (id INT)", database: "other"),
        ])
        let lines = text.split(separator: "\n").map(String.init)
        let uses = lines.enumerated().filter { $0.element.hasPrefix("use ") }
        #expect(uses.map(\.element) == ["use `shop`/*!*/;", "use `other`/*!*/;", "use `other`/*!*/;"])
        let createDatabase = try #require(lines.firstIndex { $0 == "CREATE DATABASE shop" })
        #expect(!uses.contains { $0.offset < createDatabase })
        let begin = try #require(lines.firstIndex { $0 == "BEGIN" })
        #expect(!lines[(begin - 3)..<begin].contains { $0.hasPrefix("use ") })
    }

    /// mysqlbinlog prints the format description event's own time after "created", and "at startup" when the
    /// server wrote a creation time; never the epoch.
    @Test func startEventShowsTheEventTime() throws {
        let fd = { (created: UInt32) in
            FormatDescriptionEvent(
                binlogVersion: 4, serverVersion: "10.11.6-MariaDB-log", createTimestamp: created, headerLength: 19,
                postHeaderLengths: [], checksumAlgorithm: .crc32)
        }
        let rotated = try Self.render([Self.record(.formatDescription(fd(0)), type: 15, position: 4)])
        #expect(rotated.contains("created 231114 22:13:20 checksum"))
        #expect(!rotated.contains("700101"))
        let startup = try Self.render([Self.record(.formatDescription(fd(1_700_000_000)), type: 15, position: 4)])
        #expect(startup.contains("created 231114 22:13:20 at startup"))
    }

    /// The header line is written straight into the output buffer: it must read as mysqlbinlog's, for times before
    /// 10:00 (the hour is space-padded), around midnight, before 1970 and past 2038, with and without a CRC.
    @Test(arguments: [
        0, 1, 9 * 3600 + 5, 10 * 3600, 86_399, 86_400, -1, -86_401, 1_700_000_000, 4_102_444_799, 951_782_400,
    ])
    func headerLinesMatchTheStringFormatting(seconds: Int64) throws {
        var buffer = TextBuffer()
        TimeFormatting.appendMysqlbinlogStamp(seconds, to: &buffer)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == TimeFormatting.mysqlbinlogStamp(seconds))
    }

    @Test func headerLineCarriesPositionServerEndAndChecksum() throws {
        let header = BinlogEventHeader(
            timestamp: 1_700_000_000 - 13 * 3600, type: BinlogEventType(rawValue: 4), serverID: 4_294_967_295,
            eventSize: 50, nextPosition: 1050, flags: 0)
        let rotate = BinlogEventRecord(
            position: 1000, header: header, event: .rotate(RotateEvent(position: 4, nextFileName: "b.000002")),
            checksum: 0x00ab_cdef)
        let text = try Self.render([rotate])
        #expect(
            text
                == "# at 1000\n#231114  9:13:20 server id 4294967295  end_log_pos 1050 CRC32 0x00abcdef \tRotate to b.000002  pos: 4\n"
        )
    }

    /// Statement text (Rows_query, Annotate_rows) is shown as a comment block: every line of it gets the prefix.
    @Test func statementTextKeepsEveryLineCommented() throws {
        let sql = Array("INSERT INTO t VALUES\n(1),\n\n(2)\n".utf8)
        let text = try Self.render([
            Self.record(.mariadbAnnotateRows(RowsQueryEvent(query: sql)), type: 160),
            Self.record(.rowsQuery(RowsQueryEvent(query: sql)), type: 29),
        ])
        #expect(text.contains("Annotate_rows:\n#Q> INSERT INTO t VALUES\n#Q> (1),\n#Q> \n#Q> (2)\n#Q> \n"))
        #expect(text.contains("Rows_query\n# INSERT INTO t VALUES\n# (1),\n# \n# (2)\n# \n"))
    }

    /// The binary: the text output says first that it is for reading, and the help says so too.
    @Test func outputAndHelpSayTheTextIsForReading() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            return
        }
        let run = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable,
            ["binlog", "show", "-v", Fixtures.path("mysql-binlog-connector-rust/mysql-bin.000057")])
        #expect(run.status == 0)
        #expect(run.text.hasPrefix("# rewind binlog show: this output is for reading."))
        #expect(run.text.contains("rewind restore"))
        let help = BinlogShowCommand.helpMessage(columns: 200)
        #expect(help.contains("for reading, not for replaying"))
        #expect(help.contains("rewind restore"))
    }

    /// `--table nosuch.t` on a file whose rows are inside compressed transactions prints no row, text or JSON.
    @Test(arguments: ["text", "json"])
    func tableFilterHoldsInsideCompressedTransactions(format: String) async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            return
        }
        let file = Fixtures.path("mysql-binlog-connector-rust/mysql-bin.000057")
        let all = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable, ["binlog", "show", "-v", "--format", format, file])
        let none = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable, ["binlog", "show", "-v", "--format", format, "--table", "nosuch.t", file])
        #expect(all.status == 0 && none.status == 0)
        let rowMarker = format == "text" ? "### INSERT INTO" : "\"operation\":\"insert\""
        #expect(all.text.contains(rowMarker))
        #expect(!none.text.contains(rowMarker))
        #expect(!none.text.contains("Write_rows"))
    }

    /// A file of only the binlog magic is said to hold no events (it printed nothing at all); a device or a pipe is
    /// named by its whole path ("/dev/null", not "null").
    @Test func anEmptyBinlogAndADeviceAreNamed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let magicOnly = directory + "/mysql-bin.000007"
        try Data([0xFE, 0x62, 0x69, 0x6E]).write(to: URL(fileURLWithPath: magicOnly))
        let empty = try await ChildProcess.runCapturing(ChildProcess.rewindExecutable, ["binlog", "show", magicOnly])
        #expect(empty.status == 0)
        #expect(empty.text.contains("\(magicOnly) holds no events, only the 4-byte binlog magic"), "\(empty.text)")
        let device = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable, ["binlog", "show", "/dev/null"])
        #expect(device.status == 1)
        #expect(device.text.contains("/dev/null, byte 0: the file is 0 bytes long"), "\(device.text)")
    }
}
