import NIOCore

/// Splits the byte stream into ``MySQLPacket``s and joins 16 MiB fragments into one payload.
///
/// A packet whose length field is `0xFFFFFF` continues in the next packet (which may be empty); the payloads are
/// concatenated and the packet gets the sequence id of its last fragment. Sequence ids must increase by one from
/// fragment to fragment. On partial input the decoder consumes nothing and waits for more.
///
/// Nothing is allocated from a length the peer claims: a packet over ``maximumPacketLength`` is refused as soon
/// as its header arrives, and a ``declaredLength`` check refuses a long packet whose own content (a binlog event
/// header) announces too much, after its first fragment.
package struct MySQLPacketDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = MySQLPacket

    /// Reads the payload length a packet's first fragment announces (e.g. `1 + event_size` of a binlog event), or
    /// `nil` when it announces none. It throws to refuse the packet.
    package typealias DeclaredLength = @Sendable (_ firstFragment: ByteBuffer) throws -> Int?

    /// Fragments of a packet longer than 16 MiB − 1 read so far, and the length its first fragment announced.
    private var pending: (payload: ByteBuffer, lastSequenceID: UInt8, declared: Int?)?
    /// Refuse packets larger than this (a protection against a peer announcing gigabytes).
    package var maximumPacketLength: Int
    /// Checked on the first fragment of every packet of 16 MiB or more.
    package var declaredLength: DeclaredLength?

    /// The largest packet accepted before login: greetings and auth packets are a few hundred bytes.
    package static let handshakePacketLimit = 64 * 1024
    /// The largest packet accepted after login (the server's own `max_allowed_packet` ceiling, plus the OK byte).
    package static let packetLimit = (1 << 30) + 1

    package init(maximumPacketLength: Int = Self.packetLimit) {
        self.maximumPacketLength = maximumPacketLength
    }

    package mutating func decode(buffer: inout ByteBuffer) throws -> MySQLPacket? {
        while true {
            guard buffer.readableBytes >= 4,
                let low = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt16.self),
                let high = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt8.self),
                let sequenceID = buffer.getInteger(at: buffer.readerIndex + 3, as: UInt8.self)
            else { return nil }
            let length = Int(high) << 16 | Int(low)
            // Refuse before waiting for the bytes: a header alone must not make us hold 16 MiB.
            let soFar = self.pending?.payload.readableBytes ?? 0
            guard soFar + length <= self.maximumPacketLength else {
                let phase = self.maximumPacketLength < 1 << 20 ? " before login" : ""
                throw MySQLError.protocolViolation(
                    "the server sent a packet of \(soFar + length) or more bytes where at most "
                        + "\(self.maximumPacketLength) are allowed\(phase); is this a MySQL server?"
                )
            }
            if let declared = self.pending?.declared, soFar + length > declared {
                throw MySQLError.protocolViolation(
                    "the server sent more than the \(declared) bytes the packet announced"
                )
            }
            guard buffer.readableBytes >= 4 + length else { return nil }
            buffer.moveReaderIndex(forwardBy: 4)
            // Both reads are within the bounds checked above.
            guard let fragment = buffer.readSlice(length: length) else { return nil }

            if let (pendingPayload, pendingSequenceID, declared) = self.pending {
                var payload = pendingPayload
                var lastSequenceID = pendingSequenceID
                guard sequenceID == lastSequenceID &+ 1 else {
                    throw MySQLError.protocolViolation(
                        "packet fragment has sequence id \(sequenceID), expected \(lastSequenceID &+ 1)"
                    )
                }
                self.pending = nil
                var fragmentCopy = fragment
                payload.writeBuffer(&fragmentCopy)
                lastSequenceID = sequenceID
                if length == MySQLPacket.maximumFragmentLength {
                    self.pending = (payload, lastSequenceID, declared)
                    continue
                }
                if let declared, payload.readableBytes != declared {
                    throw MySQLError.protocolViolation(
                        "the server sent a packet of \(payload.readableBytes) bytes that announced \(declared)"
                    )
                }
                return MySQLPacket(sequenceID: sequenceID, payload: payload)
            }
            if length == MySQLPacket.maximumFragmentLength {
                let declared = try self.declaredLength?(fragment)
                if let declared, declared > self.maximumPacketLength || declared < length {
                    throw MySQLError.protocolViolation(
                        "the server announced a packet of \(declared) bytes, but it "
                            + (declared < length ? "sent more" : "may hold at most \(self.maximumPacketLength)")
                    )
                }
                // Room for what arrived; the next fragments grow it as they come.
                var payload = ByteBufferAllocator().buffer(capacity: length)
                var fragmentCopy = fragment
                payload.writeBuffer(&fragmentCopy)
                self.pending = (payload, sequenceID, declared)
                continue
            }
            return MySQLPacket(sequenceID: sequenceID, payload: fragment)
        }
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MySQLPacket? {
        try self.decode(buffer: &buffer)
    }
}
