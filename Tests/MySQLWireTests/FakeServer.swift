import NIOCore
import NIOEmbedded

@testable import MySQLWire

/// A scripted MySQL server on an `NIOAsyncTestingChannel`: the test writes what the server says and reads what the
/// client sent, packet by packet, with no socket and no sleeping (timeouts advance the channel's clock).
struct FakeServer {
    let channel: NIOAsyncTestingChannel
    private var decoder = MySQLPacketDecoder()

    /// A connected testing channel with the packet codec, and the client's view of it.
    static func make() async throws -> (FakeServer, MySQLConnection.PacketChannel) {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 3306))
        let asyncChannel = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MySQLPacketDecoder()))
            try channel.pipeline.syncOperations.addHandler(MySQLPacketBatcher())
            try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MySQLPacketEncoder()))
            return try MySQLConnection.PacketChannel(wrappingChannelSynchronously: channel)
        }.get()
        return (FakeServer(channel: channel), asyncChannel)
    }

    /// Sends one packet to the client.
    func send(sequenceID: UInt8, _ write: (inout ByteBuffer) -> Void) async throws {
        var payload = ByteBuffer()
        write(&payload)
        var wire = ByteBuffer()
        try MySQLPacketEncoder().encode(data: MySQLPacket(sequenceID: sequenceID, payload: payload), out: &wire)
        try await self.channel.writeInbound(wire)
    }

    /// Sends several packets to the client in one read.
    func send(_ packets: [(UInt8, (inout ByteBuffer) -> Void)]) async throws {
        var wire = ByteBuffer()
        for (sequenceID, write) in packets {
            var payload = ByteBuffer()
            write(&payload)
            try MySQLPacketEncoder().encode(data: MySQLPacket(sequenceID: sequenceID, payload: payload), out: &wire)
        }
        try await self.channel.writeInbound(wire)
    }

    /// Waits for the client's next packet.
    mutating func receive() async throws -> MySQLPacket {
        var wire = try await self.channel.waitForOutboundWrite(as: ByteBuffer.self)
        guard let packet = try self.decoder.decode(buffer: &wire) else {
            throw MySQLError.protocolViolation("the client wrote a partial packet")
        }
        return packet
    }
}
