import NIOCore
import ObjectCodec
import ObjectStorage

/// Backups under a prefix of an S3 bucket: `s3://bucket/prefix/<id>/…`, the same relative paths as in a directory.
///
/// Chunks stream up as multipart uploads (``S3ObjectWriter``) and down as ranged GETs (``S3ObjectReader``); every
/// object but the manifest is written once, with `If-None-Match: *`. Listings order nothing by upload time: a
/// catalog's backups are the names below its prefix, ordered by their ids by the caller.
///
/// With a key (``codec``), every object is encrypted on the client (AES-256-GCM, ``ObjectCodec``, no compression:
/// chunks are zstd already), each frame bound to the file's path in the backup (`data/db/t.00001.sql.zst`), so a
/// backup copied to another prefix still reads and a chunk moved within it does not. Reading needs only the key: an
/// object is decoded when it begins with the codec's magic, which no plain backup file does (JSON, SQL text, zstd).
package struct S3BackupStore: BackupStore {
    package let client: S3Client
    /// The root: a catalog's prefix, or a backup's (`prefix/<id>/`).
    package let root: S3Location
    /// How objects are written (a key encrypts them) and the key that reads encrypted ones.
    package let codec: ObjectCodec

    package init(client: S3Client, root: S3Location, codec: ObjectCodec = .plain) {
        self.client = client
        self.root = root
        self.codec = codec
    }

    package var location: String {
        let text = self.root.description
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    package func location(of path: String) -> String { "s3://\(self.root.bucket)/\(self.root.key(path))" }

    package func descending(into name: String) -> any BackupStore {
        S3BackupStore(
            client: self.client,
            root: S3Location(bucket: self.root.bucket, prefix: self.root.key(name)),
            codec: self.codec
        )
    }

    package func prepareForWriting() async throws -> [String] {
        try await BackupStoreError.mappingS3 { try await self.client.headBucket(self.root.bucket) }
        return []
    }

    package func childNames() async throws -> [String] {
        try await BackupStoreError.mappingS3 {
            try await self.client.headBucket(self.root.bucket)
            var names = Set<String>()
            var token: String?
            repeat {
                let page = try await self.client.listObjectsPage(
                    bucket: self.root.bucket,
                    prefix: self.root.prefix,
                    delimiter: "/",
                    continuationToken: token
                )
                for prefix in page.commonPrefixes where prefix.hasPrefix(self.root.prefix) {
                    names.insert(String(prefix.dropFirst(self.root.prefix.count).dropLast()))
                }
                token = page.continuationToken
            } while token != nil
            // A name whose only trace is an unfinished upload (a removal cut short) is listed too, so it can go.
            for upload in try await self.client.listMultipartUploads(bucket: self.root.bucket, prefix: self.root.prefix)
            {
                let rest = upload.key.dropFirst(self.root.prefix.count)
                if let slash = rest.firstIndex(of: "/") { names.insert(String(rest[..<slash])) }
            }
            return names.sorted()
        }
    }

    package func files() async throws -> [String: UInt64] {
        try await BackupStoreError.mappingS3 {
            var sizes: [String: UInt64] = [:]
            for object in try await self.client.listObjects(bucket: self.root.bucket, prefix: self.root.prefix) {
                sizes[String(object.key.dropFirst(self.root.prefix.count))] = UInt64(max(0, object.size))
            }
            return sizes
        }
    }

    package func read(_ path: String) async throws -> [UInt8]? {
        do {
            let stored = try await self.client.getObject(bucket: self.root.bucket, key: self.root.key(path))
            guard ObjectCodec.looksEncoded(stored) else { return Array(buffer: stored) }
            let plain = try BackupStoreError.mappingCodec {
                try self.codec.decode(stored, context: Array(path.utf8), object: self.location(of: path))
            }
            return Array(buffer: plain)
        } catch let error as S3Error where error.code == .noSuchKey {
            return nil
        } catch let error as S3Error {
            throw BackupStoreError(error)
        }
    }

    package func write(_ bytes: [UInt8], to path: String, replacing: Bool) async throws {
        let body = try BackupStoreError.mappingCodec {
            try self.codec.encode(ByteBuffer(bytes: bytes), context: Array(path.utf8))
        }
        do {
            try await BackupStoreError.mappingS3 {
                _ = try await self.client.putObject(
                    bucket: self.root.bucket,
                    key: self.root.key(path),
                    body: body,
                    contentType: path.hasSuffix(".json") ? "application/json" : "application/octet-stream",
                    ifNoneMatch: !replacing
                )
            }
        } catch let error as BackupStoreError where error.code == .exists {
            throw BackupStoreError(
                .exists,
                "\(self.location(of: path)) exists already: the objects of a backup are written once and never "
                    + "replaced (another backup with the same id?); try again"
            )
        }
    }

    package func makeWriter(_ path: String) async throws -> any BackupObjectWriter {
        S3ObjectWriter(
            client: self.client,
            bucket: self.root.bucket,
            key: self.root.key(path),
            encoder: self.codec.encoding == nil ? nil : self.codec.makeEncoder(context: Array(path.utf8))
        )
    }

    package func makeReader(_ path: String) async throws -> any BackupObjectReader {
        try await S3ObjectReader.open(
            client: self.client,
            bucket: self.root.bucket,
            key: self.root.key(path),
            decoder: self.codec.makeDecoder(context: Array(path.utf8), object: self.location(of: path))
        )
    }

    package func syncDirectories(of paths: [String]) async throws {}

    package func removeTree(_ name: String, first: [String]) async throws {
        let prefix = self.root.key(name) + "/"
        try await BackupStoreError.mappingS3 {
            for path in first {
                try await self.client.deleteObject(bucket: self.root.bucket, key: prefix + path)
            }
            for upload in try await self.client.listMultipartUploads(bucket: self.root.bucket, prefix: prefix) {
                try await self.client.abortMultipartUpload(
                    bucket: self.root.bucket,
                    key: upload.key,
                    uploadID: upload.uploadID
                )
            }
            for object in try await self.client.listObjects(bucket: self.root.bucket, prefix: prefix) {
                try await self.client.deleteObject(bucket: self.root.bucket, key: object.key)
            }
        }
    }
}
