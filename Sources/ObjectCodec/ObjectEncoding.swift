/// What an encoded object says of itself: the codec version, the compression, the encryption and the id of the
/// key. Writers record it in the object's metadata (``metadata``, sent as `x-amz-meta-rewind-*`) and in their
/// manifests; the object's own header says the same, so a reader needs nothing but the key.
package struct ObjectEncoding: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The version of the format ``ObjectHeader`` describes.
    package static let currentVersion = 1

    package var version: Int
    package var compression: ObjectCompression
    package var encryption: ObjectEncryption
    /// The ``ObjectKey/id`` of the key, for an encrypted object.
    package var keyID: String?

    package init(
        version: Int = Self.currentVersion,
        compression: ObjectCompression,
        encryption: ObjectEncryption,
        keyID: String? = nil
    ) {
        self.version = version
        self.compression = compression
        self.encryption = encryption
        self.keyID = keyID
    }

    package var description: String {
        var parts = ["rewind codec \(self.version)", "compression \(self.compression.rawValue)"]
        parts.append("encryption \(self.encryption.rawValue)" + (self.keyID.map { " (key id \($0))" } ?? ""))
        return parts.joined(separator: ", ")
    }

    // MARK: Object metadata

    /// The user metadata names (without `x-amz-meta-`).
    package enum MetadataName {
        package static let codec = "rewind-codec"
        package static let compression = "rewind-compression"
        package static let encryption = "rewind-encryption"
        package static let keyID = "rewind-key-id"
    }

    /// User metadata to store with the object (sent as `x-amz-meta-NAME`).
    package var metadata: [String: String] {
        var metadata = [
            MetadataName.codec: String(self.version),
            MetadataName.compression: self.compression.rawValue,
            MetadataName.encryption: self.encryption.rawValue,
        ]
        if let keyID { metadata[MetadataName.keyID] = keyID }
        return metadata
    }

    /// The encoding an object's user metadata records; `nil` for a plain object (no `rewind-codec`).
    ///
    /// - Throws: ``ObjectCodecError`` (`unsupported`) for a version, compression or cipher this rewind does not know.
    package init?(metadata: [String: String], object: String? = nil) throws {
        guard let version = metadata[MetadataName.codec] else { return nil }
        guard let number = Int(version), number >= 1, number <= Self.currentVersion,
            let compression = ObjectCompression(rawValue: metadata[MetadataName.compression] ?? "none"),
            let encryption = ObjectEncryption(rawValue: metadata[MetadataName.encryption] ?? "none")
        else {
            throw ObjectCodecError(
                .unsupported,
                "the object's metadata names a codec this rewind does not read (\(MetadataName.codec) \(version), "
                    + "\(metadata[MetadataName.compression] ?? "-"), \(metadata[MetadataName.encryption] ?? "-")); "
                    + "use a newer rewind",
                object: object
            )
        }
        self.init(
            version: number,
            compression: compression,
            encryption: encryption,
            keyID: metadata[MetadataName.keyID]
        )
    }
}
