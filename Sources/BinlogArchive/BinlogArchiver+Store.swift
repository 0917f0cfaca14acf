import Logging
import MySQLWire
import ObjectStorage

/// Where a run's bytes go: the store ``ArchiveOptions/directory`` names (a local ``ArchiveDirectory``, or an
/// ``S3ArchiveStore`` run on an ``ArchiverThread``). The rest of the archiver only knows ``ArchiveStore``.
extension BinlogArchiver {
    /// An archiver into the local directory or S3 prefix ``ArchiveOptions/directory`` names.
    public convenience init(configuration: MySQLConnection.Configuration, options: ArchiveOptions, logger: Logger) {
        self.init(configuration: configuration, options: options, logger: logger, hasGivenStore: false) {
            try ArchiveDirectory(path: $0.directory)
        }
    }

    /// Archives until the end of the server's binlog (or, with ``ArchiveOptions/follow``, until cancelled).
    ///
    /// - Parameter report: receives progress, file and gap events, on the calling task.
    /// - Returns: What this run archived; ``ArchiveSummary/gaps`` non-empty means the archive is not continuous.
    /// - Throws: ``ArchiveError`` or ``MySQLError`` when archiving cannot go on (after the retries allowed).
    public func run(report: @escaping (ArchiverEvent) -> Void) async throws -> ArchiveSummary {
        guard S3Location.isS3(self.options.directory), !self.hasGivenStore else {
            return try await self.runWithStore(report: report)
        }
        // An S3 prefix: the client lives as long as the run, and the archiver runs on a thread of its own, which
        // the store blocks while each request runs (see ArchiverThread).
        let location = try S3Location(parsing: self.options.directory)
        let configuration = try S3ClientConfiguration.fromEnvironment(
            endpoint: self.options.s3Endpoint,
            addressing: self.options.s3Addressing
        )
        let (uploadInterval, codec) = (self.options.uploadInterval, self.options.s3Codec)
        return try await S3Client.withClient(configuration) { client in
            try await ArchiverThread.run {
                self.openStore = { _ in
                    try S3ArchiveStore(location: location, client: client, uploadInterval: uploadInterval, codec: codec)
                }
                return try await self.runWithStore(report: report)
            }
        }
    }
}
