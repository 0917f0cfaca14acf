import NIOCore

/// Hands the packets of one read cycle on together, as one array, at `channelReadComplete`.
///
/// A streamed result is one packet per row: handed to the connection's async stream one by one, each packet paid
/// for a trip through the stream's lock, buffer and generic plumbing (about a tenth of a backup load's CPU). In
/// batches the trip is paid once per read. Packets before an error or the end of the connection are handed on
/// first, in order.
final class MySQLPacketBatcher: ChannelInboundHandler {
    typealias InboundIn = MySQLPacket
    typealias InboundOut = [MySQLPacket]

    private var pending: [MySQLPacket] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.pending.append(self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flush(context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.flush(context)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.flush(context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        self.flush(context)
        context.fireUserInboundEventTriggered(event)
    }

    private func flush(_ context: ChannelHandlerContext) {
        guard !self.pending.isEmpty else { return }
        let batch = self.pending
        self.pending = []
        context.fireChannelRead(self.wrapInboundOut(batch))
    }
}
