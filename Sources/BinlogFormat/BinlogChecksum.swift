import CIsal
import NIOCore

/// CRC32 trailers of whole events, checked without decoding them (for copying binlogs byte for byte).
public enum BinlogChecksum {
    /// What a check of one event found.
    public enum Outcome: Hashable, Sendable {
        case valid
        /// The event is too short to hold a header and a trailer.
        case tooShort
        case mismatch(stored: UInt32, computed: UInt32)
    }

    /// CRC-32 (ISO-HDLC, as binlog checksums use), with ISA-L's carry-less-multiply implementation: the same
    /// values as zlib's `crc32`, several times faster.
    ///
    /// - Parameter crc: the CRC of the bytes before these, to compute one CRC over pieces (0 for the first).
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return crc32_gzip_refl(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    /// Checks the CRC32 trailer of `event` (header, body and the 4-byte trailer, as in a file).
    ///
    /// A FORMAT_DESCRIPTION event of an open binlog carries `LOG_EVENT_BINLOG_IN_USE_F`, set after its checksum
    /// was computed: the check masks that bit, as servers do. ``BinlogEventDecoder`` checks events with this too.
    public static func verify(event: ByteBuffer) -> Outcome {
        guard event.readableBytes >= BinlogEventHeader.v4Length + 4,
            let stored = event.getInteger(
                at: event.readerIndex + event.readableBytes - 4, endianness: .little, as: UInt32.self)
        else { return .tooShort }
        let computed: UInt32 = event.withUnsafeReadableBytes { raw in
            let covered = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)])
            let flags = UInt16(raw[17]) | UInt16(raw[18]) << 8
            if raw[4] == BinlogEventType.formatDescription.rawValue && flags & BinlogEventHeader.flagBinlogInUse != 0 {
                var copy = Array(covered)
                copy[17] &= ~UInt8(truncatingIfNeeded: BinlogEventHeader.flagBinlogInUse)
                return copy.withUnsafeBytes { Self.crc32($0) }
            }
            return Self.crc32(covered)
        }
        return computed == stored ? .valid : .mismatch(stored: stored, computed: computed)
    }
}
