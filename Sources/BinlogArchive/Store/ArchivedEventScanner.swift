import BinlogFormat
import NIOCore

/// Checks the events of an archived binlog file, from its magic to its end, through a read function: every store
/// (a local file, later an object) checks a file it resumes the same way.
///
/// Each event's framing is checked, and its CRC32 where the file has checksums (long events in pieces, never held
/// whole); the scan stops at the first partial or damaged event, or after a ROTATE or STOP (which end a file).
enum ArchivedEventScanner {
    /// What a scan found.
    struct Outcome {
        /// Where the good events end: the file is cut back to this when it is shorter than the file (0: not even
        /// the magic is whole).
        var goodEnd: UInt64
        /// Why the bytes after ``goodEnd`` are not good, when there are any.
        var damage: String?
        /// The file is finished (its last good event is a ROTATE or STOP).
        var endedWith: BinlogEventType?
        /// The inspector after the file's events (it knows the file's checksum mode).
        var inspector: ArchiveEventInspector
    }

    /// Events up to this size are read whole; longer ones are read and checked in pieces of this size (but those whose
    /// body counts transactions, up to ``ArchiveEventInspector/wholeBodyLimit``).
    static let readChunk = 1 << 20

    /// Scans a file of `size` bytes.
    ///
    /// - Parameters:
    ///   - location: the file, for errors.
    ///   - start: an event boundary; `onEvent` is called for the whole, good events at or after it.
    ///   - read: fills the buffer from the file at the offset; returns how many bytes it read (fewer at the end).
    ///   - onEvent: called for each whole, good event at or after `start`, with its offset.
    /// - Throws: ``ArchiveError`` for a file that is not a binlog (no magic), or what `read` throws.
    static func scan(
        size fileSize: UInt64,
        location: String,
        from start: UInt64,
        verifyChecksums: Bool,
        read: (UnsafeMutableRawBufferPointer, UInt64) throws -> Int,
        onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> Outcome {
        var outcome = Outcome(goodEnd: 0, inspector: ArchiveEventInspector(verifiesChecksums: verifyChecksums))
        var magic = [UInt8](repeating: 0, count: 4)
        let magicCount = try magic.withUnsafeMutableBytes { try read($0, 0) }
        guard magicCount == 4 else {
            // Killed before the magic was whole: the file starts again.
            outcome.damage = "the file held only \(fileSize) bytes of the binlog magic"
            return outcome
        }
        guard magic == ArchiveFileWriter.magic else {
            throw ArchiveError("not a binlog file (no fe 62 69 6e magic); move it away", path: location, offset: 0)
        }
        var offset: UInt64 = 4
        var reading = ByteBufferAllocator().buffer(capacity: Self.readChunk)
        while offset < fileSize {
            var headerBytes = [UInt8](repeating: 0, count: BinlogEventHeader.v4Length)
            let got = try headerBytes.withUnsafeMutableBytes { try read($0, offset) }
            guard got == BinlogEventHeader.v4Length,
                let header = BinlogEventHeader(peekingAt: ByteBuffer(bytes: headerBytes))
            else {
                outcome.damage = "a partial event header of \(got) bytes"
                break
            }
            let size = UInt64(header.eventSize)
            guard size >= UInt64(BinlogEventHeader.v4Length) else {
                outcome.damage = "a damaged event header (event_size \(size) is smaller than a header)"
                break
            }
            guard offset + size <= fileSize else {
                outcome.damage = "a partial \(header.type) event (\(fileSize - offset) of \(size) bytes)"
                break
            }
            if ArchiveEventInspector.decodes(header.type) && size > UInt64(Self.readChunk) {
                outcome.damage = "a damaged \(header.type) event (\(size) bytes, where such an event has a few hundred)"
                break
            }
            // A long event is checked in pieces as it is read, never held whole (as the archiver received it).
            let isLong = size > UInt64(Self.readChunk) && !ArchiveEventInspector.checksWhole(header)
            let piece = isLong ? UInt64(Self.readChunk) : size
            var checksum = RunningEventChecksum(eventSize: Int(size))
            var at = offset
            while at < offset + size {
                let count = Int(min(piece, offset + size - at))
                reading.clear()
                let got = try reading.writeWithUnsafeMutableBytes(minimumWritableBytes: count) {
                    try read(UnsafeMutableRawBufferPointer(rebasing: $0[0..<count]), at)
                }
                guard got == count else { break }
                if isLong { checksum.update(reading) }
                at += UInt64(count)
            }
            guard at == offset + size else {
                outcome.damage = "the file changed while it was read"
                break
            }
            let inspection: ArchiveEventInspector.Inspection
            do {
                inspection =
                    isLong
                    ? try outcome.inspector.inspect(header: header, checksum: checksum)
                    : try outcome.inspector.inspect(reading, position: offset)
            } catch let error as ArchiveError {
                outcome.damage = "a damaged \(header.type) event (\(error.reason))"
                break
            }
            if offset >= start { onEvent(inspection, offset) }
            offset += size
            if inspection.endsFile {
                outcome.endedWith = header.type
                if offset < fileSize { outcome.damage = "bytes after the file's closing \(header.type) event" }
                break
            }
        }
        outcome.goodEnd = offset
        return outcome
    }
}
