import NIOCore
import ObjectCodec
import ObjectStorage

/// Streams one object into S3 with memory bounded by one part: the bytes gather in a part buffer; an object that
/// fits in the first part is stored with one PUT, a larger one as a multipart upload whose parts go up as they
/// fill. Both are written once (`If-None-Match: *` on the PUT and on the completion), so the object appears whole
/// or not at all: a writer killed mid-way leaves an unfinished upload (freed by ``abort()``, or by
/// `rewind backup prune`), never a partial object.
///
/// Parts are sized by ``S3PartSizes``: 5 MiB held in memory for any object below 4.9 GiB. With an encoder (a key),
/// the bytes are encrypted frame by frame on their way into the part buffer (one frame, 1 MiB, more in memory).
final class S3ObjectWriter: BackupObjectWriter {
    let client: S3Client
    let bucket: String
    let key: String
    private let encoder: ObjectEncoder?
    private var buffer = ByteBuffer()
    private var uploadID: String?
    private var parts: [(number: Int, etag: String)] = []
    private var size: UInt64 = 0

    init(client: S3Client, bucket: String, key: String, encoder: ObjectEncoder? = nil) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.encoder = encoder
    }

    /// Appends `bytes` (plain bytes: ``finish()`` returns their count).
    func write(_ bytes: ByteBuffer) async throws {
        self.size += UInt64(bytes.readableBytes)
        guard let encoder = self.encoder else { return try await self.store(bytes) }
        try await self.store(try BackupStoreError.mappingCodec { try encoder.encode(bytes) })
    }

    /// Appends stored bytes to the part buffer, uploading each part as it fills.
    private func store(_ bytes: ByteBuffer) async throws {
        var bytes = bytes
        while bytes.readableBytes > 0 {
            let limit = S3PartSizes.bytes(number: self.parts.count + 1)
            if self.buffer.capacity < limit { self.buffer.reserveCapacity(limit) }
            let take = min(limit - self.buffer.readableBytes, bytes.readableBytes)
            guard var slice = bytes.readSlice(length: take) else { break }
            self.buffer.writeBuffer(&slice)
            if self.buffer.readableBytes >= limit { try await self.uploadPart() }
        }
    }

    func finish() async throws -> UInt64 {
        if let encoder = self.encoder {
            try await self.store(try BackupStoreError.mappingCodec { try encoder.finish() })
        }
        do {
            try await BackupStoreError.mappingS3 {
                if let uploadID = self.uploadID {
                    if self.buffer.readableBytes > 0 { try await self.uploadPart() }
                    try await self.client.completeMultipartUpload(
                        bucket: self.bucket,
                        key: self.key,
                        uploadID: uploadID,
                        parts: self.parts,
                        ifNoneMatch: true
                    )
                    self.uploadID = nil
                } else {
                    try await self.client.putObject(
                        bucket: self.bucket,
                        key: self.key,
                        body: self.buffer,
                        ifNoneMatch: true
                    )
                }
            }
        } catch let error as BackupStoreError where error.code == .exists {
            throw BackupStoreError(
                .exists,
                "s3://\(self.bucket)/\(self.key) exists already: the objects of a backup are written once and never "
                    + "replaced (another backup with the same id?); try again"
            )
        }
        self.buffer = ByteBuffer()
        return self.size
    }

    func abort() async {
        guard let uploadID = self.uploadID else { return }
        self.uploadID = nil
        try? await self.client.abortMultipartUpload(bucket: self.bucket, key: self.key, uploadID: uploadID)
    }

    private func uploadPart() async throws {
        let number = self.parts.count + 1
        guard number <= S3PartSizes.maximumParts else {
            throw BackupStoreError(
                .storage,
                "s3://\(self.bucket)/\(self.key) would need more than \(S3PartSizes.maximumParts) parts (S3's limit, about "
                    + "448 GiB): the table has no key to cut it into chunks; give it a primary or unique key"
            )
        }
        try await BackupStoreError.mappingS3 {
            if self.uploadID == nil {
                self.uploadID = try await self.client.createMultipartUpload(bucket: self.bucket, key: self.key)
            }
            let etag = try await self.client.uploadPart(
                bucket: self.bucket,
                key: self.key,
                uploadID: self.uploadID ?? "",
                partNumber: number,
                body: self.buffer
            )
            self.parts.append((number, etag))
        }
        self.buffer.clear()
    }
}
