/// An archive whose old files `rewind backup prune --binlogs` removes: a directory (``DirectoryArchivePruner``) or
/// an S3 prefix (``S3ArchivePruner``), with the same semantics.
///
/// Pruning removes the finished files of the series of `oldest` (same base name) that come before it, never the
/// file an archiver may still be writing, and drops their entries from the index. It can be cut short anywhere
/// (a kill, a failed or lost delete) and run again: the next run finishes what the last one began.
package protocol ArchivePruning: Sendable {
    /// The archive's name for people: its directory or `s3://bucket/prefix/`.
    var location: String { get }

    /// Removes (or with `dryRun` only names) the finished files before `oldest`, the first file a kept backup
    /// needs.
    ///
    /// - Returns: The names of the files removed (or that would be), in server order.
    /// - Throws: ``ArchiveError`` (or the store's error) naming the archive or object that could not be read or
    ///   removed.
    func prune(before oldest: BinlogFileName, dryRun: Bool) async throws -> [String]
}
