import BinlogFormat
import NIOCore

/// A long file event the archiver writes to its file as the server's chunks arrive, never holding it whole.
///
/// Its CRC32 is computed on the way and checked at its end; when the check fails or the stream breaks inside it,
/// the archiver cuts the file back to ``start``: the archived file then ends at an event boundary again, as the
/// resume logic expects of any partial trailing event.
struct StreamedEvent {
    let header: BinlogEventHeader
    /// Where the event starts in its file.
    let start: UInt64
    private(set) var checksum: RunningEventChecksum
    /// The event's bytes are compared with the archive's instead of written (a resumed file without checksums
    /// whose tail is fetched again, see ``BinlogArchiver``).
    var isComparing: Bool
    /// The archive's bytes differed from the server's inside this event: the file was cut where they did, and the
    /// rest of the event is written; the file's entry is counted again at the end.
    var replacedArchive = false

    init(header: BinlogEventHeader, start: UInt64, isComparing: Bool) {
        self.header = header
        self.start = start
        self.checksum = RunningEventChecksum(eventSize: Int(header.eventSize))
        self.isComparing = isComparing
    }

    /// Bytes received so far.
    var received: Int { self.checksum.received }
    /// Where the next bytes go in the file.
    var nextOffset: UInt64 { self.start + UInt64(self.received) }
    /// Where the event ends in the file.
    var end: UInt64 { self.start + UInt64(self.header.eventSize) }
    var isComplete: Bool { self.received == Int(self.header.eventSize) }

    /// Counts `bytes` as received (and into the checksum).
    mutating func add(_ bytes: ByteBuffer) {
        self.checksum.update(bytes)
    }
}
