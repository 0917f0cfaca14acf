import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hostile "MySQL server" on a loopback TCP port: each accepted connection runs `script` on a thread of its own,
/// with blocking socket calls. A script speaks just enough of the protocol to get the client where the attack is
/// (greeting, login, the few queries `rewind` sends) and then floods, trickles or lies.
final class HostileServer: @unchecked Sendable {
    // `listener` and `port` are set once in init; `connections` is guarded by `lock`.
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var acceptedCount = 0
    private var sessionSeconds: [Double] = []

    /// Connections accepted so far.
    var connections: Int { self.lock.withLock { self.acceptedCount } }

    /// How long each finished connection lasted, from accept until the client left (the script's write or read
    /// failed) or the script ended: the client's own timeouts, free of process start-up time.
    var sessions: [Double] { self.lock.withLock { self.sessionSeconds } }

    /// Waits (up to `seconds`) until every accepted connection has finished, then returns their durations.
    func finishedSessions(within seconds: Double = 10) -> [Double] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let (accepted, finished) = self.lock.withLock { (self.acceptedCount, self.sessionSeconds) }
            if finished.count >= accepted { return finished }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return self.sessions
    }

    init(_ script: @escaping @Sendable (HostileConnection) throws -> Void) throws {
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

    /// Stops accepting (connections already running end when their script does or the client leaves).
    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }
}

/// One accepted connection, seen from the hostile server.
struct HostileConnection {
    struct Closed: Error {}

    let descriptor: Int32

    /// Writes all of `bytes`; throws when the client has gone.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(self.descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw Closed() }
            offset += sent
        }
    }

    /// A packet with its 4-byte header (the payload must be under 16 MiB).
    func packet(_ payload: [UInt8], sequenceID: UInt8) throws {
        let length = payload.count
        try self.write([UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), sequenceID] + payload)
    }

    /// The client's next packet (payload and sequence id).
    func receive() throws -> (payload: [UInt8], sequenceID: UInt8) {
        let header = try self.read(count: 4)
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        return (try self.read(count: length), header[3])
    }

    private func read(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress! + offset, count - offset, 0) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw Closed() }
            offset += got
        }
        return bytes
    }

    /// Sends `count` bytes of `byte`, 1 MiB at a time, or until the client hangs up.
    func flood(_ count: Int, byte: UInt8 = 0) throws {
        let chunk = [UInt8](repeating: byte, count: 1 << 20)
        var left = count
        while left > 0 {
            try self.write(left >= chunk.count ? chunk : Array(chunk.prefix(left)))
            left -= chunk.count
        }
    }

    // MARK: - Just enough MySQL

    /// A protocol-10 greeting offering `mysql_native_password` and no TLS.
    static let greeting: [UInt8] = {
        var bytes: [UInt8] = [10] + Array("10.11.99-MariaDB-hostile".utf8) + [0]
        bytes += [1, 0, 0, 0]  // connection id
        bytes += Array(repeating: 0x41, count: 8) + [0]  // auth data part 1, filler
        let capabilities: UInt32 = 0x0000_0001 | 0x0000_0200 | 0x0000_2000 | 0x0000_8000 | 0x0008_0000
        bytes += [UInt8(capabilities & 0xFF), UInt8(capabilities >> 8 & 0xFF)]
        bytes += [45, 2, 0]  // character set, status
        bytes += [UInt8(capabilities >> 16 & 0xFF), UInt8(capabilities >> 24 & 0xFF)]
        bytes += [21] + Array(repeating: 0, count: 10)
        bytes += Array(repeating: 0x42, count: 12) + [0]  // auth data part 2
        bytes += Array("mysql_native_password".utf8) + [0]
        return bytes
    }()

    static let ok: [UInt8] = [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]
    static let eof: [UInt8] = [0xFE, 0x00, 0x00, 0x02, 0x00]

    /// Greets, accepts any login and answers the queries `rewind` sends before a binlog dump. Returns the
    /// `COM_BINLOG_DUMP` packet's payload when the client sends it.
    @discardableResult
    func loginAndAnswerUntilBinlogDump(checksum: String = "NONE") throws -> [UInt8] {
        try self.packet(Self.greeting, sequenceID: 0)
        _ = try self.receive()
        try self.packet(Self.ok, sequenceID: 2)
        while true {
            let (payload, _) = try self.receive()
            switch payload.first {
            case 0x03:  // COM_QUERY
                let sql = String(decoding: payload.dropFirst(), as: UTF8.self)
                if sql.hasPrefix("SELECT @@server_id") {
                    try self.resultSet(columns: ["@@server_id", "VERSION()"], rows: [["7", "10.11.99-MariaDB-hostile"]])
                } else if sql.hasPrefix("SHOW BINARY LOGS") {
                    try self.resultSet(columns: ["Log_name", "File_size"], rows: [["binlog.000001", "4096"]])
                } else if sql.hasPrefix("SELECT @@global.binlog_checksum") {
                    try self.resultSet(columns: ["@@global.binlog_checksum"], rows: [[checksum]])
                } else {
                    try self.packet(Self.ok, sequenceID: 1)
                }
            case 0x12, 0x1E:  // COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID
                return payload
            case 0x01:  // COM_QUIT
                throw Closed()
            default:  // COM_REGISTER_SLAVE, COM_PING, …
                try self.packet(Self.ok, sequenceID: 1)
            }
        }
    }

    /// A text result set of string columns, with EOF packets (the greeting offers no CLIENT_DEPRECATE_EOF).
    func resultSet(columns: [String], rows: [[String]]) throws {
        var sequenceID: UInt8 = 1
        func next(_ payload: [UInt8]) throws {
            try self.packet(payload, sequenceID: sequenceID)
            sequenceID &+= 1
        }
        func lengthEncoded(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
        try next([UInt8(columns.count)])
        for column in columns {
            var definition = lengthEncoded("def") + lengthEncoded("") + lengthEncoded("") + lengthEncoded("")
            definition += lengthEncoded(column) + lengthEncoded(column)
            definition += [0x0C, 45, 0, 255, 0, 0, 0, 253, 0, 0, 0, 0, 0]
            try next(definition)
        }
        try next(Self.eof)
        for row in rows { try next(row.flatMap(lengthEncoded)) }
        try next(Self.eof)
    }
}
