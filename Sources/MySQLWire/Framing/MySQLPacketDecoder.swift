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
///
/// With a ``streamingThreshold``, a packet at least that long is not joined: its bytes are handed on in pieces as
/// they arrive (``MySQLPacket/continues`` set on all but the last), so memory does not grow with the packet's
/// size. The first piece holds at least the packet's first ``firstPieceMinimum`` bytes (a binlog event's header).
package struct MySQLPacketDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = MySQLPacket

    /// Reads the payload length a packet's first fragment announces (e.g. `1 + event_size` of a binlog event), or
    /// `nil` when it announces none. It throws to refuse the packet.
    package typealias DeclaredLength = @Sendable (_ firstFragment: ByteBuffer) throws -> Int?

    /// Fragments of a packet longer than 16 MiB − 1 read so far, and the length its first fragment announced.
    private var pending: (payload: ByteBuffer, lastSequenceID: UInt8, declared: Int?)?
    /// Refuse packets larger than this (a protection against a peer announcing gigabytes).
    package var maximumPacketLength: Int
    /// Checked on the first fragment of every packet of 16 MiB or more (and of every streamed packet).
    package var declaredLength: DeclaredLength?
    /// Packets whose first fragment is at least this long are handed on in pieces as their bytes arrive; `nil`:
    /// every packet whole.
    package var streamingThreshold: Int?
    /// The packet being handed on in pieces.
    private var streamed: StreamedPacket?

    /// Where a packet handed on in pieces stands.
    private struct StreamedPacket {
        /// Bytes of the current fragment not handed on yet.
        var fragmentLeft: Int
        /// The current fragment is 16 MiB − 1 bytes long: another one follows (possibly empty).
        var fragmentIsFull: Bool
        var sequenceID: UInt8
        /// Payload bytes handed on so far.
        var received: Int
        /// What the packet's first bytes announced (``declaredLength``).
        var declared: Int?
    }

    /// The least a streamed packet's first piece holds (fewer only when the packet is shorter).
    package static let firstPieceMinimum = 64

    /// The largest packet accepted before login: greetings and auth packets are a few hundred bytes.
    package static let handshakePacketLimit = 64 * 1024
    /// The largest packet accepted after login (the server's own `max_allowed_packet` ceiling, plus the OK byte).
    package static let packetLimit = (1 << 30) + 1

    package init(maximumPacketLength: Int = Self.packetLimit) {
        self.maximumPacketLength = maximumPacketLength
    }

    package mutating func decode(buffer: inout ByteBuffer) throws -> MySQLPacket? {
        if let streamed = self.streamed { return try self.nextPiece(of: streamed, from: &buffer) }
        while true {
            guard let (length, sequenceID) = Self.peekHeader(buffer) else { return nil }
            // Refuse before waiting for the bytes: a header alone must not make us hold 16 MiB.
            let soFar = self.pending?.payload.readableBytes ?? 0
            try self.checkLength(soFar: soFar, adding: length, declared: self.pending?.declared)
            if self.pending == nil, let threshold = self.streamingThreshold, length >= threshold {
                return try self.startStreaming(length: length, sequenceID: sequenceID, from: &buffer)
            }
            guard buffer.readableBytes >= 4 + length else { return nil }
            buffer.moveReaderIndex(forwardBy: 4)
            // Both reads are within the bounds checked above.
            guard let fragment = buffer.readSlice(length: length) else { return nil }

            if let (pendingPayload, pendingSequenceID, declared) = self.pending {
                var payload = pendingPayload
                var lastSequenceID = pendingSequenceID
                try Self.checkSequenceID(sequenceID, after: lastSequenceID)
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
                try self.checkDeclared(declared, firstFragmentLength: length)
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

    /// The payload length and sequence id of the packet header at the start of `buffer`, once all 4 bytes are there.
    private static func peekHeader(_ buffer: ByteBuffer) -> (length: Int, sequenceID: UInt8)? {
        guard buffer.readableBytes >= 4,
            let low = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt16.self),
            let high = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt8.self),
            let sequenceID = buffer.getInteger(at: buffer.readerIndex + 3, as: UInt8.self)
        else { return nil }
        return (Int(high) << 16 | Int(low), sequenceID)
    }

    /// Refuses a fragment that takes a packet past ``maximumPacketLength`` or past what it announced.
    private func checkLength(soFar: Int, adding length: Int, declared: Int?) throws {
        guard soFar + length <= self.maximumPacketLength else {
            let phase = self.maximumPacketLength < 1 << 20 ? " before login" : ""
            throw MySQLError.protocolViolation(
                "the server sent a packet of \(soFar + length) or more bytes where at most "
                    + "\(self.maximumPacketLength) are allowed\(phase); is this a MySQL server?"
            )
        }
        if let declared, soFar + length > declared {
            throw MySQLError.protocolViolation("the server sent more than the \(declared) bytes the packet announced")
        }
    }

    /// Refuses a packet whose first bytes announce a length it cannot have: over ``maximumPacketLength``, less than
    /// its first fragment, or other than that fragment when no other follows.
    private func checkDeclared(_ declared: Int?, firstFragmentLength length: Int) throws {
        guard let declared else { return }
        let isWhole = length < MySQLPacket.maximumFragmentLength
        guard declared > self.maximumPacketLength || declared < length || (isWhole && declared != length) else {
            return
        }
        throw MySQLError.protocolViolation(
            "the server announced a packet of \(declared) bytes, but it "
                + (declared > self.maximumPacketLength
                    ? "may hold at most \(self.maximumPacketLength)" : "sent a packet of \(length) or more bytes")
        )
    }

    private static func checkSequenceID(_ sequenceID: UInt8, after last: UInt8) throws {
        guard sequenceID != last &+ 1 else { return }
        throw MySQLError.protocolViolation("packet fragment has sequence id \(sequenceID), expected \(last &+ 1)")
    }

    /// Starts handing on a long packet in pieces, once its first ``firstPieceMinimum`` bytes are there.
    private mutating func startStreaming(
        length: Int,
        sequenceID: UInt8,
        from buffer: inout ByteBuffer
    ) throws -> MySQLPacket? {
        let head = min(length, Self.firstPieceMinimum)
        guard buffer.readableBytes >= 4 + head,
            let firstBytes = buffer.getSlice(at: buffer.readerIndex + 4, length: head)
        else { return nil }
        let declared = try self.declaredLength?(firstBytes)
        try self.checkDeclared(declared, firstFragmentLength: length)
        buffer.moveReaderIndex(forwardBy: 4)
        let streamed = StreamedPacket(
            fragmentLeft: length,
            fragmentIsFull: length == MySQLPacket.maximumFragmentLength,
            sequenceID: sequenceID,
            received: 0,
            declared: declared
        )
        return try self.nextPiece(of: streamed, from: &buffer)
    }

    /// The next piece of a packet being streamed: what arrived of its current fragment, after the next fragment's
    /// header when the current one is done.
    private mutating func nextPiece(of streamed: StreamedPacket, from buffer: inout ByteBuffer) throws -> MySQLPacket? {
        var streamed = streamed
        if streamed.fragmentLeft == 0 {
            guard let (length, sequenceID) = Self.peekHeader(buffer) else { return nil }
            try Self.checkSequenceID(sequenceID, after: streamed.sequenceID)
            try self.checkLength(soFar: streamed.received, adding: length, declared: streamed.declared)
            buffer.moveReaderIndex(forwardBy: 4)
            streamed.fragmentLeft = length
            streamed.fragmentIsFull = length == MySQLPacket.maximumFragmentLength
            streamed.sequenceID = sequenceID
        }
        let take = min(streamed.fragmentLeft, buffer.readableBytes)
        let ends = take == streamed.fragmentLeft && !streamed.fragmentIsFull
        guard take > 0 || ends, let piece = buffer.readSlice(length: take) else {
            self.streamed = streamed  // the fragment's header is read; its bytes are still to come
            return nil
        }
        streamed.fragmentLeft -= take
        streamed.received += take
        if ends {
            self.streamed = nil
            if let declared = streamed.declared, streamed.received != declared {
                throw MySQLError.protocolViolation(
                    "the server sent a packet of \(streamed.received) bytes that announced \(declared)"
                )
            }
        } else {
            self.streamed = streamed
        }
        return MySQLPacket(sequenceID: streamed.sequenceID, payload: piece, continues: !ends)
    }
}
