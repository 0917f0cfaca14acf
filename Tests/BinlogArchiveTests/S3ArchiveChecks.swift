import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

#if canImport(Glibc)
    import Glibc
#endif

/// The checks of an archive in S3 against the server it archives.
enum S3ArchiveChecks {
    /// Waits until every binlog file of `server` is stored to its end, stops the archiver (SIGTERM, exit 0), then
    /// checks the bucket: the documented layout and nothing else, no lease left, each file's segments following
    /// each other (no hole, no overlap) with a manifest each, finished files with a completion manifest, the open
    /// one shipped as several segments (when the upload interval had the time), and every file equal to the server's once joined.
    static func stopWhenStoredAndCheck(
        archiver: ChildProcess,
        log: String,
        server: SandboxServer,
        s3: S3Sandbox,
        prefix: String,
        openFileInSeveralSegments: Bool = true,
        codec: ObjectCodec? = nil
    ) async throws {
        try await s3.withClient { client in
            // Wait until every file is in the bucket: the finished ones completed, the open one to its end.
            let logs = try await server.binaryLogs()
            let deadline = ContinuousClock.now + .seconds(60)
            var stored: [String: UInt64] = [:]
            while ContinuousClock.now < deadline {
                stored = try await Self.storedSizes(
                    client: client,
                    bucket: s3.bucket,
                    prefix: prefix,
                    encoded: codec != nil
                )
                if logs.allSatisfy({ stored[$0.name] == $0.size }) { break }
                try await Task.sleep(for: .milliseconds(300))
            }
            archiver.signal(SIGTERM)
            let status = await archiver.wait()
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "exit \(status):\n\(output.suffix(3000))")

            let objects = try await client.listObjects(bucket: s3.bucket, prefix: prefix)
            let keys = objects.map { String($0.key.dropFirst(prefix.count)) }
            // The documented layout, and nothing else (the lease is gone after a clean stop).
            let layout =
                #/^(rewind-archive\.json|binlogs/\d{10}/[^/]+\.\d+/(\d{20}\.(seg|json)|complete\.json)|gaps/[^/]+\.json)$/#
            #expect(
                keys.allSatisfy { $0.wholeMatch(of: layout) != nil },
                "\(keys.filter { $0.wholeMatch(of: layout) == nil })"
            )
            #expect(!keys.contains("lease.json"))
            for (position, file) in logs.enumerated() {
                let theirs = try #require(
                    FileManager.default.contents(atPath: server.binlogDirectory + "/" + file.name)
                )
                let segments = objects.filter { $0.key.contains("/\(file.name)/") && $0.key.hasSuffix(".seg") }
                let allKeys = Set(objects.map(\.key))
                if position == logs.count - 1 && openFileInSeveralSegments {
                    #expect(segments.count >= 2, "the open file should have been shipped as several segments")
                }
                #expect(segments.allSatisfy { $0.size > 4 }, "\(file.name): a segment of the magic alone")
                // No hole, no overlap, no byte twice: each segment starts where the one before ends, and the
                // sizes add up to the server's file.
                var end: UInt64 = 0
                var joined = ByteBuffer()
                for segment in segments {
                    let offset = UInt64(segment.key.split(separator: "/").last!.prefix(20))!
                    #expect(offset == end, "\(segment.key) starts at \(offset), the one before ends at \(end)")
                    #expect(allKeys.contains(segment.key.dropLast(4) + ".json"), "\(segment.key) has no manifest")
                    var bytes = try await client.getObject(bucket: s3.bucket, key: segment.key)
                    if let codec {
                        // Stored encoded: neither the binlog's magic nor its bytes, and the metadata says how.
                        #expect(ObjectCodec.looksEncoded(bytes), "\(segment.key) is stored as it is")
                        let head = try await client.headObject(bucket: s3.bucket, key: segment.key)
                        #expect(try ObjectEncoding(metadata: head?.metadata ?? [:]) == codec.encoding)
                        bytes = try codec.decode(
                            bytes,
                            context: Array(segment.key.dropFirst(prefix.count).utf8),
                            object: segment.key
                        )
                    }
                    end += UInt64(bytes.readableBytes)
                    joined.writeBuffer(&bytes)
                }
                #expect(
                    end == UInt64(theirs.count),
                    "\(file.name): \(end) bytes stored, the server's has \(theirs.count)"
                )
                let completion = try? await client.getObject(
                    bucket: s3.bucket,
                    key: segments.first.map {
                        $0.key.components(separatedBy: "/").dropLast().joined(separator: "/") + "/complete.json"
                    } ?? "-"
                )
                if position < logs.count - 1 {
                    let manifest = try #require(completion, "\(file.name) has no completion manifest")
                    let decoded = try S3ArchiveObjects.decode(S3FileCompletion.self, manifest, key: file.name)
                    #expect(decoded.sha256 == SHA256.hex(of: joined))
                    #expect(decoded.entry.state == .complete && decoded.entry.size == UInt64(theirs.count))
                    if decoded.inUseFlagCleared {
                        joined.setInteger(joined.getInteger(at: 21, as: UInt8.self)! & ~1, at: 21)
                    }
                } else {
                    #expect(completion == nil, "the open file has no completion manifest")
                }
                #expect(Array(joined.readableBytesView) == Array(theirs), "\(file.name) differs once joined")
            }
        }
    }

    /// Each file's size as stored: the end of its last segment (for `encoded` segments, their plain length from
    /// their metadata).
    static func storedSizes(
        client: S3Client,
        bucket: String,
        prefix: String,
        encoded: Bool = false
    ) async throws -> [String: UInt64] {
        var last: [String: (offset: UInt64, object: S3ObjectInfo)] = [:]
        for object in try await client.listObjects(bucket: bucket, prefix: prefix + "binlogs/")
        where object.key.hasSuffix(".seg") {
            let parts = object.key.split(separator: "/")
            let name = String(parts[parts.count - 2])
            let offset = UInt64(parts.last!.prefix(20)) ?? 0
            if offset >= last[name]?.offset ?? 0 { last[name] = (offset, object) }
        }
        var sizes: [String: UInt64] = [:]
        for (name, segment) in last {
            var length = UInt64(segment.object.size)
            if encoded {
                let head = try await client.headObject(bucket: bucket, key: segment.object.key)
                length = head?.metadata["length"].flatMap(UInt64.init) ?? 0
            }
            sizes[name] = segment.offset + length
        }
        return sizes
    }
}
