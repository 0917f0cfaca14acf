import NIOCore

/// One logical packet of the MySQL client/server protocol: a payload and its sequence number.
///
/// On the wire every packet has a 4-byte header; payloads of 16 MiB − 1 bytes or more are split into fragments
/// (see ``MySQLPacketDecoder``). A `MySQLPacket` is the whole payload, except where a decoder hands long packets on
/// in pieces as their bytes arrive (``MySQLPacketDecoder/streamingThreshold``): then ``continues`` is set on every
/// piece but the last.
///
///     ┌────────────────────┬─────────────────┬──────────────────────┐
///     │ payload length (3) │ sequence id (1) │ payload (length)     │
///     └────────────────────┴─────────────────┴──────────────────────┘
package struct MySQLPacket: Hashable, Sendable {
    /// The sequence id: of the first fragment when writing; of the last fragment when read.
    package var sequenceID: UInt8
    package var payload: ByteBuffer
    /// More bytes of this payload follow in the next packet (a piece of a streamed packet, never when writing).
    package var continues: Bool

    package init(sequenceID: UInt8, payload: ByteBuffer, continues: Bool = false) {
        self.sequenceID = sequenceID
        self.payload = payload
        self.continues = continues
    }

    /// The largest payload one wire packet carries (`0xFFFFFF`); longer payloads continue in the next packet.
    package static let maximumFragmentLength = 0xFF_FFFF
}
