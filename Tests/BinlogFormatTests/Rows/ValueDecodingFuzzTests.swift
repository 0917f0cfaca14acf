import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogFormat

/// Random and cut-short input must throw ``BinlogDecodingError``, never trap, and whatever decodes must print.
/// Serialized: its 40 CPU-bound cases queued at once would keep network tests waiting for a thread of the 2-core pool
/// (as the corpus-wide tests did before they were serialized).
@Suite(.serialized) struct ValueDecodingFuzzTests {
    static let columns: [ColumnDescriptor] = [
        ColumnDescriptor(type: .tiny), ColumnDescriptor(type: .short, isUnsigned: true), ColumnDescriptor(type: .int24),
        ColumnDescriptor(type: .long), ColumnDescriptor(type: .longlong), ColumnDescriptor(type: .float, metadata: 4),
        ColumnDescriptor(type: .double, metadata: 8), ColumnDescriptor(type: .newdecimal, metadata: 0x0A04),
        ColumnDescriptor(type: .newdecimal, metadata: 0x411E), ColumnDescriptor(type: .newdecimal, metadata: 0xFFFF),
        ColumnDescriptor(type: .year), ColumnDescriptor(type: .date), ColumnDescriptor(type: .time),
        ColumnDescriptor(type: .datetime), ColumnDescriptor(type: .timestamp),
        ColumnDescriptor(type: .time2, metadata: 1), ColumnDescriptor(type: .time2, metadata: 4),
        ColumnDescriptor(type: .time2, metadata: 6), ColumnDescriptor(type: .time2, metadata: 9),
        ColumnDescriptor(type: .datetime2, metadata: 3), ColumnDescriptor(type: .timestamp2, metadata: 6),
        ColumnDescriptor(type: .varchar, metadata: 20), ColumnDescriptor(type: .varchar, metadata: 300),
        ColumnDescriptor(type: .string, metadata: 0xFE0A), ColumnDescriptor(type: .string, metadata: 0xCEFC),
        ColumnDescriptor(type: .string, metadata: 0xF702, enumValues: [[0x61]]),
        ColumnDescriptor(type: .string, metadata: 0xF808, setValues: [[0x61], [0x62]]),
        ColumnDescriptor(type: .string, metadata: 0xF809), ColumnDescriptor(type: .bit, metadata: 0x0201),
        ColumnDescriptor(type: .bit, metadata: 0xFFFF), ColumnDescriptor(type: .blob, metadata: 1),
        ColumnDescriptor(type: .blob, metadata: 0), ColumnDescriptor(type: .blob, metadata: 7),
        ColumnDescriptor(type: .geometry, metadata: 1), ColumnDescriptor(type: .json, metadata: 1),
        ColumnDescriptor(type: .vector, metadata: 1), ColumnDescriptor(type: .varcharCompressed, metadata: 40),
        ColumnDescriptor(type: .blobCompressed, metadata: 1), ColumnDescriptor(type: .decimal),
        ColumnDescriptor(type: ColumnType(rawValue: 200)),
    ]

    private struct Generator {
        var random: SplitMix64
        init(state: UInt64) { self.random = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { self.random.next() }
        mutating func bytes(maximumCount: Int) -> [UInt8] {
            let count = Int(self.next() % UInt64(maximumCount + 1))
            return (0..<count).map { _ in UInt8(truncatingIfNeeded: self.next()) }
        }
    }

    @Test(arguments: Self.columns)
    func randomRowBytesNeverTrap(column: ColumnDescriptor) {
        var generator = Generator(state: UInt64(column.type.rawValue) << 16 | UInt64(column.metadata))
        for _ in 0..<2000 {
            let bytes = generator.bytes(maximumCount: 48)
            var buffer = ByteBuffer(bytes: bytes)
            var direct = ByteBuffer(bytes: bytes)
            var directText: [UInt8] = []
            let directResult = Result {
                try MySQLValue.appendVerboseText(decoding: column, from: &direct, to: &directText)
            }
            do {
                let value = try MySQLValue.decode(column, from: &buffer)
                var output: [UInt8] = []
                value.appendVerboseText(to: &output, column: column)
                // The direct printer agrees, and consumes the same bytes.
                #expect((try? directResult.get()) != nil && directText == output)
                #expect(direct.readerIndex == buffer.readerIndex)
                value.appendJSONRepresentation(to: &output, column: column)
            } catch let error as BinlogDecodingError {
                #expect((try? directResult.get()) == nil, "decode threw \(error), the direct printer did not")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func randomAndMutatedJSONNeverTraps() {
        let seeds = [
            "00 0200 1700 1200 0100 1300 0200 05 0100 0c 1500 61 6262 0178",
            "03 03000000 19000000 07 00000080 08 ffffffff 0c 17000000 0173",
            "00 0100 1300 0b00 0100 02 0c00 6b 0100 0700 040100", "0f f6 06 0603807b01c8",
        ].map(RowValueTestSupport.bytes)
        var generator = Generator(state: 42)
        for round in 0..<20000 {
            var document: [UInt8]
            if round % 2 == 0 {
                document = generator.bytes(maximumCount: 40)
            } else {
                document = seeds[round % seeds.count]
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    let index = Int(generator.next() % UInt64(document.count))
                    document[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                if generator.next() % 4 == 0 { document.removeLast(Int(generator.next() % UInt64(document.count))) }
            }
            do {
                _ = try JSONBinary.decode(ByteBuffer(bytes: document)).canonicalText
                var list = ByteBuffer(bytes: document)
                _ = try JSONDiff.decodeList(from: &list)
            } catch is BinlogDecodingError {
                continue
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func hugeClaimedCompressedLengthIsRejectedWithoutAllocating() {
        // Header: zlib, 4 length bytes, original length 0xFFFFFFFF, 2 bytes of "data".
        var buffer = RowValueTestSupport.buffer("07 84ffffffff 0000")
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: .blobCompressed, metadata: 1), from: &buffer)
        }
        #expect(error?.code == .malformed)
    }

    @Test func valuesBuiltByHandPrintWithoutTrapping() {
        let column = ColumnDescriptor(type: .bit, metadata: 0)
        #expect(MySQLValue.bit([0xFF], bitCount: -3).verboseText(column: column) == "b''")
        #expect(MySQLValue.bit([0x01], bitCount: 20).verboseText(column: column) == "b'00000001'")
    }
}
