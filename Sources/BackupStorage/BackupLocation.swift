import ObjectCodec
import ObjectStorage

/// A backup catalog or one backup as a command line names it: a local directory or `s3://bucket/prefix`.
package enum BackupLocation: Sendable, Equatable {
    case directory(String)
    case s3(S3Location)

    /// - Throws: ``BackupStoreError`` for an `s3://` text that is not a valid location.
    package init(parsing text: String) throws {
        guard S3Location.isS3(text) else {
            self = .directory(text)
            return
        }
        do {
            self = .s3(try S3Location(parsing: text))
        } catch let error as S3Error {
            throw BackupStoreError(error)
        }
    }

    /// Runs `body` with the store at this location; an S3 client is made from `s3Configuration` and the objects
    /// encoded with `s3Codec` (its key encrypts new objects and reads encrypted ones), only for an `s3://` location;
    /// the client is shut down afterwards, also when `body` throws.
    ///
    /// - Throws: What `body` throws; ``BackupStoreError`` when the S3 configuration or the codec cannot be made (no
    ///   credentials, a bad endpoint, an unreadable key file).
    package func withStore<Result: Sendable>(
        s3Configuration: () throws -> S3ClientConfiguration,
        s3Codec: () throws -> ObjectCodec = { .plain },
        _ body: (any BackupStore) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .directory(let path):
            return try await body(DirectoryBackupStore(path: path))
        case .s3(let location):
            let configuration: S3ClientConfiguration
            let codec: ObjectCodec
            do {
                configuration = try s3Configuration()
                codec = try s3Codec()
            } catch let error as S3Error {
                throw BackupStoreError(error)
            } catch let error as ObjectCodecError {
                throw BackupStoreError(error)
            }
            return try await S3Client.withClient(configuration) { client in
                try await body(S3BackupStore(client: client, root: location, codec: codec))
            }
        }
    }
}
