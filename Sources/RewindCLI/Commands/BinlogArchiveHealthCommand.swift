import ArchiveMonitor
import ArgumentParser
import NIOCore

/// `rewind binlog archive-health`: the liveness verdict of a running `rewind binlog archive --metrics-port`.
struct BinlogArchiveHealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive-health",
        abstract: "Ask a running archiver (--metrics-port) whether its stream is alive; exit 1 when it stalled.",
        discussion: """
            GETs /healthz of `rewind binlog archive --follow --metrics-port PORT` and prints its one-line verdict. \
            Exit status: 0 alive (events or heartbeats arrive), 1 stalled (none for --stall-timeout seconds) or no \
            answer. For health checks in containers without an HTTP client (Compose, kubectl exec).
            """
    )

    @Option(help: "The archiver's --metrics-port.")
    var port: Int

    @Option(help: "The address the archiver's metrics endpoint listens on.")
    var host = "127.0.0.1"

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 5

    func validate() throws {
        if !(1...65535).contains(self.port) { throw ValidationError("--port must be between 1 and 65535") }
        if self.timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let answer: HealthProbe.Answer
        do {
            answer = try await HealthProbe.get(host: self.host, port: self.port, timeout: .seconds(Int64(self.timeout)))
        } catch {
            print("unhealthy: \(error)")
            throw ExitCode(1)
        }
        guard let verdict = answer.verdict else {
            print(
                "unhealthy: \(self.host):\(self.port) answered HTTP \(answer.status), but not with an archiver's verdict "
                    + "(is --port the --metrics-port of `rewind binlog archive`?)")
            throw ExitCode(1)
        }
        print(verdict)
        if answer.status != 200 { throw ExitCode(1) }
    }
}
