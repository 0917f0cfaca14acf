import NIOCore

/// `ROTATE_EVENT` (4): the server goes on in another binlog file.
///
///     ┌──────────────┬───────────────────────────────┐
///     │ position (8) │ next file name (rest, no NUL) │
///     └──────────────┴───────────────────────────────┘
public struct RotateEvent: Hashable, Sendable {
    public var position: UInt64
    public var nextFileName: String

    public init(position: UInt64, nextFileName: String) {
        self.position = position
        self.nextFileName = nextFileName
    }

    static func decode(from body: inout ByteBuffer, postHeaderLength: Int) throws -> Self {
        var position: UInt64 = 4
        if postHeaderLength >= 8 {
            position = try body.readLittleEndian(UInt64.self, field: "position")
            try body.skip(postHeaderLength - 8, field: "post_header")
        }
        let bytes = try body.readBytes(length: body.readableBytes, field: "next_file_name")
        // Some servers leave a NUL and garbage after the name (mysql_async#189): keep the name up to the NUL.
        let name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        return Self(position: position, nextFileName: name)
    }
}
