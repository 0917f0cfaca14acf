import ArgumentParser
import BinlogArchive
import ObjectStorage

/// How to reach an archive given as `s3://bucket/prefix`; credentials and region come from the environment
/// (`AWS_ACCESS_KEY_ID`…, `AWS_PROFILE`, `AWS_REGION`), never from the command line.
struct ObjectStorageOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "For s3:// locations: the S3 endpoint (MinIO, Ceph, R2, …); default AWS_ENDPOINT_URL_S3, "
                + "AWS_ENDPOINT_URL, else AWS.",
            valueName: "url"
        )
    )
    var endpoint: String?

    @Option(
        name: .customLong("s3-addressing"),
        help: ArgumentHelp(
            "For s3:// locations: path (https://host/bucket/key; default with --endpoint) or virtual "
                + "(https://bucket.host/key; default on AWS)."
        )
    )
    var s3Addressing: S3ClientConfiguration.Addressing?

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
    /// `text` itself for a local directory; for `s3://bucket/prefix`, the local cache directory its files are
    /// joined into (``S3ArchiveCache``).
    func localArchive(_ text: String) async throws -> String {
        guard S3Location.isS3(text) else { return text }
        let location = try S3Location(parsing: text)
        let configuration = try S3ClientConfiguration.fromEnvironment(
            endpoint: self.endpoint,
            addressing: self.s3Addressing
        )
        return try await S3ArchiveCache.materialize(location, configuration: configuration, root: self.cacheDir)
    }
}
