import NIOCore

/// MariaDB `START_ENCRYPTION_EVENT` (164): every event after this one is encrypted with the server's key.
///
///     ┌────────────┬─────────────────┬────────────┐
///     │ scheme (1) │ key version (4) │ nonce (12) │
///     └────────────┴─────────────────┴────────────┘
public struct MariaDBStartEncryptionEvent: Hashable, Sendable {
    public var scheme: UInt8
    public var keyVersion: UInt32
    public var nonce: [UInt8]

    static func decode(from body: inout ByteBuffer) throws -> Self {
        Self(
            scheme: try body.readLittleEndian(UInt8.self, field: "scheme"),
            keyVersion: try body.readLittleEndian(UInt32.self, field: "key_version"),
            nonce: try body.readBytes(length: 12, field: "nonce"))
    }
}
