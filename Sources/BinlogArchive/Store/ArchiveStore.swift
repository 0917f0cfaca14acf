/// Where an archive keeps its binlog files and its index: the archiver reads and writes through this seam only,
/// so that a store other than a local directory works without changing it.
///
/// ``ArchiveDirectory`` is the local one, ``S3ArchiveStore`` an S3 prefix. A store is opened for one archiver at a time (it holds a lock, or a lease,
/// while open) and its files are the truth: the index may lag behind them, never run ahead (the archiver makes the
/// data durable before it saves the index).
protocol ArchiveStore: AnyObject {
    /// Where the archive is, for messages: a directory, or `s3://bucket/prefix`.
    var location: String { get }
    /// What the user should be told about the store (e.g. a directory others can read).
    var warnings: [String] { get }

    /// The index, or an empty one when the store has none yet.
    func loadIndex() throws -> ArchiveIndex
    /// Replaces the index, durably and at once (never half written).
    func save(_ index: ArchiveIndex) throws
    /// The binlog files the store holds, whether the index knows them or not, in server order.
    func binlogFileNames() throws -> [String]
    /// Where file `name` is, for messages.
    func location(of name: String) -> String
    /// Starts file `name`, holding only the binlog magic. An existing file is replaced only when it holds no more
    /// than the magic.
    func createFile(named name: String) throws -> any ArchiveFileWriting
    /// Opens file `name` to append to it, after checking every event in it (``ArchivedEventScanner``) and cutting
    /// it back to the last good event.
    ///
    /// - Parameters:
    ///   - start: an event boundary; `onEvent` is called for the whole, good events at or after it.
    ///   - onEvent: called for each whole, good event at or after `start`, with its offset.
    /// - Throws: ``ArchiveError`` when the file is missing or is not a binlog.
    func resumeFile(
        named name: String,
        from start: UInt64,
        verifyChecksums: Bool,
        _ onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> ArchiveResume
    /// Removes what opening the store put there, when this run created it and nothing was archived.
    func removeIfCreatedAndEmpty()
    /// How often the archiver makes what it received durable while events stream (a directory: every 2 s; S3:
    /// `--upload-interval`, each sync being a new segment).
    var syncInterval: Duration { get }
    /// Gives up what opening took (an S3 lease); the store is not used afterwards.
    func release()
}

extension ArchiveStore {
    var syncInterval: Duration { .seconds(2) }
    func release() {}
}
