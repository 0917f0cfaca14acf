import NIOCore

/// Writes ``MySQLPacket``s to the socket with their 4-byte headers, without copying long payloads.
///
/// `MessageToByteHandler` with ``MySQLPacketEncoder`` copies every payload into a new buffer behind its header. A
/// load sends hundreds of megabytes of statement text, so this handler copies only short packets (one buffer, one
/// write) and sends a long payload as its headers and slices of the payload itself: NIO gathers consecutive writes
/// into one `writev`. The framing (16 MiB fragments, sequence ids) is ``MySQLPacketEncoder``'s.
final class MySQLPacketWriter: ChannelOutboundHandler {
    typealias OutboundIn = MySQLPacket
    typealias OutboundOut = ByteBuffer

    /// Payloads shorter than this are copied behind their header (a second write would cost more than the copy).
    static let copyLimit = 16 << 10

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let packet = self.unwrapOutboundIn(data)
        let allocator = context.channel.allocator
        if packet.payload.readableBytes < Self.copyLimit {
            var out = allocator.buffer(capacity: packet.payload.readableBytes + 4)
            MySQLPacketEncoder.forEachFragment(of: packet) { header, fragment in
                out.writeInteger(header)
                out.writeImmutableBuffer(fragment)
            }
            context.write(self.wrapOutboundOut(out), promise: promise)
            return
        }
        var fragments: [(header: UInt32, fragment: ByteBuffer)] = []
        MySQLPacketEncoder.forEachFragment(of: packet) { fragments.append(($0, $1)) }
        for (index, part) in fragments.enumerated() {
            let isLast = index == fragments.count - 1
            var header = allocator.buffer(capacity: 4)
            header.writeInteger(part.header)
            // Writes complete in order: the last one's promise completes when the whole packet is written.
            if part.fragment.readableBytes == 0 {
                context.write(self.wrapOutboundOut(header), promise: isLast ? promise : nil)
            } else {
                context.write(self.wrapOutboundOut(header), promise: nil)
                context.write(self.wrapOutboundOut(part.fragment), promise: isLast ? promise : nil)
            }
        }
    }
}
