import ArgumentParser
import BinlogArchive
import ObjectStorage

/// How a reading command reaches an archive given as `s3://bucket/prefix` (``S3AccessOptions``) and where it joins
/// its files (`--cache-dir`).
struct ObjectStorageOptions: ParsableArguments {
    @OptionGroup var access: S3AccessOptions

    @Option(
        help: ArgumentHelp(
            "For an s3:// archive read by this command: where its files are joined (default "
                + "$XDG_CACHE_HOME/rewind/s3 or ~/.cache/rewind/s3).",
            valueName: "dir"
        )
    )
    var cacheDir: String?
}

extension ObjectStorageOptions {
    /// `--endpoint`.
    var endpoint: String? { self.access.endpoint }
    /// `--s3-addressing`.
    var s3Addressing: S3ClientConfiguration.Addressing? { self.access.s3Addressing }

    /// `text` itself for a local directory; for `s3://bucket/prefix`, the local cache directory its files are
    /// joined into (``S3ArchiveCache``), encrypted segments read with the key of ``S3AccessOptions``.
    func localArchive(_ text: String) async throws -> String {
        guard S3Location.isS3(text) else { return text }
        let location = try S3Location(parsing: text)
        let configuration = try S3ClientConfiguration.fromEnvironment(
            endpoint: self.endpoint,
            addressing: self.s3Addressing
        )
        return try await S3ArchiveCache.materialize(
            location,
            configuration: configuration,
            root: self.cacheDir,
            codec: try self.access.codec()
        )
    }
}
