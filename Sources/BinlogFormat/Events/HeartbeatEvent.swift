import NIOCore

/// `HEARTBEAT_LOG_EVENT` (27) and `HEARTBEAT_LOG_EVENT_V2` (41): sent by a source to an idle replica;
/// never written to a file. v1 carries the current file name; v2 carries TLV fields (1 = file name,
/// 2 = position).
public struct HeartbeatEvent: Hashable, Sendable {
    public var logFileName: String
    public var position: UInt64?

    public init(logFileName: String, position: UInt64?) {
        self.logFileName = logFileName
        self.position = position
    }

    static func decode(from body: inout ByteBuffer, version: Int) throws -> Self {
        if version == 1 {
            let name = String(
                decoding: try body.readBytes(length: body.readableBytes, field: "log_name"), as: UTF8.self)
            return Self(logFileName: name, position: nil)
        }
        var name = ""
        var position: UInt64?
        while body.readableBytes > 0 {
            let type = try body.readLengthEncodedLength(field: "heartbeat.field_type")
            let length = try body.readLengthEncodedLength(field: "heartbeat.field_length")
            var value = try body.readSlice(length: length, field: "heartbeat.field")
            switch type {
            case 0: break
            case 1: name = String(decoding: value.readableBytesView, as: UTF8.self)
            case 2: position = try value.readLengthEncodedInteger(field: "heartbeat.position")
            default: break
            }
        }
        return Self(logFileName: name, position: position)
    }
}
