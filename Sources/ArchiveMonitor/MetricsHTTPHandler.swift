import Foundation
import NIOCore
import NIOHTTP1

/// Answers one HTTP/1.1 request at a time on a connection: `/metrics`, `/healthz`, else 404.
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let health: ArchiverHealth
    private var head: HTTPRequestHead?

    init(health: ArchiverHealth) { self.health = health }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let (status, contentType, body) = self.answer(head)
            self.respond(context: context, head: head, status: status, contentType: contentType, body: body)
        }
    }

    /// Status, content type and body for a request.
    func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, [UInt8]) {
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, "text/plain; charset=utf-8", Array("only GET\n".utf8))
        }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch path {
        case "/metrics":
            _ = self.health.status(now: Date())  // refreshes the silence and health gauges
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", self.health.metrics.registry.emitToBuffer())
        case "/healthz", "/livez":
            let status = self.health.status(now: Date())
            return (
                status.isHealthy ? .ok : .serviceUnavailable, "text/plain; charset=utf-8",
                Array((status.message + "\n").utf8)
            )
        default:
            return (.notFound, "text/plain; charset=utf-8", Array("not found: /metrics or /healthz\n".utf8))
        }
    }

    private func respond(
        context: ChannelHandlerContext,
        head: HTTPRequestHead,
        status: HTTPResponseStatus,
        contentType: String,
        body: [UInt8]
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil
        )
        if head.method != .HEAD {
            context.write(
                self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))),
                promise: nil
            )
        }
        let done = context.writeAndFlushPromise()
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushPromise() -> EventLoopPromise<Void> { self.eventLoop.makePromise() }
}
