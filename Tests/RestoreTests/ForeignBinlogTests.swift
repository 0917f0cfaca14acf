import BackupStorage
import BinlogFormat
import Foundation
import RewindTestSupport
import Testing

@testable import Restore

/// Binlogs that are not the continuation of the backup (another server's files of the same name, a cut file, a
/// binlog reset since) are refused before anything is replayed: reading must begin exactly where an event of the
/// start file begins, and no transaction after the backup's coordinates may already be in its GTID state.
@Suite struct ForeignBinlogTests {
    /// A MariaDB binlog of five transactions (sequence numbers 1 to 5) and where each starts.
    static func binlog() throws -> (path: String, starts: [UInt64], end: UInt64) {
        var file = BinlogFileBuilder(flavor: .mariadb)
        var starts: [UInt64] = []
        for sequence in 1...5 {
            starts.append(UInt64(file.bytes.count))
            file.mariadbGTID(sequence: UInt64(sequence), standalone: false)
            file.query("BEGIN")
            file.tableMap(id: 1, "db", "t")
            file.writeRows(id: 1, [Int32(sequence)])
            file.xid(UInt64(sequence))
        }
        let directory = try temporaryDirectory("foreign-binlog")
        let path = directory + "/mysql-bin.000001"
        try file.write(to: path)
        return (path, starts, UInt64(file.bytes.count))
    }

    static func reader(_ path: String, start: UInt64) -> ChainReader {
        let chain = RestoreChain(
            files: [RestoreChain.File(name: "mysql-bin.000001", path: path, state: nil)], breakPoint: nil,
            isArchive: false)
        return ChainReader(chain: chain, start: ChainPosition(file: 0, offset: start), verifyChecksums: true)
    }

    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as RestoreError {
            return error.code == .refused ? error.description : "not a refusal: \(error)"
        } catch {
            return "not a RestoreError: \(error)"
        }
    }

    @Test func readingMustBeginWhereAnEventBegins() throws {
        let (path, starts, end) = try Self.binlog()
        // At a transaction's start, and at the file's end (a backup taken just before a rotation): read.
        for start in [starts[2], end] {
            var events = 0
            #expect(
                Self.refusal {
                    try Self.reader(path, start: start).walk { _ in
                        events += 1
                        return true
                    }
                } == nil)
            #expect(events > 0)  // the format description at least
        }
        // Inside an event, inside a transaction's GTID event, and past the end: refused, naming file and bytes.
        let inside = try #require(Self.refusal { try Self.reader(path, start: starts[2] + 3).walk { _ in true } })
        #expect(inside.contains("mysql-bin.000001: no event starts at byte \(starts[2] + 3)"), "\(inside)")
        let past = try #require(Self.refusal { try Self.reader(path, start: end + 100).walk { _ in true } })
        #expect(past.contains("mysql-bin.000001 ends at byte \(end), before byte \(end + 100)"), "\(past)")
    }

    /// `--before` stops at a transaction's start, but reads that transaction to its end to say how many rows it
    /// would have changed (the plan said 0 for a 100-row DELETE), and nothing after it.
    @Test func theTransactionTheStopIsAtIsCountedNotApplied() throws {
        let (path, starts, _) = try Self.binlog()
        let options = RestoreOptions(
            backup: DirectoryBackupStore(path: "/nonexistent"), binlogs: [path],
            stop: .before(.gtid(try #require(GTID("0-1-4")))))
        var scan = RestorePlanner.Scan(
            options: options, fileNames: ["mysql-bin.000001"],
            scope: DatabaseScope(backupDatabases: ["db"], options: options))
        var lastRead: UInt64 = 0
        try Self.reader(path, start: starts[0]).walk { event in
            lastRead = event.position.offset
            return try scan.take(event)
        }
        #expect(scan.stopFound)
        #expect(scan.applied == 3)
        #expect(scan.stoppedAt == ChainPosition(file: 0, offset: starts[3]))
        #expect(scan.firstNotApplied?.id == "0-1-4")
        #expect(scan.firstNotApplied?.rows == 1)
        #expect(lastRead > starts[3] && lastRead < starts[4], "read to the end of 0-1-4 and no further: \(lastRead)")
    }

    /// `--until-gtid` applies its transaction and names the next one as the first not applied, with its rows (the
    /// plan said "none — the end of the binlogs" with transactions left after it).
    @Test func untilGTIDNamesTheNextTransactionAsTheFirstNotApplied() throws {
        let (path, starts, _) = try Self.binlog()
        for (gtid, next) in [("0-1-3", "0-1-4"), ("0-1-5", nil)] {
            let options = RestoreOptions(
                backup: DirectoryBackupStore(path: "/nonexistent"), binlogs: [path],
                stop: .untilGTID(try #require(GTID(gtid))))
            var scan = RestorePlanner.Scan(
                options: options, fileNames: ["mysql-bin.000001"],
                scope: DatabaseScope(backupDatabases: ["db"], options: options))
            var lastRead: UInt64 = 0
            try Self.reader(path, start: starts[0]).walk { event in
                lastRead = event.position.offset
                return try scan.take(event)
            }
            #expect(scan.stopFound)
            #expect(scan.lastApplied?.id == gtid)
            #expect(scan.firstNotApplied?.id == next)
            if next != nil {
                #expect(scan.applied == 3)
                #expect(scan.stoppedAt == ChainPosition(file: 0, offset: starts[3]), "the end of 0-1-3")
                #expect(scan.firstNotApplied?.rows == 1)
                #expect(lastRead > starts[3] && lastRead < starts[4], "read to the end of 0-1-4 only: \(lastRead)")
            } else {
                #expect(scan.applied == 5)
            }
        }
    }

    @Test func aTransactionAlreadyInTheBackupIsRefused() throws {
        let (path, starts, _) = try Self.binlog()
        let options = RestoreOptions(backup: DirectoryBackupStore(path: "/nonexistent"), binlogs: [path])
        func scan(from start: UInt64, backupState: String) -> String? {
            var scan = RestorePlanner.Scan(
                options: options, fileNames: ["mysql-bin.000001"],
                scope: DatabaseScope(backupDatabases: ["db"], options: options), backupGTIDs: GTIDSet(backupState),
                backupID: "B1")
            return Self.refusal { try Self.reader(path, start: start).walk { try scan.take($0) } }
        }
        // The backup holds 0-1-3 and reading begins at 0-1-4: the binlogs continue it.
        #expect(scan(from: starts[3], backupState: "0-1-3") == nil)
        // Reading begins at 0-1-2, which the backup already holds: not its binlogs.
        let refused = try #require(scan(from: starts[1], backupState: "0-1-3"))
        #expect(refused.contains("transaction 0-1-2 at mysql-bin.000001:\(starts[1])"), "\(refused)")
        #expect(refused.contains("already in its GTID state"), "\(refused)")
    }
}
