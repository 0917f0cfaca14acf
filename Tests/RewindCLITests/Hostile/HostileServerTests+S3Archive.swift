import Foundation
import NIOCore
import ObjectStorage
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rewind binlog archive --to s3://…` sends a long event up in parts as its bytes arrive (a multipart upload that
/// is completed only once the event's CRC32 is checked): memory does not grow with the event; a damaged or partial
/// event leaves no object and no upload behind, and the stored file ends at the last good event.
extension HostileServerTests {
    /// What the bucket holds of the hostile server's file under `prefix`.
    struct StoredFile {
        /// The segments, in offset order.
        var segments: [(offset: UInt64, size: UInt64, key: String)]
        /// Multipart uploads neither completed nor aborted under the prefix.
        var openUploads: Int
        /// Where the stored file ends (the last segment's end).
        var end: UInt64 { self.segments.last.map { $0.offset + $0.size } ?? 0 }
    }

    static func s3Prefix(_ label: String) -> String { "hostile-\(label)-\(UUID().uuidString.lowercased().prefix(8))/" }

    static func withS3Client<T: Sendable>(_ body: (S3Client, S3Sandbox) async throws -> T) async throws -> T {
        let s3 = try S3Sandbox.fromEnvironment()
        return try await s3.withClient { try await body($0, s3) }
    }

    static func stored(prefix: String) async throws -> StoredFile {
        try await Self.withS3Client { client, s3 in
            let segments = try await client.listObjects(bucket: s3.bucket, prefix: prefix + "binlogs/")
                .filter { $0.key.hasSuffix(".seg") }
                .map { object -> (offset: UInt64, size: UInt64, key: String) in
                    let leaf = object.key.split(separator: "/").last ?? ""
                    return (UInt64(leaf.prefix(20)) ?? .max, UInt64(object.size), object.key)
                }
                .sorted { $0.offset < $1.offset }
            let uploads = try await client.listMultipartUploads(bucket: s3.bucket, prefix: prefix)
            return StoredFile(segments: segments, openUploads: uploads.count)
        }
    }

    /// Joins the stored segments into a local file, 8 MiB at a time, checking that each begins where the one before
    /// ends; returns its path.
    static func join(_ file: StoredFile, into path: String) async throws {
        try await Self.withS3Client { client, s3 in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            var end: UInt64 = 0
            for segment in file.segments {
                #expect(
                    segment.offset == end,
                    "\(segment.key) starts at \(segment.offset), the one before ends at \(end)"
                )
                var at: UInt64 = 0
                while at < segment.size {
                    let length = min(8 << 20, segment.size - at)
                    let bytes = try await client.getObject(
                        bucket: s3.bucket,
                        key: segment.key,
                        range: Int64(at)...Int64(at + length) - 1,
                        maxBytes: Int(length) + 1
                    )
                    try #require(bytes.readableBytes == Int(length))
                    let written = bytes.withUnsafeReadableBytes { write(descriptor, $0.baseAddress, $0.count) }
                    try #require(written == Int(length))
                    at += length
                }
                end = segment.offset + segment.size
            }
        }
    }

    static func s3Environment() throws -> [String: String] {
        try S3Sandbox.fromEnvironment().childEnvironment
    }

    static func s3URL(_ prefix: String) throws -> String { "s3://\(try S3Sandbox.fromEnvironment().bucket)/\(prefix)" }

    /// ``archiveOnce(to:against:environment:label:expecting:sourceLocation:)`` to a fresh prefix of the S3
    /// sandbox's bucket; returns the outcome and what the bucket then holds under the prefix.
    static func archiveOnceToS3(
        against server: HostileServer,
        label: String,
        expecting end: ArchiveEnd,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (outcome: Outcome, stored: StoredFile) {
        let prefix = Self.s3Prefix("long-event")
        let outcome = try await Self.archiveOnce(
            to: try Self.s3URL(prefix),
            against: server,
            environment: try Self.s3Environment(),
            label: label + ", to S3",
            expecting: end,
            sourceLocation: sourceLocation
        )
        return (outcome, try await Self.stored(prefix: prefix))
    }

    @Test(
        .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"),
        .timeLimit(.minutes(10))
    )
    func aThreeHundredMegabyteEventGoesUpToS3InPartsInBoundedMemory() async throws {
        let event = HostileLongEvent.whole(size: 300_000_000)
        let server = try Self.longEventServer(sending: event)
        defer { server.stop() }
        let (_, stored) = try await Self.archiveOnceToS3(
            against: server, label: "300 MB event archived", expecting: .stored)
        #expect(stored.openUploads == 0, "no multipart upload is left behind")
        // The FORMAT_DESCRIPTION in a segment, the long event in one of its own.
        #expect(
            stored.segments.map(\.offset) == [0, HostileBinlog.longEventStart],
            "\(stored.segments.map { ($0.offset, $0.size) })"
        )
        #expect(stored.end == HostileBinlog.longEventStart + UInt64(event.size))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID()).joined").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.join(stored, into: path)
        #expect(event.isHeld(in: path), "the stored event is the server's, byte for byte")
    }

    @Test(
        .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"),
        .timeLimit(.minutes(10))
    )
    func anEventClaimingNineHundredMegabytesAndCutAfterThreeHundredLeavesNothingInS3() async throws {
        let server = try Self.longEventServer(sending: .cut(claiming: 900_000_000, after: 300_000_000))
        defer { server.stop() }
        let (outcome, stored) = try await Self.archiveOnceToS3(
            against: server, label: "900 MB event cut after 300 MB", expecting: .refused)
        #expect(outcome.output.contains("127.0.0.1"), "\(outcome.output)")
        #expect(stored.end == HostileBinlog.longEventStart, "only the whole, good events are stored")
        #expect(stored.openUploads == 0, "the partial event's upload is aborted")
    }

    @Test(
        .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"),
        .timeLimit(.minutes(10))
    )
    func aLongEventWithABadChecksumIsNeverStoredInS3() async throws {
        let server = try Self.longEventServer(sending: .badChecksum(size: 100_000_000))
        defer { server.stop() }
        let (outcome, stored) = try await Self.archiveOnceToS3(
            against: server, label: "100 MB event with a bad CRC32", expecting: .refused)
        #expect(outcome.output.contains("CRC32"), "\(outcome.output)")
        #expect(
            outcome.output.contains("\(HostileBinlog.longEventStart)"),
            "names the event's offset: \(outcome.output)"
        )
        #expect(stored.end == HostileBinlog.longEventStart, "the damaged event is not stored")
        #expect(stored.openUploads == 0, "its upload is aborted")
    }
}
