import BinlogFormat
import NIOCore

/// One archived binlog file being appended to, in a store: whole events, or the chunks of a long one, in order.
///
/// ``ArchiveFileWriter`` writes a local file. Whatever the store, ``durableSize`` only counts bytes that survive a
/// crash, and the file ends at an event boundary or inside the event being written (what a resume cuts off).
protocol ArchiveFileWriting: AnyObject {
    /// The file's name (the server's binlog name).
    var name: String { get }
    /// Where the file is, for messages.
    var location: String { get }
    /// The archived size once what is buffered is written.
    var size: UInt64 { get }
    /// Bytes known to survive a crash.
    var durableSize: UInt64 { get }

    /// Adds one whole event, or the next chunk of a long one.
    func append(_ bytes: ByteBuffer) throws
    /// Writes what is buffered (visible to readers, not yet durable).
    func flush() throws
    /// Writes what is buffered and makes it durable.
    func sync() throws
    /// Finishes the file as the server does when it closes a binlog (the in-use flag cleared), durably.
    func complete() throws
    /// Whether the file holds exactly `bytes` at `offset`.
    func holds(_ bytes: ByteBuffer, at offset: UInt64) throws -> Bool
    /// Cuts the file back to `size`, durably.
    func cut(to size: UInt64) throws
    /// Records that the file is finished, after ``complete()`` or the last ``sync()``, with its index entry (an
    /// object store writes the file's completion manifest; a directory has nothing more to do).
    func seal(_ entry: ArchivedFile, index: ArchiveIndex) throws
}

extension ArchiveFileWriting {
    func seal(_ entry: ArchivedFile, index: ArchiveIndex) throws {}
}

extension ArchiveFileWriting {
    /// Adds a file's FORMAT_DESCRIPTION with `LOG_EVENT_BINLOG_IN_USE_F` set, as the server's own copy has it until
    /// the file is closed (servers clear the flag in what they send; ``complete()`` clears it again).
    func appendFormatDescription(_ event: ByteBuffer) throws {
        var event = event
        let flagsOffset = event.readerIndex + 17
        if let flags = event.getInteger(at: flagsOffset, as: UInt8.self) {
            event.setInteger(flags | UInt8(BinlogEventHeader.flagBinlogInUse), at: flagsOffset)
        }
        try self.append(event)
    }
}
