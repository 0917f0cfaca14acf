import NIOCore

/// `XID_EVENT` (16): the commit of a transaction on a transactional engine.
///
///     ┌─────────┐
///     │ xid (8) │
///     └─────────┘
public struct XIDEvent: Hashable, Sendable {
    public var xid: UInt64

    public init(xid: UInt64) { self.xid = xid }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        Self(xid: try body.readLittleEndian(UInt64.self, field: "xid"))
    }
}
