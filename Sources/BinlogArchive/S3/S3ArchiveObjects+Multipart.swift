import NIOCore
import ObjectStorage

/// Byte ranges and multipart uploads, blocking the archiver thread as the other calls of ``S3ArchiveObjects`` do.
extension S3ArchiveObjects {
    /// Bytes `offset ..< offset + length` of an object.
    ///
    /// - Throws: ``ArchiveError`` when the store sends another number of bytes; what the client throws.
    func get(_ key: String, offset: UInt64, length: Int) throws -> ByteBuffer {
        guard length > 0 else { return ByteBuffer() }
        let (client, bucket) = (self.client, self.bucket)
        let range = Int64(offset)...Int64(offset) + Int64(length) - 1
        let bytes = try ArchiverThread.blocking {
            try await client.getObject(bucket: bucket, key: key, range: range, maxBytes: length + 1)
        }
        guard bytes.readableBytes == length else {
            throw ArchiveError(
                "asked for \(length) bytes at \(offset), the store sent \(bytes.readableBytes); did the object change?",
                path: self.url(key),
                offset: offset
            )
        }
        return bytes
    }

    func createMultipartUpload(_ key: String, metadata: [String: String]) throws -> String {
        let (client, bucket) = (self.client, self.bucket)
        return try ArchiverThread.blocking {
            try await client.createMultipartUpload(bucket: bucket, key: key, metadata: metadata)
        }
    }

    func uploadPart(_ key: String, uploadID: String, number: Int, body: ByteBuffer) throws -> String {
        let (client, bucket) = (self.client, self.bucket)
        return try ArchiverThread.blocking {
            try await client.uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: number, body: body)
        }
    }

    /// Joins the parts into the object, only when no object has the key yet (`If-None-Match: *`).
    func completeMultipartUpload(_ key: String, uploadID: String, parts: [(number: Int, etag: String)]) throws {
        let (client, bucket) = (self.client, self.bucket)
        try ArchiverThread.blocking {
            try await client.completeMultipartUpload(
                bucket: bucket,
                key: key,
                uploadID: uploadID,
                parts: parts,
                ifNoneMatch: true
            )
        }
    }

    func abortMultipartUpload(_ key: String, uploadID: String) throws {
        let (client, bucket) = (self.client, self.bucket)
        try ArchiverThread.blocking {
            try await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
    }

    /// Abandons every multipart upload under `prefix` (those of an archiver killed inside a long event: their parts
    /// are no object, but the store keeps them until they are aborted); returns how many.
    @discardableResult
    func abortMultipartUploads(under prefix: String) throws -> Int {
        let (client, bucket) = (self.client, self.bucket)
        var aborted = 0
        // A listing shows at most 1,000 uploads: a full page is followed by another listing (bounded).
        for _ in 0..<100 {
            let uploads = try ArchiverThread.blocking {
                try await client.listMultipartUploads(bucket: bucket, prefix: prefix)
            }
            for upload in uploads {
                try self.abortMultipartUpload(upload.key, uploadID: upload.uploadID)
                aborted += 1
            }
            if uploads.count < 1000 { break }
        }
        return aborted
    }
}
