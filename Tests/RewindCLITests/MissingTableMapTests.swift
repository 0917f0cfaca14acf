import BinlogFormat
import Foundation
import RewindTestSupport
import Testing

/// A row event whose TABLE_MAP is missing used to print a `### (no table map …)` comment and exit 0 (and count
/// zero rows in `stats`): now it is an error naming the file and the row event's byte offset, and `--force-read`
/// goes on past it but still exits non-zero, repeating the error at the end.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct MissingTableMapTests {
    static let source = "mysql-cdc-rs/8.0/02_query_bigger/binlog.000733"
    static let tableMapAt = 1336  // a TABLE_MAP (91 bytes) followed by its WRITE_ROWS at 1427

    /// The source with that TABLE_MAP turned into an event type nobody knows (CRC32 recomputed).
    static func fileWithoutTheTableMap() throws -> String {
        var bytes = Array(try Fixtures.data(Self.source))
        try #require(bytes[Self.tableMapAt + 4] == 19, "the fixture's TABLE_MAP moved")
        bytes[Self.tableMapAt + 4] = 250
        let end = Self.tableMapAt + 91
        let crc = bytes[Self.tableMapAt..<(end - 4)].withUnsafeBytes { BinlogChecksum.crc32($0) }
        for index in 0..<4 { bytes[end - 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-map-\(UUID()).000001").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func showAndStatsNameTheFileAndTheRowEventsByte() async throws {
        let path = try Self.fileWithoutTheTableMap()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let name = URL(fileURLWithPath: path).lastPathComponent

        let show = try await DecoderFuzzTests.rewind(["binlog", "show", "-v", path])
        #expect(show.status == 1)
        #expect(show.stderr.contains("\(name), byte 1427"), "\(show.stderr)")
        #expect(show.stderr.contains("TABLE_MAP"), "\(show.stderr)")
        #expect(show.stderr.contains("events were read before it"), "\(show.stderr)")
        #expect(!show.stdout.contains("no table map"))
        #expect(!show.stdout.contains("# at 1427\n"), "the output ends before the row event")

        let forced = try await DecoderFuzzTests.rewind(["binlog", "show", "-v", "--force-read", path])
        #expect(forced.status == 1)
        #expect(forced.stdout.contains("# at 1740\n"), "--force-read goes on past it")
        #expect(forced.stdout.hasSuffix("/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"))
        #expect(forced.stderr.contains("\(name), byte 1427"), "the error is repeated at the end: \(forced.stderr)")
        #expect(forced.stderr.contains("1 event could not be read"), "\(forced.stderr)")

        let stats = try await DecoderFuzzTests.rewind(["binlog", "stats", path])
        #expect(stats.status == 1)
        #expect(stats.stderr.contains("\(name), byte 1427"), "\(stats.stderr)")

        // The untouched file reads cleanly, and stats takes --no-verify-checksums as show does.
        let clean = try await DecoderFuzzTests.rewind([
            "binlog", "stats", "--no-verify-checksums", Fixtures.path(Self.source),
        ])
        #expect(clean.status == 0, "\(clean.stderr)")
    }
}
