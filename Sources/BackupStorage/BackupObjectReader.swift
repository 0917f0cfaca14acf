import NIOCore

/// Streams one file of a ``BackupStore`` in pieces, in order. Used by one task at a time.
public protocol BackupObjectReader: AnyObject {
    /// The next piece, or `nil` at the end of the file.
    func read() async throws -> ByteBuffer?
}
