import ArchiveMonitor
import ArgumentParser
import BinlogArchive
import Dispatch
import Foundation
import Logging
import MySQLWire
import ObjectCodec
import ObjectStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rewind binlog archive`: copy a server's binlog files into a directory, as a replica receives them.
struct BinlogArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Copy a server's binlog files into a directory, byte for byte, and keep them coming.",
        discussion: """
            Streams the binlog like a replica (COM_BINLOG_DUMP with its own --server-id) and writes each file under \
            its server name, checking every event's CRC32 on the way. An archive directory remembers where it \
            ended (rewind-archive.json: files, sizes, event times, GTIDs, gaps): run the command again, or let \
            --follow reconnect after a failure, and it goes on exactly there; a partial trailing event left by a \
            killed archiver is cut off first. A file the server purged before it was archived is reported as a gap. \
            Without --follow it stops at the end of the server's binlog. SIGINT and SIGTERM stop it cleanly. \
            Progress shows on a terminal; otherwise one structured line per file, gap and retry goes to stderr. \
            Exit status: 0 done, 3 done but the archive has a gap from this run, 1 failed. \
            With --metrics-port it serves Prometheus metrics on /metrics (last event, lag, bytes, files, gaps, \
            reconnects) and a liveness check on /healthz that answers 503 once neither an event nor a heartbeat \
            arrived for --stall-timeout seconds (an idle server sends heartbeats, so it is not a stall). \
            The user needs REPLICATION SLAVE (MySQL: REPLICATION SLAVE and REPLICATION CLIENT; MariaDB: \
            REPLICATION SLAVE and BINLOG MONITOR).
            """
    )

    /// `--log-format`.
    enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case logfmt, json
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp(
            "The archive directory (created if missing), or an S3 prefix s3://bucket/prefix (see docs/object-storage.md).",
            valueName: "dir|s3-url"
        )
    )
    var directory: String

    @OptionGroup var objectStorage: S3AccessOptions

    @Option(
        help: ArgumentHelp(
            "For an s3:// archive: compress each new segment (none or zstd); with --encryption-key-file it is "
                + "compressed, then encrypted.",
            valueName: "none|zstd"
        )
    )
    var compress: ObjectCompression = .none

    @Option(
        help: "For an s3:// archive: the longest wait in seconds before received events are stored as a new segment."
    )
    var uploadInterval: Int = 10

    @Flag(help: "Keep streaming new events; reconnect with backoff after failures.")
    var follow = false

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Start an empty archive with this binlog file (default: the oldest).", valueName: "file")
    )
    var fromFile: String?

    @Option(
        name: .customLong("from-gtid"),
        help: ArgumentHelp(
            "Start an empty archive with the file holding the first transaction after this GTID set.",
            valueName: "gtid-set"
        )
    )
    var fromGTID: String?

    @Option(name: .customLong("server-id"), help: "This archiver's replica server id.")
    var serverID: UInt32 = ArchiveOptions.defaultServerID

    @Option(help: "Seconds between heartbeats of an idle server (silence for 3 of them is a broken connection).")
    var heartbeat: Int = 5

    @Option(help: "Longest wait in seconds between reconnection attempts.")
    var maxBackoff: Int = 30

    @Option(help: "Consecutive failed attempts before giving up (5 when not given; with --follow: never give up).")
    var retries: Int?

    @Flag(inversion: .prefixedNo, help: "Verify each event's CRC32 before writing it.")
    var verifyChecksums = true

    @Option(help: "Format of the log lines when stderr is not a terminal: logfmt or json.")
    var logFormat: LogFormat = .logfmt

    @Option(help: "Serve Prometheus metrics (/metrics) and a liveness check (/healthz) on this TCP port.")
    var metricsPort: Int?

    @Option(help: "The address the metrics port listens on (0.0.0.0 in a container).")
    var metricsAddress = "127.0.0.1"

    @Option(help: "Seconds without an event or heartbeat after which /healthz reports a stalled stream.")
    var stallTimeout: Int = 60

    func validate() throws {
        if self.fromFile != nil && self.fromGTID != nil {
            throw ValidationError("--from and --from-gtid exclude each other")
        }
        if self.serverID == 0 { throw ValidationError("--server-id must not be 0") }
        if self.heartbeat <= 0 { throw ValidationError("--heartbeat must be positive") }
        if self.maxBackoff <= 0 { throw ValidationError("--max-backoff must be positive") }
        if let retries, retries <= 0 { throw ValidationError("--retries must be positive") }
        if self.uploadInterval <= 0 { throw ValidationError("--upload-interval must be positive") }
        if !S3Location.isS3(self.directory), self.compress != .none || self.objectStorage.encryptionKeyFile != nil {
            throw ValidationError(
                "--compress and --encryption-key-file apply to an s3:// archive; a directory archive is stored as "
                    + "the server wrote it (encrypt the disk it is on)"
            )
        }
        if let port = self.metricsPort, !(1...65535).contains(port) {
            throw ValidationError("--metrics-port must be between 1 and 65535")
        }
        if self.stallTimeout < 2 * self.heartbeat {
            throw ValidationError(
                "--stall-timeout (\(self.stallTimeout) s) must be at least twice --heartbeat (\(self.heartbeat) s), "
                    + "or an idle server between two heartbeats looks stalled"
            )
        }
    }

    func run() async throws {
        let configuration = try self.connection.makeConfiguration()
        let isS3 = S3Location.isS3(self.directory)
        var start = ArchiveOptions.Start.oldest
        if let fromFile { start = .file(fromFile) }
        if let fromGTID { start = .gtid(fromGTID) }
        var options = ArchiveOptions(
            directory: self.directory,
            start: start,
            follow: self.follow,
            serverID: self.serverID,
            // An idle server's heartbeat is what ships the last events of a burst: at least every upload interval.
            heartbeatPeriod: .seconds(isS3 ? min(self.heartbeat, self.uploadInterval) : self.heartbeat),
            maxBackoff: .seconds(self.maxBackoff),
            maxAttempts: self.retries,
            verifyChecksums: self.verifyChecksums
        )
        options.uploadInterval = .seconds(self.uploadInterval)
        options.s3Endpoint = self.objectStorage.endpoint
        options.s3Addressing = self.objectStorage.s3Addressing
        var logger = Logger(label: "rewind.archive")
        logger.logLevel = .error
        let log = ArchiveLog(format: self.logFormat, directory: self.directory, follow: self.follow)
        if isS3 {
            do {
                options.s3Codec = try self.objectStorage.codec(compression: self.compress)
            } catch {
                log.line(level: "error", event: "failed", ["error": .text("\(error)")])
                throw ExitCode(1)
            }
        }

        let health = self.metricsPort.map { _ in
            ArchiverHealth(stallTimeout: .seconds(self.stallTimeout), now: Date())
        }
        // The metrics port is bound before the archiver starts: a port in use stops the command before it
        // touches the archive.
        let archive = { () async throws -> ArchiveSummary in
            let archiver = BinlogArchiver(configuration: configuration, options: options, logger: logger)
            let task = Task {
                try await archiver.run { event in
                    log.handle(event)
                    health?.record(event, at: Date())
                }
            }
            let signals = SignalCanceller { task.cancel() }
            defer { signals.stop() }
            return try await task.value
        }
        let summary: ArchiveSummary
        do {
            if let health, let port = self.metricsPort {
                summary = try await MetricsServer.serving(
                    health,
                    host: self.metricsAddress,
                    port: port,
                    logger: logger
                ) { _ in try await archive() }
            } else {
                summary = try await archive()
            }
        } catch {
            log.finish()
            log.line(level: "error", event: "failed", ["error": .text("\(error)")])
            throw ExitCode(1)
        }
        log.finish()
        var fields: [String: ArchiveLog.Value] = [
            "bytes": .number(summary.bytesArchived), "files_completed": .number(summary.filesCompleted.count),
            "gaps": .number(summary.gaps.count),
        ]
        if let last = summary.index.files.last { fields["ends_at"] = .text("\(last.name):\(last.size)") }
        log.line(level: summary.gaps.isEmpty ? "info" : "warning", event: "stopped", fields)
        if !summary.gaps.isEmpty { throw ExitCode(3) }
    }
}
