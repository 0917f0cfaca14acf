import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One accepted connection, seen from the hostile server.
package struct HostileConnection: Sendable {
    package struct Closed: Error {
        package init() {}
    }

    package let descriptor: Int32

    /// Writes all of `bytes`; throws when the client has gone.
    package func write(_ bytes: [UInt8]) throws {
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
    package func packet(_ payload: [UInt8], sequenceID: UInt8) throws {
        let length = payload.count
        try self.write(
            [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), sequenceID] + payload)
    }

    /// The client's next packet (payload and sequence id).
    package func receive() throws -> (payload: [UInt8], sequenceID: UInt8) {
        let header = try self.read(count: 4)
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        return (try self.read(count: length), header[3])
    }

    private func read(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes {
                recv(self.descriptor, $0.baseAddress! + offset, count - offset, 0)
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw Closed() }
            offset += got
        }
        return bytes
    }

    /// Sends `count` bytes of `byte`, 1 MiB at a time, or until the client hangs up.
    package func flood(_ count: Int, byte: UInt8 = 0) throws {
        let chunk = [UInt8](repeating: byte, count: 1 << 20)
        var left = count
        while left > 0 {
            try self.write(left >= chunk.count ? chunk : Array(chunk.prefix(left)))
            left -= chunk.count
        }
    }

    // MARK: - Just enough MySQL

    /// A protocol-10 greeting offering `mysql_native_password` and no TLS.
    package static let greeting: [UInt8] = Self.greeting(version: "10.11.99-MariaDB-hostile")

    /// A protocol-10 greeting from a server of `version` (`8.4.3`, `5.5.5-10.11.6-MariaDB`), offering
    /// `mysql_native_password` and no TLS.
    package static func greeting(version: String, connectionID: UInt32 = 1) -> [UInt8] {
        var bytes: [UInt8] = [10] + Array(version.utf8) + [0]
        bytes += (0..<4).map { UInt8(connectionID >> (8 * $0) & 0xFF) }
        bytes += Array(repeating: 0x41, count: 8) + [0]  // auth data part 1, filler
        let capabilities: UInt32 = 0x0000_0001 | 0x0000_0200 | 0x0000_2000 | 0x0000_8000 | 0x0008_0000
        bytes += [UInt8(capabilities & 0xFF), UInt8(capabilities >> 8 & 0xFF)]
        bytes += [45, 2, 0]  // character set, status
        bytes += [UInt8(capabilities >> 16 & 0xFF), UInt8(capabilities >> 24 & 0xFF)]
        bytes += [21] + Array(repeating: 0, count: 10)
        bytes += Array(repeating: 0x42, count: 12) + [0]  // auth data part 2
        bytes += Array("mysql_native_password".utf8) + [0]
        return bytes
    }

    package static let ok: [UInt8] = [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]
    package static let eof: [UInt8] = [0xFE, 0x00, 0x00, 0x02, 0x00]

    /// Greets, accepts any login and answers the queries `rewind` sends before a binlog dump. Returns the
    /// `COM_BINLOG_DUMP` packet's payload when the client sends it.
    @discardableResult
    package func loginAndAnswerUntilBinlogDump(checksum: String = "NONE") throws -> [UInt8] {
        try self.packet(Self.greeting, sequenceID: 0)
        _ = try self.receive()
        try self.packet(Self.ok, sequenceID: 2)
        while true {
            let (payload, _) = try self.receive()
            switch payload.first {
            case 0x03:  // COM_QUERY
                let sql = String(decoding: payload.dropFirst(), as: UTF8.self)
                if sql.hasPrefix("SELECT @@server_id") {
                    try self.resultSet(
                        columns: ["@@server_id", "VERSION()"], rows: [["7", "10.11.99-MariaDB-hostile"]])
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
    package func resultSet(columns: [String], rows: [[String]]) throws {
        try self.resultSet(columns: columns, nullableRows: rows.map { $0.map { Optional($0) } })
    }
}
