/// An `s3://bucket/prefix` location: where an archive or backups live in a bucket.
package struct S3Location: Sendable, Equatable, CustomStringConvertible {
    package var bucket: String
    /// The key prefix without a leading `/`, ending in `/` unless empty.
    package var prefix: String

    /// Whether `text` names an S3 location (rather than a local directory).
    package static func isS3(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// - Throws: ``S3Error`` (`location`) naming the text and what a valid one looks like.
    package init(parsing text: String) throws {
        guard text.hasPrefix("s3://") else {
            throw S3Error(.location, "'\(text)' is not an S3 location; write s3://BUCKET/PREFIX")
        }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard Self.isValidBucket(String(bucket)) else {
            throw S3Error(
                .location,
                "'\(text)': '\(bucket)' is not a valid bucket name (3 to 63 lower-case letters, digits, dots and "
                    + "hyphens, starting and ending with a letter or digit)")
        }
        var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
        if prefix.contains("//") || prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            throw S3Error(.location, "'\(text)': the prefix must not hold empty, '.' or '..' segments")
        }
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        self.bucket = String(bucket)
        self.prefix = prefix
    }

    package init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    }

    /// The full key of `name` under the prefix.
    package func key(_ name: String) -> String { prefix + name }

    package var description: String { "s3://\(bucket)/\(prefix)" }

    static func isValidBucket(_ name: String) -> Bool {
        guard (3...63).contains(name.count), let first = name.first, let last = name.last else { return false }
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        return allowed && (first.isLowercase || first.isNumber) && (last.isLowercase || last.isNumber)
    }
}
