import NIOCore
import ObjectCodec
import ObjectStorage

/// Reads one S3 object as ranged GETs of ``rangeBytes``, the next range in flight while the caller works on the
/// current one: memory stays two ranges whatever the object's size, and nothing is copied to disk. An encrypted
/// object (it begins with the codec's magic) is decoded on the way, a range of plain bytes at a time.
final class S3ObjectReader: BackupObjectReader {
    static let rangeBytes: Int64 = 4 << 20

    let client: S3Client
    let bucket: String
    let key: String
    let size: Int64
    /// Decodes the object when it turns out to be encoded (its first bytes say so).
    private let decoder: ObjectDecoder
    private var isEncoded: Bool?
    private var nextOffset: Int64 = 0
    private var pending: Task<ByteBuffer, any Error>?

    private init(client: S3Client, bucket: String, key: String, size: Int64, decoder: ObjectDecoder) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.size = size
        self.decoder = decoder
    }

    deinit {
        self.pending?.cancel()
    }

    /// Opens the object (a HEAD for its size).
    ///
    /// - Parameter decoder: decodes the object if it is encoded (it knows the key and the object's context).
    /// - Throws: ``BackupStoreError`` naming the object when it is missing or cannot be reached.
    static func open(
        client: S3Client,
        bucket: String,
        key: String,
        decoder: ObjectDecoder
    ) async throws
        -> S3ObjectReader
    {
        let info = try await BackupStoreError.mappingS3 { try await client.headObject(bucket: bucket, key: key) }
        guard let info else {
            throw BackupStoreError(.missing, "s3://\(bucket)/\(key) is missing")
        }
        return S3ObjectReader(client: client, bucket: bucket, key: key, size: info.size, decoder: decoder)
    }

    func read() async throws -> ByteBuffer? {
        while true {
            if self.isEncoded == true {
                // Frames already fetched but not yet given out.
                let plain = try BackupStoreError.mappingCodec {
                    try self.decoder.decode(ByteBuffer(), limit: Int(Self.rangeBytes))
                }
                if plain.readableBytes > 0 { return plain }
            }
            guard let stored = try await self.nextRange() else {
                if self.isEncoded == true { try BackupStoreError.mappingCodec { try self.decoder.finish() } }
                return nil
            }
            if self.isEncoded == nil { self.isEncoded = ObjectCodec.looksEncoded(stored) }
            guard self.isEncoded == true else { return stored }
            let plain = try BackupStoreError.mappingCodec {
                try self.decoder.decode(stored, limit: Int(Self.rangeBytes))
            }
            if plain.readableBytes > 0 { return plain }
        }
    }

    /// The next range of stored bytes, or `nil` after the last one; starts fetching the one after.
    private func nextRange() async throws -> ByteBuffer? {
        if self.pending == nil {
            guard self.nextOffset < self.size else { return nil }
            self.pending = self.fetchNextRange()
        }
        guard let task = self.pending else { return nil }
        self.pending = nil
        let piece = try await BackupStoreError.mappingS3 { try await task.value }
        if self.nextOffset < self.size { self.pending = self.fetchNextRange() }
        return piece
    }

    private func fetchNextRange() -> Task<ByteBuffer, any Error> {
        let range = self.nextOffset...(min(self.nextOffset + Self.rangeBytes, self.size) - 1)
        self.nextOffset = range.upperBound + 1
        let client = self.client
        let bucket = self.bucket
        let key = self.key
        return Task {
            let piece = try await client.getObject(
                bucket: bucket,
                key: key,
                range: range,
                maxBytes: Int(range.upperBound - range.lowerBound + 1)
            )
            guard Int64(piece.readableBytes) == range.upperBound - range.lowerBound + 1 else {
                throw BackupStoreError(
                    .storage,
                    "s3://\(bucket)/\(key): the store sent \(piece.readableBytes) bytes for bytes "
                        + "\(range.lowerBound)-\(range.upperBound); the object changed or the store is faulty"
                )
            }
            return piece
        }
    }
}
