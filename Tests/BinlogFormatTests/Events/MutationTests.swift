import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogFormat

/// Acceptance: mutated corpus files (cut short, bytes flipped, runs zeroed) never crash the decoder: each
/// either decodes or throws a ``BinlogDecodingError`` that names the file and byte offset. Checksums are also
/// switched off, so corrupt bodies reach every event and value decoder instead of stopping at the CRC.
@Suite(.serialized) struct MutationTests {
    enum Mutation: CustomStringConvertible {
        case truncate(Int)
        case flip([(Int, UInt8)])
        case zero(Int, Int)
        var description: String {
            switch self {
            case .truncate(let at): "truncate at \(at)"
            case .flip(let flips): "flip " + flips.map { "\($0.0)^\($0.1)" }.joined(separator: ",")
            case .zero(let at, let count): "zero \(count) at \(at)"
            }
        }
        func apply(to bytes: [UInt8]) -> [UInt8] {
            var copy = bytes
            switch self {
            case .truncate(let at): copy.removeSubrange(at...)
            case .flip(let flips): for (index, mask) in flips { copy[index] ^= mask }
            case .zero(let at, let count): for index in at..<min(copy.count, at + count) { copy[index] = 0 }
            }
            return copy
        }
    }

    static func mutations(for size: Int, seed: UInt64, count: Int) -> [Mutation] {
        guard size > 5 else { return [] }
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            switch index % 3 {
            case 0: return .truncate(Int.random(in: 4..<size, using: &random))
            case 1:
                return .flip(
                    (0..<Int.random(in: 1...8, using: &random)).map { _ in
                        (Int.random(in: 4..<size, using: &random), UInt8.random(in: 1...255, using: &random))
                    })
            default: return .zero(Int.random(in: 4..<size, using: &random), Int.random(in: 1...64, using: &random))
            }
        }
    }

    // One file at a time: 138 CPU-bound cases queued at once held the 2-thread test pool for over 30 s, and
    // other suites' network timeouts fired.
    @Test(.serialized, arguments: Fixtures.allBinlogFiles().filter { !$0.hasSuffix(".gz") })
    func mutatedFileDecodesOrFailsCleanly(file: String) throws {
        let original = Array(try Fixtures.data(file))
        let count = original.count > 1_000_000 ? 1 : original.count > 300_000 ? 3 : 24
        let seed = UInt64(truncatingIfNeeded: file.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
        for mutation in Self.mutations(for: original.count, seed: seed, count: count) {
            let bytes = mutation.apply(to: original)
            for (verify, force) in [(true, false), (false, false), (false, true)] {
                let result = FixtureDecoding.decode(
                    bytes: bytes, name: file, chunkSize: 1000, forceRead: force, keepContexts: true,
                    verifyChecksums: verify)
                if let error = result.error {
                    #expect(error.fileName == file, "\(file) \(mutation): error without file name")
                    #expect(error.position != nil, "\(file) \(mutation): error without offset: \(error)")
                }
                // Rows are decoded on demand: decode every one (a corrupt image must throw, not trap).
                for (index, record) in result.records.enumerated() {
                    Self.decodeRows(record, context: result.contexts[index])
                }
            }
        }
    }

    static func decodeRows(_ record: BinlogEventRecord, context: BinlogDecodingContext) {
        var context = context
        switch record.event {
        case .rows(let rows):
            guard let map = context.tableMap(for: rows) else { return }
            var decoded: Int?
            do {
                var count = 0
                try rows.forEachRow(table: map) { _ in count += 1 }
                decoded = count
            } catch is BinlogDecodingError {
            } catch {
                Issue.record("row decoding threw a non-binlog error: \(error)")
            }
            // The raw-bytes walkers must not trap either, and agree where the value decoder succeeds.
            var text = TextBuffer(capacity: 64)
            let comments: [[UInt8]?] = map.columns.map { _ in Array(" /* c */".utf8) }
            do {
                let printed = try rows.appendVerboseRows(table: map, comments: comments, to: &text)
                if let decoded { #expect(printed == decoded) }
            } catch is BinlogDecodingError {
                #expect(decoded == nil, "the printer threw where the value decoder did not")
            } catch {
                Issue.record("row printing threw a non-binlog error: \(error)")
            }
            do {
                let counted = try rows.rowCount(table: map)
                if let decoded { #expect(counted == decoded) }
            } catch is BinlogDecodingError {
                #expect(decoded == nil, "counting threw where the value decoder did not")
            } catch {
                Issue.record("row counting threw a non-binlog error: \(error)")
            }
        case .transactionPayload(let payload):
            for inner in payload.events {
                if case .tableMap(let map) = inner.event { context.tableMaps[map.tableID] = map }
                decodeRows(inner, context: context)
            }
        default:
            break
        }
    }

    /// Every prefix of a file, cut at each byte: inside the magic number nothing decodes and the error says it is not
    /// a binlog; at an event boundary the events before it decode and nothing fails; anywhere else the same events
    /// decode and then a `truncated` error names a position inside the cut event. A wrong prefix is recorded and
    /// the next one checked, so one run reports every prefix that goes wrong.
    @Test func everyPrefixOfAFileStopsCleanly() throws {
        let original = Array(try Fixtures.data("mysqlbinlog2parquet/03-mixed-types.binlog"))
        let whole = FixtureDecoding.decode(bytes: original, name: "whole")
        #expect(whole.error == nil)
        let ends = whole.records.map { Int($0.endPosition) }
        try #require(ends.count > 5 && ends.last == original.count)
        for at in 0..<original.count {
            let result = FixtureDecoding.decode(bytes: Array(original[..<at]), name: "cut")
            let complete = ends.filter { $0 <= at }.count
            #expect(
                result.records.count == complete, "cut at \(at): \(result.records.count) events, expected \(complete)")
            if at == 4 || ends.contains(at) {  // the magic alone is an empty binlog
                #expect(result.error == nil, "cut at the event boundary \(at): \(String(describing: result.error))")
                continue
            }
            guard let error = result.error else {
                Issue.record("cut at \(at) inside \(at < 4 ? "the magic number" : "an event"): no error")
                continue
            }
            if at < 4 {
                #expect(error.code == .notABinlog, "cut at \(at): \(error)")
                #expect(error.position == 0, "cut at \(at): the error names \(String(describing: error.position))")
            } else {
                #expect(error.code == .truncated, "cut at \(at): \(error)")
                let eventStart = UInt64(ends.last { $0 <= at } ?? 4)
                #expect(
                    error.position == eventStart, "cut at \(at): the error names \(String(describing: error.position))")
            }
        }
    }
}
