/// Why an object could not be encoded or decoded, or a key not loaded: what, which object (its `s3://` URL or
/// path, as the caller named it), which frame, and what to do.
package struct ObjectCodecError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; an open set, compared by name.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        package let name: String
        package init(_ name: String) { self.name = name }
        package var description: String { self.name }

        /// The object is encrypted and no key was given.
        package static let missingKey = Code("missing key")
        /// The object was encrypted with another key (its key id differs from the given key's).
        package static let wrongKey = Code("wrong key")
        /// A frame did not authenticate: a byte was changed, frames were moved, or the object was stored under
        /// another name than the one it was written for.
        package static let authenticationFailed = Code("authentication failed")
        /// The object ends before its final frame.
        package static let truncated = Code("truncated")
        /// Bytes that are not this format: a bad magic, a length out of bounds, bytes after the final frame.
        package static let malformed = Code("malformed")
        /// A newer codec version, or a compression or cipher this rewind does not know.
        package static let unsupported = Code("unsupported")
        /// zstd refused to compress or decompress a frame.
        package static let compression = Code("compression")
        /// A key file that cannot be read or holds no 256-bit key.
        package static let badKey = Code("bad key")
    }

    package var code: Code
    package var reason: String
    /// The object concerned (an `s3://bucket/key` URL or a path), when the caller named one.
    package var object: String?
    /// The frame concerned (0 is the first).
    package var frame: UInt64?

    package init(_ code: Code, _ reason: String, object: String? = nil, frame: UInt64? = nil) {
        self.code = code
        self.reason = reason
        self.object = object
        self.frame = frame
    }

    package var description: String {
        var text = ""
        if let object { text += object + (self.frame.map { " (frame \($0))" } ?? "") + ": " }
        return text + self.reason
    }
}
