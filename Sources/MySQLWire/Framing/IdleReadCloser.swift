import NIOCore

/// Turns `IdleStateHandler`'s read-idle event into an error and closes the channel.
final class IdleReadCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let error: MySQLError

    init(error: MySQLError) {
        self.error = error
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(self.error)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
