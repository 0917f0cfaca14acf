/// Where the files of backups live: a local directory (``DirectoryBackupStore``) or a prefix in an S3 bucket
/// (``S3BackupStore``). The backup code names files by relative, `/`-separated paths
/// (`20261130T090000Z/data/shop/orders.00001.sql.zst`) and never learns where the bytes go.
///
/// A store is either a catalog (`DIR`, `s3://bucket/prefix`) or one backup in it (``descending(into:)``).
/// Guarantees both implementations give:
/// - a file written with ``write(_:to:replacing:)`` or through ``makeWriter(_:)`` is whole and durable once the call
///   returns, and a reader never sees part of it;
/// - a file written with `replacing: false` and every streamed file is never overwritten (data objects are written
///   once; only a manifest is replaced);
/// - memory stays bounded whatever a file's size: large files stream in both directions.
public protocol BackupStore: Sendable {
    /// The store's name for people: the directory's path or `s3://bucket/prefix`.
    var location: String { get }

    /// The full name of `path` for messages: `DIR/path` or `s3://bucket/prefix/path`.
    func location(of path: String) -> String

    /// The store rooted at `name` below this one: a backup of a catalog.
    func descending(into name: String) -> any BackupStore

    /// Makes the store ready to receive new backups and checks that this user may write there, before a server is
    /// contacted: a directory is created (owner-only) and refused when others may write to it; a bucket is checked
    /// (it exists, the credentials may use it).
    ///
    /// - Returns: Warnings (a directory others may read).
    /// - Throws: ``BackupStoreError`` naming the directory or bucket and what to check.
    func prepareForWriting() async throws -> [String]

    /// The names directly below the root (a catalog's backups), in no particular order; a name whose objects are
    /// all unfinished uploads is listed too.
    ///
    /// - Throws: ``BackupStoreError`` when the root cannot be listed (a directory that is missing, a bucket that
    ///   does not exist or refuses the credentials).
    func childNames() async throws -> [String]

    /// Every file below the root with its size in bytes, keyed by relative path.
    func files() async throws -> [String: UInt64]

    /// The whole content of a small file (a manifest, a schema file); `nil` when there is none.
    func read(_ path: String) async throws -> [UInt8]?

    /// Stores a small file whole and durably. With `replacing: false` the file must not exist yet
    /// (``BackupStoreError/Code/exists`` otherwise, where the store can tell).
    func write(_ bytes: [UInt8], to path: String, replacing: Bool) async throws

    /// A writer streaming a large file (a chunk) that must not exist yet; memory stays bounded whatever its size.
    func makeWriter(_ path: String) async throws -> any BackupObjectWriter

    /// A reader streaming a file in pieces, without a local copy.
    ///
    /// - Throws: ``BackupStoreError`` naming the file when it is missing or cannot be opened.
    func makeReader(_ path: String) async throws -> any BackupObjectReader

    /// Makes the names of `paths` durable (a directory fsyncs the directories holding them; in an object store a
    /// stored object is durable already).
    func syncDirectories(of paths: [String]) async throws

    /// Removes `name` and everything below it: the files in `first` before the rest (a manifest, so that a removal
    /// cut short never leaves a complete-looking backup without its files), and unfinished multipart uploads.
    func removeTree(_ name: String, first: [String]) async throws
}

extension BackupStore {
    /// Stores a small text file (UTF-8) whole and durably.
    public func write(_ text: String, to path: String, replacing: Bool) async throws {
        try await self.write(Array(text.utf8), to: path, replacing: replacing)
    }
}
