import ArgumentParser
import Foundation
import ObjectCodec
import ObjectStorage

/// How to reach objects in S3 and read encrypted ones; credentials and region come from the environment
/// (`AWS_ACCESS_KEY_ID`…, `AWS_PROFILE`, `AWS_REGION`) and the key from a file, never from the command line.
struct S3AccessOptions: ParsableArguments {
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
            "For s3:// locations: a file holding the 256-bit key that encrypts (and decrypts) the stored objects "
                + "with AES-256-GCM: 32 bytes, 64 hex digits or base64 (default: the file "
                + "\(ObjectKey.environmentVariable) names).",
            valueName: "file"
        )
    )
    var encryptionKeyFile: String?
}

extension S3AccessOptions {
    /// The key `--encryption-key-file` or `REWIND_ENCRYPTION_KEY_FILE` names, if any.
    ///
    /// - Throws: ``ObjectCodecError`` (`badKey`) naming the file when it cannot be read or holds no key.
    func encryptionKey(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ObjectKey? {
        try ObjectKey.resolve(path: self.encryptionKeyFile, environment: environment)
    }

    /// How objects are written (`compression`, the key if any) and read.
    func codec(compression: ObjectCompression = .none) throws -> ObjectCodec {
        ObjectCodec(compression: compression, key: try self.encryptionKey())
    }
}
