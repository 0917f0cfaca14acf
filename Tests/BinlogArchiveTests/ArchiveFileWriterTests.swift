import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Resuming an archived file: a partial or damaged trailing event is cut off at the last whole event, on real
/// MySQL 8 and MariaDB binlogs (../shared fixtures; copies of their prefixes go to a temporary directory).
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveFileWriterTests {
    static let files = [
        "mysql-cdc-rs/8.0/02_query_bigger/binlog.000733",  // MySQL 8.0.31, open (in-use flag), CRC32
        "mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001",  // MySQL 8.0.40, CRC32
        "mariadb-poc/domain_id_0/mariadb-repl-bin.000002",
    ]

    /// Event boundaries found by walking the headers' event_size fields.
    static func boundaries(_ data: Data) -> [Int] {
        var offsets = [4]
        var offset = 4
        while offset + 19 <= data.count {
            let size = data[(offset + 9)..<(offset + 13)].enumerated().reduce(0) {
                $0 | Int($1.element) << (8 * $1.offset)
            }
            guard size >= 19, offset + size <= data.count else { break }
            offset += size
            offsets.append(offset)
        }
        return offsets
    }

    static func write(_ data: Data) throws -> (directory: String, path: String) {
        let directory = try ArchiveTestFiles.temporaryDirectory("writer")
        let path = directory + "/mysql-bin.000001"
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        return (directory, path)
    }

    @Test(arguments: files)
    func cutsAPartialTrailingEventAtAnyByte(file: String) throws {
        let data = try Fixtures.data(file)
        let boundaries = Self.boundaries(data)
        #expect(boundaries.last == data.count, "\(file) should end at an event boundary")
        var random = SplitMix64(seed: 7)
        var cuts = (0..<24).map { _ in Int.random(in: 0...data.count, using: &random) }
        cuts += [0, 3, 4, 5, 4 + 19, data.count - 1, data.count] + boundaries.prefix(3)
        for cut in cuts {
            let (directory, path) = try Self.write(data.prefix(cut))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var events = 0
            let result = try ArchiveFileWriter.resume(path: path, from: 4, verifyChecksums: true) { _, _ in events += 1
            }
            let expected = max(4, boundaries.last { $0 <= cut } ?? 4)
            #expect(result.writer.size == UInt64(expected), "\(file) cut at \(cut)")
            #expect(ArchiveTestFiles.size(path) == UInt64(expected), "\(file) cut at \(cut): the file itself")
            #expect(events == (boundaries.firstIndex(of: expected) ?? 0), "\(file) cut at \(cut): events counted")
            #expect((result.truncated != nil) == (cut != expected), "\(file) cut at \(cut): truncation reported")
            // What is left is the original's prefix.
            #expect(FileManager.default.contents(atPath: path) == data.prefix(expected))
        }
    }

    @Test(arguments: files)
    func cutsADamagedLastEvent(file: String) throws {
        var data = try Fixtures.data(file)
        let boundaries = Self.boundaries(data)
        let lastStart = boundaries[boundaries.count - 2]
        data[lastStart + 19] ^= 0xFF  // inside the last event's body: its CRC32 no longer matches
        let (directory, path) = try Self.write(data)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try ArchiveFileWriter.resume(path: path, from: 4, verifyChecksums: true) { _, _ in }
        #expect(result.writer.size == UInt64(lastStart))
        #expect(result.truncationReason?.contains("damaged") == true, "\(result.truncationReason ?? "no reason")")
    }

    @Test func resumingFromARecordedBoundaryCountsOnlyLaterEvents() throws {
        let data = try Fixtures.data(Self.files[1])
        let boundaries = Self.boundaries(data)
        let start = boundaries[boundaries.count / 2]
        let (directory, path) = try Self.write(data)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var offsets: [UInt64] = []
        let result = try ArchiveFileWriter.resume(path: path, from: UInt64(start), verifyChecksums: true) { _, offset in
            offsets.append(offset)
        }
        #expect(offsets == boundaries.filter { $0 >= start && $0 < data.count }.map(UInt64.init))
        #expect(result.truncated == nil)
        #expect(result.writer.size == UInt64(data.count))
    }

    @Test func completeClearsTheInUseFlagOnly() throws {
        var data = try Fixtures.data(Self.files[1])
        data[4 + 17] |= 0x01
        let (directory, path) = try Self.write(data)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try ArchiveFileWriter.resume(path: path, from: 4, verifyChecksums: true) { _, _ in }
        try result.writer.complete()
        var expected = data
        expected[4 + 17] &= 0xFE
        #expect(FileManager.default.contents(atPath: path) == expected)
    }

    @Test func writesManySmallEventsInBatchesOfIOVecs() throws {
        let directory = try ArchiveTestFiles.temporaryDirectory("writer-batches")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/mysql-bin.000001"
        let writer = try ArchiveFileWriter.create(path: path)
        var expected = ArchiveFileWriter.magic
        var random = SplitMix64(seed: 99)
        for index in 0..<3000 {
            let bytes = (0..<Int.random(in: 1...300, using: &random)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            expected += bytes
            var buffer = ByteBufferAllocator().buffer(capacity: bytes.count + 8)
            buffer.writeBytes([0, 0, 0])
            buffer.writeBytes(bytes)
            buffer.moveReaderIndex(forwardBy: 3)  // a slice, as events arrive inside packet buffers
            try writer.append(buffer)
        }
        try writer.flush()
        #expect(writer.size == UInt64(expected.count))
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == expected)
    }

    @Test func fileNamesOrderByNumberAndNameTheFilesBetween() throws {
        let a = try #require(BinlogFileName("mysql-bin.000009"))
        let b = try #require(BinlogFileName("mysql-bin.000012"))
        #expect(a < b)
        #expect(a.names(before: b) == ["mysql-bin.000010", "mysql-bin.000011"])
        #expect(BinlogFileName("mysql-bin.index") == nil)
        #expect(BinlogFileName("rewind-archive.json") == nil)
        #expect(BinlogFileName("binlog.1000000")?.number == 1_000_000)
    }
}
