import NIOCore

/// Splits received bytes into ``MySQLPacket``s without copying them where it can.
///
/// `ByteToMessageHandler` gathers every read into one cumulation buffer, copying each read (and compacting the
/// buffer while packets handed on still share it). A binlog stream is mostly bytes, so this handler slices packets
/// straight out of each read and copies only the one packet that straddles two reads. The framing rules (16 MiB
/// fragments, sequence ids) are ``MySQLPacketDecoder``'s.
final class MySQLPacketFramer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = MySQLPacket

    private var decoder: MySQLPacketDecoder
    /// The start of a packet whose end has not arrived yet (its own buffer, holding only that packet's bytes).
    private var partial: ByteBuffer?

    /// - Parameter maximumPacketLength: starts at the handshake's limit; ``MySQLConnection`` raises it after login.
    init(maximumPacketLength: Int = MySQLPacketDecoder.handshakePacketLimit) {
        self.decoder = MySQLPacketDecoder(maximumPacketLength: maximumPacketLength)
    }

    /// The largest packet accepted from now on.
    var maximumPacketLength: Int {
        get { self.decoder.maximumPacketLength }
        set { self.decoder.maximumPacketLength = newValue }
    }

    /// Checks the first fragment of long packets (see ``MySQLPacketDecoder/declaredLength``).
    var declaredLength: MySQLPacketDecoder.DeclaredLength? {
        get { self.decoder.declaredLength }
        set { self.decoder.declaredLength = newValue }
    }

    /// Hands long packets on in pieces (see ``MySQLPacketDecoder/streamingThreshold``).
    var streamingThreshold: Int? {
        get { self.decoder.streamingThreshold }
        set { self.decoder.streamingThreshold = newValue }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        do {
            if var partial = self.partial {
                self.partial = nil  // keep `partial` uniquely referenced, so appending does not copy it
                // Complete the straddling packet with just the bytes it still needs.
                if partial.readableBytes < 4 {
                    let take = min(4 - partial.readableBytes, incoming.readableBytes)
                    var head = incoming.readSlice(length: take)!
                    partial.writeBuffer(&head)
                }
                if partial.readableBytes >= 4 {
                    let low = Int(partial.getInteger(at: partial.readerIndex, endianness: .little, as: UInt16.self)!)
                    let high = Int(partial.getInteger(at: partial.readerIndex + 2, as: UInt8.self)!)
                    let missing = 4 + (high << 16 | low) - partial.readableBytes
                    var rest = incoming.readSlice(length: min(missing, incoming.readableBytes))!
                    partial.writeBuffer(&rest)
                }
                try self.emitPackets(from: &partial, context: context)
                if partial.readableBytes > 0 {
                    // Still not whole: keep waiting (everything incoming went into it).
                    self.partial = partial
                    return
                }
            }
            try self.emitPackets(from: &incoming, context: context)
            if incoming.readableBytes > 0 {
                // Copy the partial packet out, so the read's whole buffer is not kept alive for it.
                var copy = context.channel.allocator.buffer(capacity: Self.capacity(forPartial: incoming))
                copy.writeBuffer(&incoming)
                self.partial = copy
            }
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    private func emitPackets(from buffer: inout ByteBuffer, context: ChannelHandlerContext) throws {
        while let packet = try self.decoder.decode(buffer: &buffer) {
            context.fireChannelRead(self.wrapInboundOut(packet))
        }
    }

    /// Room for the packet whose start `buffer` holds, but never more than twice what arrived (at least 64 KiB):
    /// the length field is the peer's claim, and the buffer grows as the bytes really come.
    private static func capacity(forPartial buffer: ByteBuffer) -> Int {
        guard buffer.readableBytes >= 4,
            let low = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt16.self),
            let high = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt8.self)
        else { return 64 }
        return min(4 + (Int(high) << 16 | Int(low)), max(2 * buffer.readableBytes, 64 * 1024))
    }
}
