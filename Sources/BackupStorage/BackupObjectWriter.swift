import NIOCore

/// Streams one large file into a ``BackupStore``. Used by one task at a time; call ``finish()`` to make the file
/// whole and durable, or ``abort()`` after a failure (an object store then frees the parts already uploaded).
public protocol BackupObjectWriter: AnyObject {
    /// Appends `bytes`.
    func write(_ bytes: ByteBuffer) async throws

    /// Makes the file whole and durable.
    ///
    /// - Returns: The file's size in bytes.
    func finish() async throws -> UInt64

    /// Gives the file up after a failure; never throws.
    func abort() async
}
