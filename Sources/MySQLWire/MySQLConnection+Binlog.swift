import Logging
import NIOCore

extension MySQLConnection {
    /// Starts streaming binlog events, as a replica does.
    ///
    /// Sets up the session first: checksums as the server writes them (`@master_binlog_checksum`), MariaDB's GTID
    /// capability and start position, the heartbeat period; then registers as a replica (`COM_REGISTER_SLAVE`) and
    /// sends `COM_BINLOG_DUMP`.
    ///
    /// - Parameter request: Start position, stop-at-end or follow, this client's server id, heartbeat period.
    /// - Returns: The events, to iterate once; errors arrive as ``MySQLError`` from the iterator (e.g. the server
    ///   purged the requested file: ``MySQLError/Code-swift.struct/server`` with error 1236).
    /// - Throws: ``MySQLError`` when the session setup or registration fails.
    public func binlogEvents(_ request: BinlogDumpRequest) async throws -> BinlogEventStream {
        let hasCRC32 = try await self.startBinlogEvents(request, chunkingThreshold: nil)
        return BinlogEventStream(connection: self, hasCRC32: hasCRC32)
    }

    /// Starts streaming binlog events as ``binlogEvents(_:)`` does, handing on long events in chunks as their bytes
    /// arrive (``BinlogEventChunkStream``): for consumers that write events out and must not hold a 1 GiB one.
    ///
    /// - Parameter request: Start position, stop-at-end or follow, this client's server id, heartbeat period.
    /// - Returns: The events and chunks of events, to iterate once.
    /// - Throws: ``MySQLError`` when the session setup or registration fails.
    public func binlogEventChunks(_ request: BinlogDumpRequest) async throws -> BinlogEventChunkStream {
        let hasCRC32 = try await self.startBinlogEvents(
            request,
            chunkingThreshold: BinlogEventChunkStream.chunkingThreshold
        )
        return BinlogEventChunkStream(connection: self, hasCRC32: hasCRC32)
    }

    /// Sets up the session and starts the dump; returns whether the events carry CRC32 trailers.
    private func startBinlogEvents(_ request: BinlogDumpRequest, chunkingThreshold: Int?) async throws -> Bool {
        let checksum = try await self.rows("SELECT @@global.binlog_checksum").first?[0].string ?? "NONE"
        // MySQL 8.0.26+ reads the source_* names (8.4 and later may read only those), older servers and MariaDB
        // the master_* ones: set both, they are plain user variables where unused.
        var setup = [
            "SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum"
        ]
        if self.isMariaDB {
            setup.append("SET @mariadb_slave_capability = 4")  // MARIA_SLAVE_CAPABILITY_MINE: GTID events
        }
        if let period = request.heartbeatPeriod {
            let nanoseconds = Self.nanoseconds(period)
            setup.append("SET @master_heartbeat_period = \(nanoseconds), @source_heartbeat_period = \(nanoseconds)")
        }
        if case .mariaDBGTID(let position) = request.start {
            guard position.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "," }) else {
                throw MySQLError(code: .unsupported, reason: "not a MariaDB GTID position: \(position)")
            }
            setup += [
                "SET @slave_connect_state = '\(position)'", "SET @slave_gtid_strict_mode = 0",
                "SET @slave_gtid_ignore_duplicates = 0",
            ]
        }
        _ = try await self.query(setup.joined(separator: "; "))
        if let idleTimeout = request.idleTimeout { try await self.closeWhenIdle(for: idleTimeout) }

        var file = ""
        var position: UInt64 = 4
        if case .position(let name, let offset) = request.start { (file, position) = (name, offset) }
        var flags: UInt16 = request.mode == .stopAtEnd ? ComBinlogDump.nonBlockingFlag : 0
        if case .mysqlGTIDSet(let set) = request.start {
            try await self.startBinlogDump(
                register: ComRegisterReplica(serverID: request.serverID),
                dump: .binlogDumpGTID(ComBinlogDumpGTID(flags: flags, serverID: request.serverID, gtidSet: set)),
                chunkingThreshold: chunkingThreshold
            )
            return checksum.uppercased() == "CRC32"
        }
        guard position <= UInt64(UInt32.max) else {
            throw MySQLError(code: .unsupported, reason: "position \(position) does not fit COM_BINLOG_DUMP")
        }
        if self.isMariaDB { flags |= ComBinlogDump.sendAnnotateRowsFlag }  // every event of the file, byte for byte
        try await self.startBinlogDump(
            register: ComRegisterReplica(serverID: request.serverID),
            dump: .binlogDump(
                ComBinlogDump(position: UInt32(position), flags: flags, serverID: request.serverID, fileName: file)
            ),
            chunkingThreshold: chunkingThreshold
        )
        self.logger.debug(
            "binlog dump started",
            metadata: [
                "binlog.file": "\(file)", "binlog.position": "\(position)", "mysql.server_id": "\(request.serverID)",
            ]
        )
        return checksum.uppercased() == "CRC32"
    }
}
