import Foundation
import NIOCore

/// Whether the file a dump resumes inside is the file the archive holds under that name.
///
/// A dump that starts inside a file sends the file's FORMAT_DESCRIPTION event first. The server keeps its header
/// (the time the file was started, the server_id) and its body (binlog version, server version, header lengths), but
/// sets `log_pos` and the `created` field to 0 and computes its CRC32 again. Those parts are compared with the event at
/// byte 4 of the archived file. After `RESET MASTER`, or with another server whose files have the same names (and,
/// on MariaDB, the default server_id 1), they differ, while position and file name alone would let the archiver append
/// the other file's events to the archived one.
enum ResumedFileIdentity {
    /// The parts of a FORMAT_DESCRIPTION event a resumed dump sends unchanged, as (offset in the event, length).
    static func comparedRanges(eventSize: Int) -> [(start: Int, count: Int)] {
        // timestamp (4), type (1), server_id (4), event size (4); then flags (2), log_pos (4) differ.
        var ranges: [(Int, Int)] = [(0, 13)]
        // The body: binlog version (2), server version (50); `created` (4) differs; header length and the post-header
        // lengths follow, up to the checksum algorithm byte and the CRC32 (5 bytes, when the server has checksums;
        // without, the last 5 bytes of the lengths are left out too, which changes nothing that matters).
        ranges.append((19, 52))
        let rest = 19 + 56
        if eventSize - 5 > rest { ranges.append((rest, eventSize - 5 - rest)) }
        return ranges
    }

    /// Throws when `event` (the FORMAT_DESCRIPTION a dump sent on resuming `name`) is not the archive's, which
    /// `holds` compares with the archived bytes at an offset.
    static func check(
        _ event: ByteBuffer, name: String, location: String, holds: (ByteBuffer, UInt64) throws -> Bool
    ) throws {
        let size = event.readableBytes
        for (start, count) in self.comparedRanges(eventSize: size) where start + count <= size {
            guard let part = event.getSlice(at: event.readerIndex + start, length: count) else { continue }
            if try holds(part, 4 + UInt64(start)) { continue }
            let time = event.getInteger(at: event.readerIndex, endianness: .little, as: UInt32.self) ?? 0
            let serverID = event.getInteger(at: event.readerIndex + 5, endianness: .little, as: UInt32.self) ?? 0
            let started = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(time)))
            throw ArchiveError(
                "the server's \(name) is not the file the archive holds under that name: its FORMAT_DESCRIPTION event "
                    + "(started \(started), server_id \(serverID)) differs from the archived one at byte 4. The binary "
                    + "log was reset (RESET MASTER), or this is another server whose files have the same names. "
                    + "Nothing was written; archive this server into another directory (or move the archived "
                    + "\(name) away first if the reset was meant): one archive never mixes two servers' files",
                path: location, offset: 4)
        }
    }
}
