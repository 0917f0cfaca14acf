import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process writing a backup: recorded in the manifest while it runs (and kept after), so that
/// `rewind backup prune` can tell a running backup from one that was killed. A running backup renews
/// ``heartbeatAt`` every minute.
public struct BackupWriter: Codable, Hashable, Sendable {
    /// A heartbeat older than this means the writer is gone, whatever its host.
    public static let staleAfter: TimeInterval = 15 * 60

    /// The host name of the machine running `rewind backup create`.
    public var host: String
    public var pid: Int32
    /// The last time the writer said it was alive.
    public var heartbeatAt: Date

    public init(host: String, pid: Int32, heartbeatAt: Date) {
        self.host = host
        self.pid = pid
        self.heartbeatAt = heartbeatAt
    }

    /// This process, now.
    static func current(at now: Date) -> BackupWriter {
        BackupWriter(host: ProcessInfo.processInfo.hostName, pid: getpid(), heartbeatAt: now)
    }

    /// Whether the writer may still be running: its heartbeat is fresh and, on this host, its process exists (a
    /// backup killed here is known dead at once; one on another host once its heartbeat is stale).
    ///
    /// - Parameters:
    ///   - now: The time to judge the heartbeat by.
    ///   - host: This machine's host name.
    ///   - processExists: Whether a process with this id exists on this machine.
    func mayBeRunning(now: Date, host: String, processExists: (Int32) -> Bool) -> Bool {
        guard now.timeIntervalSince(self.heartbeatAt) < Self.staleAfter else { return false }
        return host != self.host || processExists(self.pid)
    }

    /// Whether a process with id `pid` exists here.
    public static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
