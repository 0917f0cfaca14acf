import BinlogFormat
import Foundation
import RewindTestSupport

/// A binlog file's bytes split into events by their `event_size`, and seeded mutations of it whose CRC32
/// trailers are recomputed, so that a damaged event gets past the checksum to the decoder itself.
struct MutantBinlog {
    var bytes: [UInt8]
    /// Start offsets of the events (after the 4-byte magic).
    var events: [Int]
    /// Whether each event ends with a valid CRC32 trailer in the original file.
    var hasChecksums: Bool

    /// `nil` when the file is not a whole v4 binlog (the corpus also holds relay logs cut short and other oddities).
    init?(_ data: Data) {
        self.bytes = Array(data)
        guard self.bytes.count > 4, Array(self.bytes.prefix(4)) == [0xFE, 0x62, 0x69, 0x6E] else { return nil }
        guard let events = Self.walk(self.bytes), events.count >= 3 else { return nil }
        self.events = events
        self.hasChecksums = Self.checksumMatches(Array(self.bytes[events[0]..<events[1]]))
    }

    /// Event start offsets when the sizes tile the file exactly, else `nil`.
    static func walk(_ bytes: [UInt8]) -> [Int]? {
        var offsets: [Int] = []
        var offset = 4
        while offset < bytes.count {
            guard offset + 19 <= bytes.count else { return nil }
            let size =
                Int(bytes[offset + 9]) | Int(bytes[offset + 10]) << 8 | Int(bytes[offset + 11]) << 16
                | Int(bytes[offset + 12]) << 24
            guard size >= 19, offset + size <= bytes.count else { return nil }
            offsets.append(offset)
            offset += size
        }
        return offsets
    }

    func eventRange(_ index: Int) -> Range<Int> {
        let start = self.events[index]
        let end = index + 1 < self.events.count ? self.events[index + 1] : self.bytes.count
        return start..<end
    }

    static func checksumMatches(_ event: [UInt8]) -> Bool {
        guard event.count > 23 else { return false }
        let stored = event.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        return event.dropLast(4).withUnsafeBytes { BinlogChecksum.crc32($0) } == stored
    }

    /// Recomputes the CRC32 trailer of the event at `range` (when the file has checksums).
    mutating func resign(_ range: Range<Int>) {
        guard self.hasChecksums, range.count > 23, range.upperBound <= self.bytes.count else { return }
        let crc = self.bytes[range.lowerBound..<(range.upperBound - 4)].withUnsafeBytes { BinlogChecksum.crc32($0) }
        for index in 0..<4 { self.bytes[range.upperBound - 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
    }

    /// One seeded mutation: bytes flipped inside an event (CRC recomputed), a lying `event_size`, a zeroed range,
    /// or the file cut short. Returns what was done, for the failure message.
    mutating func mutate(using random: inout SplitMix64) -> String {
        let index = Int.random(in: 1..<self.events.count, using: &random)
        let range = self.eventRange(index)
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<6:
            // Flip bytes of one event's body (the fields the decoder parses), then sign it again.
            let count = Int.random(in: 1...4, using: &random)
            var flipped: [Int] = []
            let bodyStart = range.lowerBound + 19
            let bodyEnd = range.upperBound - (self.hasChecksums ? 4 : 0)
            guard bodyEnd > bodyStart else { return "no body to flip in event \(index)" }
            for _ in 0..<count {
                let at = Int.random(in: bodyStart..<bodyEnd, using: &random)
                self.bytes[at] ^= UInt8.random(in: 1...255, using: &random)
                flipped.append(at)
            }
            self.resign(range)
            return "flipped bytes \(flipped) in the event at \(range.lowerBound) (CRC recomputed: \(self.hasChecksums))"
        case 6:
            // A lying event_size.
            let size = UInt32.random(in: 0...UInt32(range.count * 2 + 64), using: &random)
            for byte in 0..<4 {
                self.bytes[range.lowerBound + 9 + byte] = UInt8(truncatingIfNeeded: size >> (8 * byte))
            }
            return "event_size of the event at \(range.lowerBound) set to \(size)"
        case 7:
            // The event type byte changed (CRC recomputed).
            self.bytes[range.lowerBound + 4] = UInt8.random(in: 0...255, using: &random)
            self.resign(range)
            return "type of the event at \(range.lowerBound) set to \(self.bytes[range.lowerBound + 4])"
        case 8:
            let start = Int.random(in: range, using: &random)
            let end = min(self.bytes.count, start + Int.random(in: 1...100, using: &random))
            for at in start..<end { self.bytes[at] = 0 }
            return "bytes \(start)..<\(end) zeroed"
        default:
            let cut = Int.random(in: 4..<self.bytes.count, using: &random)
            self.bytes.removeSubrange(cut...)
            return "cut at \(cut)"
        }
    }
}
