import CZlib
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogFormat

/// The CRC32 that binlog checksums use: ISA-L's fast version must equal zlib's `crc32`, and whole-event checks must
/// accept real events and reject damaged ones.
struct ChecksumTests {
    @Test func fastCRC32EqualsZlib() {
        var random = SplitMix64(seed: 32)
        var lengths = Array(0...300) + [1023, 1024, 1025, 4095, 65_536, 1 << 20]
        lengths += (0..<40).map { _ in Int.random(in: 0...200_000, using: &random) }
        for length in lengths {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let ours = bytes.withUnsafeBytes { BinlogChecksum.crc32($0) }
            let zlib = bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
            #expect(ours == zlib, "length \(length)")
        }
    }

    @Test func verifiesWholeEventsAndMasksTheInUseFlag() throws {
        // A real FORMAT_DESCRIPTION (MySQL 8.0.31, open file: in-use flag set after its checksum was computed).
        let data = try Fixtures.data("mysql-cdc-rs/8.0/02_query_bigger/binlog.000733")
        let size = Int(data[4 + 9]) | Int(data[4 + 10]) << 8
        var event = ByteBuffer(bytes: data[4..<(4 + size)])
        #expect(event.getInteger(at: 17, as: UInt8.self)! & 1 == 1)
        #expect(BinlogChecksum.verify(event: event) == .valid)
        event.setInteger(event.getInteger(at: 40, as: UInt8.self)! ^ 0x10, at: 40)
        guard case .mismatch = BinlogChecksum.verify(event: event) else {
            Issue.record("a flipped bit must not pass")
            return
        }
        #expect(BinlogChecksum.verify(event: ByteBuffer(bytes: [1, 2, 3])) == .tooShort)
    }

    /// A CRC32 computed over an event's pieces, as an archiver writes a long event as it arrives, gives
    /// ``BinlogChecksum/verify(event:)``'s outcome however the event is cut, the trailer split included.
    @Test func aRunningCheckOverPiecesEqualsTheWholeEventCheck() {
        var random = SplitMix64(seed: 4)
        for length in [23, 24, 100, 70_000, 300_001] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            bytes[9] = UInt8(truncatingIfNeeded: length)
            bytes[10] = UInt8(truncatingIfNeeded: length >> 8)
            bytes[11] = UInt8(truncatingIfNeeded: length >> 16)
            bytes[12] = 0
            let crc = bytes.prefix(length - 4).withUnsafeBytes { BinlogChecksum.crc32($0) }
            for (index, shift) in [0, 8, 16, 24].enumerated() {
                bytes[length - 4 + index] = UInt8(truncatingIfNeeded: crc >> shift)
            }
            for damaged in [false, true] {
                var event = bytes
                if damaged { event[Int.random(in: 19..<length, using: &random)] ^= 0x08 }
                let whole = BinlogChecksum.verify(event: ByteBuffer(bytes: event))
                #expect((whole == .valid) == !damaged)
                for _ in 0..<20 {
                    var running = RunningEventChecksum(eventSize: length)
                    var offset = 0
                    while offset < length {
                        let size = min(length - offset, Int.random(in: 1...max(1, length / 3), using: &random))
                        event[offset..<(offset + size)].withUnsafeBytes { running.update($0) }
                        offset += size
                    }
                    #expect(running.outcome == whole, "length \(length), damaged \(damaged)")
                }
            }
        }
        var short = RunningEventChecksum(eventSize: 100)
        short.update(ByteBuffer(repeating: 0, count: 50))
        #expect(short.outcome == .tooShort, "not all bytes fed")
    }
}
