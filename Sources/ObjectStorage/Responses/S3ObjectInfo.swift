import Foundation

/// One object of a listing or a HEAD answer.
package struct S3ObjectInfo: Sendable, Equatable {
    package var key: String
    package var size: Int64
    /// The ETag without its quotes.
    package var etag: String
    /// User metadata (`x-amz-meta-*`), from HEAD only (listings do not carry it).
    package var metadata: [String: String]

    package init(key: String, size: Int64, etag: String, metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.metadata = metadata
    }
}
