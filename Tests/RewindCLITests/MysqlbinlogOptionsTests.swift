import ArgumentParser
import BinlogFormat
import RewindTestSupport
import Testing

@testable import Recovery
@testable import RewindCLI

/// A DBA's mysqlbinlog habits: the options that make sense mean what they mean there; the others are refused
/// with what Rewind does instead.
@Suite struct MysqlbinlogOptionsTests {
    @Test func mysqlbinlogShortFormsAndNamesParse() throws {
        let command = try Rewind.parseAsRoot([
            "binlog", "show", "-j", "120", "-f", "-c", "--base64-output=decode-rows", "--server-id", "2",
            "-R", "-t", "--connection-server-id", "99", "mysql-bin.000001",
        ])
        let show = try #require(command as? BinlogShowCommand)
        #expect(show.filters.startPosition == 120)
        #expect(show.forceRead)
        #expect(show.verifyBinlogChecksum)
        #expect(show.remote && show.toLastLog)
        #expect(show.connectionServerID == 99)
        #expect(show.filters.filter(timezone: .utc).serverID == 2)
        try show.validate()
    }

    @Test(arguments: [
        (["--base64-output=auto"], "never prints BINLOG"), (["--base64-output=never"], "decode-rows"),
        (["--stop-never", "-R"], "rewind binlog archive --follow"), (["-t"], "--remote"),
    ])
    func unsupportedHabitsSayWhatRewindDoesInstead(extra: [String], expected: String) throws {
        let message = Self.refusal(["binlog", "show"] + extra + ["f"])
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    /// The message the parser prints for `arguments`, or `nil` when they are accepted.
    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try Rewind.parseAsRoot(arguments)
            return nil
        } catch {
            return Rewind.message(for: error)
        }
    }

    @Test func aStopTimeBeforeTheStartTimeIsRefused() throws {
        let before = Self.refusal([
            "binlog", "show", "--start-datetime", "2024-05-01 14:00:00", "--stop-datetime", "2024-05-01 13:00:00", "f",
        ])
        #expect(before?.contains("--stop-datetime must be later than --start-datetime") == true)
        let equal = Self.refusal([
            "binlog", "show", "--start-datetime", "2024-05-01 14:00:00", "--stop-datetime", "2024-05-01 14:00:00", "f",
        ])
        #expect(equal != nil)
        let fine = Self.refusal([
            "binlog", "show", "--start-datetime", "2024-05-01 13:00:00", "--stop-datetime", "2024-05-01 14:00:00", "f",
        ])
        #expect(fine == nil)
    }

    /// `--server-id` on a local file keeps only that server's events (and the file's framing), as mysqlbinlog does.
    @Test func serverIDFiltersLocalFiles() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            return
        }
        let path = Fixtures.path("mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001")
        var all: [BinlogEventRecord] = []
        _ = try await BinlogInspector().read(.files([path])) { all.append($0.record) }
        let serverID = try #require(all.first { $0.header.type == .query }?.header.serverID)
        var same: [BinlogEventRecord] = []
        _ = try await BinlogInspector(filter: BinlogEventFilter(serverID: serverID)).read(.files([path])) {
            same.append($0.record)
        }
        #expect(
            same.count
                == all.filter { $0.header.serverID == serverID || BinlogEventFilter.isFileFraming($0.event) }.count)
        var other: [BinlogEventRecord] = []
        _ = try await BinlogInspector(filter: BinlogEventFilter(serverID: serverID &+ 1)).read(.files([path])) {
            other.append($0.record)
        }
        #expect(!other.contains { $0.header.type == .query || $0.header.type == .tableMap })
        #expect(other.count < all.count)
    }
}
