import Dispatch
import Recovery
import RewindTestSupport
import Testing

@testable import Flashback

/// The scan for DDL after the selection, read by two threads at once: whatever the second one is given as the
/// start of its half (a true event start, a position inside an event, one in the next file), the entries are
/// those of one walk from the start. A real MariaDB binlog with 41 DDL statements spread over half a MB.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct DDLTailScanTests {
    let path = Fixtures.path("mariadb-test-data/std_data/mdev6020-mysql-bin.000001")

    /// Where each event of `path` starts, after the format description.
    func eventStarts() throws -> [UInt64] {
        var scanner = try BinlogFileScanner(path: self.path)
        var starts: [UInt64] = []
        while let (position, _) = try scanner.nextHeader() { starts.append(position) }
        return starts
    }

    /// The positions of the DDL `scan` finds, with the second thread started at `split` (if any) first, so
    /// that the order of the two threads is fixed.
    func ddlPositions(_ scan: DDLTailScan, split: DDLTailScan.Position?) throws -> [String] {
        if let split { scan.help(at: split) }
        scan.runFirstHalf()
        return try scan.helpAndWait().map { "\($0.file):\($0.position)" }
    }

    func scan(paths: [String], from start: UInt64? = nil) -> DDLTailScan {
        DDLTailScan(paths: paths, file: 0, from: start, verifyChecksums: true, minimumToSplit: 0, syncInterval: 4096)
    }

    @Test func probableEventStartsAreTheNextEventStarts() throws {
        let starts = try self.eventStarts()
        let scanner = try BinlogFileScanner(path: self.path)
        for tenth in 1...9 {
            let offset = scanner.size * UInt64(tenth) / 10
            let found = try scanner.probableEventStart(atOrAfter: offset)
            #expect(found == starts.first { $0 >= offset }, "from \(offset)")
        }
        #expect(try scanner.probableEventStart(atOrAfter: scanner.size) == nil)
    }

    @Test func twoThreadsFindWhatOneFinds() throws {
        let starts = try self.eventStarts()
        let alone = try self.ddlPositions(self.scan(paths: [self.path]), split: nil)
        #expect(alone.count == 41)
        let middle = try #require(starts.first { $0 >= starts.last! / 2 })
        // A true event start, a position inside an event (the first thread reads past it and on to the end),
        // and a start in the second file of two.
        for split in [middle, middle + 1] {
            let positions = try self.ddlPositions(
                self.scan(paths: [self.path]), split: DDLTailScan.Position(file: 0, offset: split))
            #expect(positions == alone, "split at \(split)")
        }
        let twice = try self.ddlPositions(self.scan(paths: [self.path, self.path]), split: nil)
        #expect(twice == alone + alone)
        for split in [starts[3], middle, middle + 1] {
            let positions = try self.ddlPositions(
                self.scan(paths: [self.path, self.path]), split: DDLTailScan.Position(file: 1, offset: split))
            #expect(positions == alone + alone, "split in the second file at \(split)")
        }
    }

    @Test func theWaitingThreadJoinsHalfway() throws {
        let starts = try self.eventStarts()
        let from = starts[starts.count / 4]
        let paths = [self.path, self.path]
        let alone = try self.ddlPositions(self.scan(paths: paths, from: from), split: nil)
        // Halfway through what is left (here in the second file), where an event starts.
        let split = try #require(try self.scan(paths: paths, from: from).halfway())
        #expect(split.file == 1 && starts.contains(split.offset))
        #expect(try self.ddlPositions(self.scan(paths: paths, from: from), split: split) == alone)
        // Both threads at once, in whatever order they run.
        for _ in 0..<20 {
            let scan = self.scan(paths: paths, from: from)
            DispatchQueue.global().async { scan.runFirstHalf() }
            #expect(try scan.helpAndWait().map { "\($0.file):\($0.position)" } == alone)
        }
    }
}
