/// One page of `ListObjectsV2`.
package struct S3ListPage: Sendable, Equatable {
    package var objects: [S3ObjectInfo]
    package var commonPrefixes: [String]
    /// Where the next page starts; `nil` on the last page.
    package var continuationToken: String?

    /// Decodes a `ListBucketResult` document.
    /// - Throws: ``S3Error`` (`badResponse`) when the document is not one.
    package static func decode(_ bytes: [UInt8], bucket: String) throws -> S3ListPage {
        guard let root = XMLElementTree.parse(bytes), root.name == "ListBucketResult" else {
            throw S3Error(.badResponse, "listing s3://\(bucket)/: the answer is not a ListBucketResult document")
        }
        var objects: [S3ObjectInfo] = []
        for entry in root.children("Contents") {
            guard let key = entry.value("Key"), let size = entry.value("Size").flatMap({ Int64($0) }) else {
                throw S3Error(.badResponse, "listing s3://\(bucket)/: an entry lacks its Key or Size")
            }
            let etag = (entry.value("ETag") ?? "").trimmingCharacters(in: ["\""])
            objects.append(S3ObjectInfo(key: key, size: size, etag: etag))
        }
        let prefixes = root.children("CommonPrefixes").compactMap { $0.value("Prefix") }
        let truncated = root.value("IsTruncated") == "true"
        let token = truncated ? root.value("NextContinuationToken") : nil
        if truncated && token == nil {
            throw S3Error(.badResponse, "listing s3://\(bucket)/: truncated, but no continuation token was sent")
        }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, continuationToken: token)
    }
}
