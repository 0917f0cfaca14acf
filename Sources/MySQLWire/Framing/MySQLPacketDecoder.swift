import NIOCore

/// Splits the byte stream into ``MySQLPacket``s and joins 16 MiB fragments into one payload.
///
/// A packet whose length field is `0xFFFFFF` continues in the next packet (which may be empty); the payloads are
/// concatenated and the packet gets the sequence id of its last fragment. Sequence ids must increase by one from
/// fragment to fragment. On partial input the decoder consumes nothing and waits for more.
package struct MySQLPacketDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = MySQLPacket

    /// Fragments of a packet longer than 16 MiB − 1 read so far.
    private var pending: (payload: ByteBuffer, lastSequenceID: UInt8)?
    /// Refuse packets larger than this (a protection against a peer announcing gigabytes).
    private let maximumPacketLength: Int

    package init(maximumPacketLength: Int = 1 << 30) {
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
            guard buffer.readableBytes >= 4 + length else { return nil }
            buffer.moveReaderIndex(forwardBy: 4)
            // Both reads are within the bounds checked above.
            guard let fragment = buffer.readSlice(length: length) else { return nil }

            if var (payload, lastSequenceID) = self.pending {
                guard sequenceID == lastSequenceID &+ 1 else {
                    throw MySQLError.protocolViolation(
                        "packet fragment has sequence id \(sequenceID), expected \(lastSequenceID &+ 1)"
                    )
                }
                guard payload.readableBytes + length <= self.maximumPacketLength else {
                    throw MySQLError.protocolViolation("packet longer than \(self.maximumPacketLength) bytes")
                }
                var fragmentCopy = fragment
                payload.writeBuffer(&fragmentCopy)
                lastSequenceID = sequenceID
                self.pending = nil
                if length == MySQLPacket.maximumFragmentLength {
                    self.pending = (payload, lastSequenceID)
                    continue
                }
                return MySQLPacket(sequenceID: sequenceID, payload: payload)
            }
            if length == MySQLPacket.maximumFragmentLength {
                var payload = ByteBufferAllocator().buffer(capacity: 2 * length)
                var fragmentCopy = fragment
                payload.writeBuffer(&fragmentCopy)
                self.pending = (payload, sequenceID)
                continue
            }
            return MySQLPacket(sequenceID: sequenceID, payload: fragment)
        }
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MySQLPacket? {
        try self.decode(buffer: &buffer)
    }
}
