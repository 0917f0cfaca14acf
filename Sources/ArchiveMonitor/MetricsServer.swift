import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The archiver's HTTP endpoint: `GET /metrics` (Prometheus text format) and `GET /healthz` (200 `alive: …`, or
/// 503 `stalled: …` once the stream stalled). Anything else is 404.
package enum MetricsServer {
    /// Serves `health` on `host:port` while `body` runs (given the port bound: `port` 0 picks a free one), then
    /// closes the socket.
    ///
    /// - Throws: what binding throws (the port in use, an address not of this machine), naming the address; what
    ///   `body` throws.
    package static func serving<T: Sendable>(
        _ health: ArchiverHealth,
        host: String,
        port: Int,
        logger: Logger,
        body: (Int) async throws -> T
    ) async throws -> T {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(health: health))
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw MetricsServerError(address: "\(host):\(port)", cause: error)
        }
        logger.debug("metrics endpoint listening", metadata: ["metrics.address": "\(host):\(port)"])
        do {
            let result = try await body(channel.localAddress?.port ?? port)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// The metrics endpoint could not listen.
package struct MetricsServerError: Error, CustomStringConvertible {
    package var address: String
    package var cause: any Error
    package var description: String {
        "cannot serve metrics on \(self.address): \(self.cause) (is the port in use? choose another --metrics-port)"
    }
}
