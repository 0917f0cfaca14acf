import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hostile "MySQL server" on a loopback TCP port: each accepted connection runs `script` on a thread of its own,
/// with blocking socket calls. A script speaks just enough of the protocol to get the client where the attack is
/// (greeting, login, the few queries `rewind` sends) and then floods, trickles or lies.
package final class HostileServer: @unchecked Sendable {
    // `listener` and `port` are set once in init; `connections` is guarded by `lock`.
    package let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var acceptedCount = 0
    private var sessionSeconds: [Double] = []

    /// Connections accepted so far.
    package var connections: Int { self.lock.withLock { self.acceptedCount } }

    /// How long each finished connection lasted, from accept until the client left (the script's write or read
    /// failed) or the script ended: the client's own timeouts, free of process start-up time.
    package var sessions: [Double] { self.lock.withLock { self.sessionSeconds } }

    /// Waits (up to `seconds`) until every accepted connection has finished, then returns their durations. (It
    /// sleeps without blocking a thread: the client whose connections it waits for needs the concurrency pool,
    /// which has one thread per core.)
    package func finishedSessions(within seconds: Double = 10) async -> [Double] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let (accepted, finished) = self.lock.withLock { (self.acceptedCount, self.sessionSeconds) }
            if finished.count >= accepted { return finished }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return self.sessions
    }

    package init(_ script: @escaping @Sendable (HostileConnection) throws -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HostileConnection.Closed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw HostileConnection.Closed()
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.listener = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            while true {
                let client = accept(descriptor, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    // `stop()` shut the listener down; only this thread closes it, so that its number cannot be
                    // reused by another test's socket while this thread may still call accept on it.
                    close(descriptor)
                    return
                }
                self.lock.withLock { self.acceptedCount += 1 }
                Thread {
                    let start = Date()
                    let connection = HostileConnection(descriptor: client)
                    try? script(connection)
                    close(client)
                    let seconds = Date().timeIntervalSince(start)
                    self.lock.withLock { self.sessionSeconds.append(seconds) }
                }.start()
            }
        }
        thread.start()
    }

    /// Stops accepting (connections already running end when their script does or the client leaves). The accept
    /// thread wakes with an error and closes the listener: closing it here could let a later socket of another test
    /// take its number before that thread's next accept, which would then take that test's connections.
    package func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
    }
}
