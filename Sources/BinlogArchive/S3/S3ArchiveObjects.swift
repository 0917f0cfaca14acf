import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage

/// The S3 client as the archiver thread uses it: each call blocks that thread until the request is done
/// (``ArchiverThread/blocking(_:)``), and manifests go in and out as JSON. Segments go through ``codec``
/// (`S3ArchiveObjects+Segments.swift`).
struct S3ArchiveObjects: Sendable {
    let client: S3Client
    let layout: S3ArchiveLayout
    /// How new segments are stored (compression, encryption) and the key that reads encrypted ones.
    var codec: ObjectCodec = .plain

    var bucket: String { self.layout.location.bucket }

    func url(_ key: String) -> String { "s3://\(self.bucket)/\(key)" }

    func put(_ key: String, _ body: ByteBuffer, metadata: [String: String] = [:], ifNoneMatch: Bool = false) throws {
        let (client, bucket) = (self.client, self.bucket)
        _ = try ArchiverThread.blocking {
            try await client.putObject(
                bucket: bucket,
                key: key,
                body: body,
                metadata: metadata,
                ifNoneMatch: ifNoneMatch
            )
        }
    }

    func get(_ key: String, maxBytes: Int = 256 << 20) throws -> ByteBuffer {
        let (client, bucket) = (self.client, self.bucket)
        return try ArchiverThread.blocking { try await client.getObject(bucket: bucket, key: key, maxBytes: maxBytes) }
    }

    /// The object, or `nil` when there is no such key.
    func getIfPresent(_ key: String) throws -> ByteBuffer? {
        do {
            return try self.get(key)
        } catch let error as S3Error where error.code == .noSuchKey {
            return nil
        }
    }

    func head(_ key: String) throws -> S3ObjectInfo? {
        let (client, bucket) = (self.client, self.bucket)
        return try ArchiverThread.blocking { try await client.headObject(bucket: bucket, key: key) }
    }

    func delete(_ key: String) throws {
        let (client, bucket) = (self.client, self.bucket)
        try ArchiverThread.blocking { try await client.deleteObject(bucket: bucket, key: key) }
    }

    func list(_ prefix: String) throws -> [S3ObjectInfo] {
        let (client, bucket) = (self.client, self.bucket)
        return try ArchiverThread.blocking { try await client.listObjects(bucket: bucket, prefix: prefix) }
    }

    func headBucket() throws {
        let (client, bucket) = (self.client, self.bucket)
        try ArchiverThread.blocking { try await client.headBucket(bucket) }
    }

    func putJSON<T: Encodable>(_ key: String, _ value: T, ifNoneMatch: Bool = false) throws {
        try self.put(key, ByteBuffer(bytes: try Self.encode(value)), metadata: [:], ifNoneMatch: ifNoneMatch)
    }

    func getJSON<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        guard let bytes = try self.getIfPresent(key) else { return nil }
        return try Self.decode(type, bytes, key: self.url(key))
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value) + Data("\n".utf8)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: ByteBuffer, key: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(bytes.readableBytesView))
        } catch {
            throw ArchiveError("not a readable \(T.self) (\(error))", path: key)
        }
    }
}
