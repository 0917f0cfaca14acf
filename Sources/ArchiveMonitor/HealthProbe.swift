import NIOCore
import NIOHTTP1
import NIOPosix

/// Asks a running archiver's `/healthz` (``MetricsServer``) for its verdict: the probe of `rewind binlog
/// archive-health`, for containers without an HTTP client (Compose health checks, `kubectl exec`).
package enum HealthProbe {
    /// The HTTP status and body of the answer.
    package struct Answer: Equatable, Sendable {
        package var status: Int
        package var body: String

        /// The archiver's one-line verdict (``HealthStatus/message``: `alive: …`, `starting: …`, `stalled: …`),
        /// or `nil` when this is not an archiver's `/healthz` answer (another HTTP server on that port: its body is
        /// not the verdict and is not printed).
        package var verdict: String? {
            guard self.status == 200 || self.status == 503 else { return nil }
            let line = self.body.hasSuffix("\n") ? self.body.dropLast() : Substring(self.body)
            guard line.count <= 1_000, !line.contains("\n") else { return nil }
            let known = ["alive: ", "starting: ", "stalled: "]
            return known.contains(where: { line.hasPrefix($0) }) ? String(line) : nil
        }
    }

    /// One `GET path` on `host:port`, within `timeout` (connection included).
    ///
    /// - Throws: ``HealthProbeError`` naming the address when there is no answer in time, the connection is refused
    ///   or closed early.
    package static func get(host: String, port: Int, path: String = "/healthz", timeout: TimeAmount) async throws
        -> Answer
    {
        let address = "\(host):\(port)"
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Answer.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            HealthProbeHandler(promise: promise, timeout: timeout, address: address, path: path)
                        )
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            promise.fail(HealthProbeError(address: address, reason: "cannot connect: \(error)"))
            throw HealthProbeError(address: address, reason: "cannot connect: \(error)")
        }
        // The handler sends the request as soon as the connection is up, on the event loop: the timeout measures
        // the exchange itself, not how long this task waits for a thread to resume on (seconds on a busy machine).
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }
}

/// The health endpoint did not answer.
package struct HealthProbeError: Error, CustomStringConvertible {
    package var address: String
    package var reason: String
    package var description: String { "no health answer from \(self.address): \(self.reason)" }
}

/// Collects one response; completes the promise once (answer, early close or timeout).
final class HealthProbeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let promise: EventLoopPromise<HealthProbe.Answer>
    private let timeout: TimeAmount
    private let address: String
    private var status = 0
    private var body: [UInt8] = []
    private var isDone = false
    private var timer: Scheduled<Void>?

    private let path: String

    init(promise: EventLoopPromise<HealthProbe.Answer>, timeout: TimeAmount, address: String, path: String) {
        self.promise = promise
        self.timeout = timeout
        self.address = address
        self.path = path
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: self.path)
        head.headers.add(name: "Host", value: self.address)
        head.headers.add(name: "Connection", value: "close")
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            let (handler, context) = loopBound.value
            handler.fail("no answer within \(handler.timeout.nanoseconds / 1_000_000) ms")
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = Int(head.status.code)
        case .body(var buffer):
            if self.body.count < 65_536, let bytes = buffer.readBytes(length: buffer.readableBytes) {
                self.body += bytes
            }
        case .end:
            self.finish(
                .success(HealthProbe.Answer(status: self.status, body: String(decoding: self.body, as: UTF8.self)))
            )
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail("the connection closed before an answer")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail("\(error)")
        context.close(promise: nil)
    }

    private func fail(_ reason: String) {
        self.finish(.failure(HealthProbeError(address: self.address, reason: reason)))
    }

    private func finish(_ result: Result<HealthProbe.Answer, any Error>) {
        guard !self.isDone else { return }
        self.isDone = true
        self.timer?.cancel()
        self.promise.completeWith(result)
    }
}
