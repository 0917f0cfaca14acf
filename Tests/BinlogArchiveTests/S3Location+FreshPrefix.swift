import Foundation
import ObjectStorage
import RewindTestSupport

@testable import BinlogArchive

extension S3Location {
    /// Runs `body` on an archiver thread (as the archiver runs its store) with a client of the S3 sandbox and a
    /// location of its bucket that no other test uses, `it-LABEL-XXXXXXXX`.
    static func withFreshPrefix(
        _ label: String,
        _ body: (_ location: S3Location, _ client: S3Client) throws -> Void
    ) async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let location = S3Location(bucket: s3.bucket, prefix: "it-\(label)-\(UUID().uuidString.lowercased().prefix(8))")
        try await s3.withClient { client in
            try await ArchiverThread.run { try body(location, client) }
        }
    }
}
