import NIOCore

/// `COM_REGISTER_SLAVE` (0x15): the client announces itself as a replica with its own server id before a binlog dump.
///
///     ┌──────┬───────────────┬───────────────────┬──────────────┬──────────────────┬──────────┬──────────┬───────────────┐
///     │ 0x15 │ server id (4) │ hostname (len1+s) │ user (len1+s)│ password (len1+s)│ port (2) │ rank (4) │ source id (4) │
///     └──────┴───────────────┴───────────────────┴──────────────┴──────────────────┴──────────┴──────────┴───────────────┘
package struct ComRegisterReplica: Hashable, Sendable {
    package var serverID: UInt32
    package var hostname: String
    package var port: UInt16

    package init(serverID: UInt32, hostname: String = "", port: UInt16 = 0) {
        self.serverID = serverID
        self.hostname = hostname
        self.port = port
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x15))
        buffer.writeInteger(self.serverID, endianness: .little)
        let hostname = Array(self.hostname.utf8.prefix(255))
        buffer.writeInteger(UInt8(hostname.count))
        buffer.writeBytes(hostname)
        buffer.writeInteger(UInt8(0))  // user: not reported
        buffer.writeInteger(UInt8(0))  // password: never sent
        buffer.writeInteger(self.port, endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)  // replication rank (unused)
        buffer.writeInteger(UInt32(0), endianness: .little)  // source id: the server fills it in
    }
}
