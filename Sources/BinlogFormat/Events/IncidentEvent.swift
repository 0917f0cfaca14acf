import NIOCore

/// `INCIDENT_EVENT` (26): something happened on the source that may make the binlog incomplete.
///
///     ┌──────────────┬─────────────────┬─────────┐
///     │ incident (2) │ message len (1) │ message │
///     └──────────────┴─────────────────┴─────────┘
public struct IncidentEvent: Hashable, Sendable {
    /// 1 = `INCIDENT_LOST_EVENTS`.
    public var incident: UInt16
    public var message: String

    public init(incident: UInt16, message: String) {
        self.incident = incident
        self.message = message
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let incident = try body.readLittleEndian(UInt16.self, field: "incident")
        var message = ""
        if body.readableBytes > 0 {
            let length = Int(try body.readLittleEndian(UInt8.self, field: "message_length"))
            message = String(decoding: try body.readBytes(length: length, field: "message"), as: UTF8.self)
        }
        return Self(incident: incident, message: message)
    }
}
