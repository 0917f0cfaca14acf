import NIOCore
import ObjectCodec

/// The plain bytes of an encoded segment, decoded as its stored bytes are fetched in ranges: what
/// ``S3SegmentWindow`` and the readers' cache read an encoded segment with. At most one range of stored bytes and
/// about one window of plain bytes are held, whatever the compression (a range of well-compressed frames is
/// decoded a window at a time, the rest waiting in the decoder).
struct S3EncodedSegment {
    /// Stored bytes fetched at a time.
    static let rangeLength: UInt64 = 8 << 20

    let key: String
    let storedSize: UInt64
    private let decoder: ObjectDecoder
    private let url: String
    /// Stored bytes fetched so far.
    private var fetched: UInt64 = 0

    init(key: String, storedSize: UInt64, codec: ObjectCodec, layout: S3ArchiveLayout) {
        self.key = key
        self.storedSize = storedSize
        self.url = "s3://\(layout.location.bucket)/\(key)"
        self.decoder = codec.makeDecoder(context: S3ArchiveObjects.codecContext(key, layout: layout), object: self.url)
    }

    /// The next range of stored bytes to fetch; `nil` once all were.
    var nextRange: (offset: UInt64, length: Int)? {
        guard self.fetched < self.storedSize else { return nil }
        return (self.fetched, Int(min(Self.rangeLength, self.storedSize - self.fetched)))
    }

    /// Up to about `limit` plain bytes, from `stored` (the next range, or nothing) and what waits in the decoder;
    /// empty when the next range is needed, or at the end.
    ///
    /// - Throws: ``ArchiveError`` naming the segment (no key or another key, a changed or cut object).
    mutating func plain(_ stored: ByteBuffer = ByteBuffer(), limit: Int) throws -> ByteBuffer {
        self.fetched += UInt64(stored.readableBytes)
        do {
            return try self.decoder.decode(stored, limit: limit)
        } catch let error as ObjectCodecError {
            throw ArchiveError(error.description)
        }
    }

    /// Checks that the segment ended with its final frame, once every range was fetched and decoded.
    func finish() throws {
        do {
            try self.decoder.finish()
        } catch let error as ObjectCodecError {
            throw ArchiveError(error.description)
        }
    }
}
