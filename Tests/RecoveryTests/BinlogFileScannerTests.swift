import BinlogFormat
import Foundation
import Recovery
import RewindTestSupport
import Testing

/// The scanner walks the same events as the full reader, decodes only those asked for, goes on from any event
/// it seeks to, and names the file and offset of a cut event; the positioned reader reads any of them again.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct BinlogFileScannerTests {
    static let files = [
        "rust_mysql_common/json.binlog.000001", "mariadb-test-data/std_data/mdev6020-mysql-bin.000001",
    ]

    /// Every event of `path` by the full reader.
    static func records(_ path: String) throws -> [BinlogEventRecord] {
        var file = try LocalBinlogFile(path: path)
        var records: [BinlogEventRecord] = []
        while let record = try file.next() { records.append(record) }
        return records
    }

    @Test(arguments: Self.files)
    func headersAndDecodedEventsAreTheFullReadersOnes(file: String) throws {
        let path = Fixtures.path(file)
        let records = try Self.records(path)
        for readAhead in [512, 8192, 1 << 20] {
            var scanner = try BinlogFileScanner(path: path, readAhead: readAhead)
            var seen: [BinlogEventRecord] = []
            var index = 1  // the format description is read when the scanner opens
            while let (position, header) = try scanner.nextHeader() {
                try #require(index < records.count)
                #expect(position == records[index].position)
                #expect(header == records[index].header)
                // Every other event is decoded, the others passed over.
                if index % 2 == 0 { seen.append(try scanner.decode()) }
                index += 1
            }
            #expect(index == records.count)
            #expect(seen == records.indices.filter { $0 >= 1 && $0 % 2 == 0 }.map { records[$0] })
        }
    }

    @Test(arguments: Self.files)
    func aSeekGoesOnFromThatEventAndThePositionedReaderReadsItAgain(file: String) throws {
        let path = Fixtures.path(file)
        let records = try Self.records(path)
        let middle = records[records.count / 2]
        var scanner = try BinlogFileScanner(path: path)
        scanner.seek(to: middle.position)
        let (position, _) = try #require(try scanner.nextHeader())
        #expect(position == middle.position)
        #expect(try scanner.decode().position == middle.position)
        let reader = try PositionedBinlogReader(path: path, context: scanner.context)
        for record in records.dropFirst() {
            #expect(try reader.record(at: record.position, size: Int(record.header.eventSize)).header == record.header)
        }
    }

    @Test func aCutEventNamesTheFileAndOffset() throws {
        let path = Fixtures.path(Self.files[1])
        let records = try Self.records(path)
        let last = try #require(records.last)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).000001")
        defer { try? FileManager.default.removeItem(at: cut) }
        try bytes.prefix(Int(last.position) + 10).write(to: cut)
        var scanner = try BinlogFileScanner(path: cut.path)
        let error = #expect(throws: BinlogDecodingError.self) {
            while try scanner.nextHeader() != nil {}
        }
        #expect(error?.code == .truncated)
        #expect(error?.position == last.position)
        #expect(error?.fileName == cut.lastPathComponent)
    }
}
