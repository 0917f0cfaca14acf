import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A logged-in connection to a MySQL or MariaDB server.
///
/// Open one with ``withConnection(configuration:eventLoopGroup:logger:_:)``, which always closes it. The actor runs
/// one request at a time; starting a second while one runs throws ``MySQLError/Code-swift.struct/connectionBusy``.
/// Packets arrive through an `NIOAsyncChannel`, so a slow reader slows the socket instead of filling memory.
public actor MySQLConnection {
    /// Packets arrive in batches (``MySQLPacketBatcher``) and leave one by one.
    typealias PacketChannel = NIOAsyncChannel<[MySQLPacket], MySQLPacket>

    /// The server's version string, e.g. `10.11.6-MariaDB-log` or `8.0.36`.
    public private(set) var serverVersion: String = ""
    /// The server's id for this connection (what `KILL` takes).
    public private(set) var connectionID: UInt32 = 0
    /// Whether the server is MariaDB.
    public var isMariaDB: Bool { self.serverVersion.contains("MariaDB") }
    /// Whether the connection is encrypted with TLS.
    public private(set) var isTLS = false

    let configuration: Configuration
    let logger: Logger
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<[MySQLPacket]>.AsyncIterator
    /// The batch being handed out by ``receive()``, and the index of its next packet.
    private var received: [MySQLPacket] = []
    private var receivedIndex = 0
    private let outbound: NIOAsyncChannelOutboundWriter<MySQLPacket>
    private(set) var capabilities: CapabilityFlags = []
    private var nextSequenceID: UInt8 = 0
    private var isBusy = false
    private var isBroken = false
    /// TLS was started and no packet has arrived through it yet: failures now are TLS failures.
    private var isTLSHandshakePending = false
    /// Which certificate the TLS handshake rejected, to say which check failed.
    private var tlsRecorder: TLSCertificateRecorder?
    /// Set while a binlog dump owns the connection.
    private var binlogDump: BinlogDumpStateMachine?
    /// The error that ended the last binlog dump, until a read of the dump reports it.
    private var binlogDumpFailure: MySQLError?
    /// Set while a streamed query owns the connection.
    private var rowStream: RowStreamStateMachine?

    private init(
        configuration: Configuration,
        logger: Logger,
        channel: any Channel,
        inbound: sending NIOAsyncChannelInboundStream<[MySQLPacket]>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<MySQLPacket>
    ) {
        self.configuration = configuration
        self.logger = logger
        self.channel = channel
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects, logs in, runs `body` with the connection and closes it, also when `body` throws.
    ///
    /// - Parameters:
    ///   - configuration: Server address, credentials, TLS and timeouts.
    ///   - eventLoopGroup: The NIO event loops to use (default: the shared singleton).
    ///   - logger: Receives debug and trace logs (`mysql.server`, `mysql.connection_id`); never the password.
    ///   - body: Works with the connection; it must not keep it beyond its return.
    /// - Returns: What `body` returns.
    /// - Throws: ``MySQLError`` when connecting, TLS or login fails, or what `body` throws.
    public static func withConnection<Result: Sendable>(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        _ body: (MySQLConnection) async throws -> Result
    ) async throws -> Result {
        let server = configuration.endpoint.description
        let asyncChannel: PacketChannel
        do {
            asyncChannel = try await Self.makeChannel(configuration: configuration, eventLoopGroup: eventLoopGroup)
        } catch {
            throw MySQLError(
                code: .connectionFailed,
                reason:
                    "cannot connect: \(Self.describe(connectError: error)); is the server running, and are the host "
                    + "and port (or socket) right?",
                server: server
            )
        }
        logger.debug("connected", metadata: ["mysql.server": "\(server)"])
        // The login (greeting, TLS, authentication) gets the connect timeout of its own however slowly the bytes
        // come: what is left of a budget shared with the TCP connect could be nothing on a busy machine, and the
        // error would then blame the server for a handshake it never had time to answer.
        return try await Self.withConnection(
            on: asyncChannel,
            configuration: configuration,
            loginTimeout: configuration.connectTimeout,
            logger: logger,
            body
        )
    }

    /// Logs in over an open channel (with the packet codec in its pipeline), runs `body` and closes the channel.
    /// The public entry point connects first; tests pass a scripted channel.
    static func withConnection<Result: Sendable>(
        on asyncChannel: PacketChannel,
        configuration: Configuration,
        loginTimeout: Duration? = nil,
        logger: Logger,
        _ body: (MySQLConnection) async throws -> Result
    ) async throws -> Result {
        let server = configuration.endpoint.description
        return try await asyncChannel.executeThenClose { inbound, outbound in
            let connection = MySQLConnection(
                configuration: configuration,
                logger: logger,
                channel: asyncChannel.channel,
                inbound: inbound.makeAsyncIterator(),
                outbound: outbound
            )
            do {
                try await connection.authenticate(timeout: loginTimeout ?? configuration.connectTimeout)
                try await connection.setPacketLimit(MySQLPacketDecoder.packetLimit)
            } catch let error as MySQLError {
                throw error.adding(server: server, context: "login as \(configuration.username)")
            }
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                await connection.quit()
                throw error
            }
            await connection.quit()
            return result
        }
    }

    /// The reason under NIO's connection error, e.g. "Connection refused" rather than the whole error tree.
    static func describe(connectError error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return Self.describe(connectError: first.error) }
            if let dns = error.dnsAAAAError ?? error.dnsAError { return "cannot resolve the host name (\(dns))" }
            return "no address to connect to"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out" }
            return "\(error)"
        default:
            return "\(error)"
        }
    }

    private static func makeChannel(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup
    ) async throws -> PacketChannel {
        let timeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.connectTimeout))
        let bootstrap = ClientBootstrap(group: eventLoopGroup).connectTimeout(timeout)

        let initializer: @Sendable (any Channel) -> EventLoopFuture<PacketChannel> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(MySQLPacketFramer())  // handshake-sized packets
                try channel.pipeline.syncOperations.addHandler(MySQLPacketBatcher())
                try channel.pipeline.syncOperations.addHandler(MySQLPacketWriter())
                // At most 8 batches wait unread (a batch is what a read cycle brought: at most 4 reads of up to 64 KiB,
                // or the pieces of a long packet): memory stays bounded while a slow consumer (disk, decoder) holds
                // the socket back, and a fast one is not woken for every few packets.
                return try PacketChannel(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
                )
            }
        }
        switch configuration.endpoint {
        case .tcp(let host, let port):
            return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        case .unixSocket(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        }
    }

    // MARK: - Login

    /// Logs in within `timeout`. A server that accepted the connection but sent no greeting (not a MySQL server,
    /// or a proxy or firewall holding the connection) is told apart from a slow login.
    private func authenticate(timeout: Duration) async throws {
        var greeted = false
        do {
            try await self.login(greeted: &greeted, timeout: timeout)
        } catch let error as MySQLError where error.code == .timeout && !greeted {
            throw MySQLError(
                code: .timeout,
                reason: "the connection was accepted, but no MySQL greeting came within \(Self.seconds(timeout)) "
                    + "(the handshake took longer than that): is a MySQL server listening there, or does a proxy or "
                    + "firewall accept connections for it?",
                context: "waiting for the server's greeting")
        }
    }

    /// A duration for messages: `10 s`, `3.9 s`.
    static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        let tenths = Int64((Double(fraction) / 1e17).rounded(.down))
        return tenths == 0 ? "\(whole) s" : "\(whole).\(tenths) s"
    }

    private func login(greeted: inout Bool, timeout: Duration) async throws {
        try await self.withDeadline(timeout, context: "handshake") {
            var isUnixSocket = false
            if case .unixSocket = self.configuration.endpoint { isUnixSocket = true }
            var machine = HandshakeStateMachine(
                parameters: .init(
                    username: self.configuration.username,
                    password: self.configuration.password,
                    database: self.configuration.database,
                    tls: self.configuration.tls.decision,
                    isUnixSocket: isUnixSocket,
                    serverPublicKeyPEM: self.configuration.serverPublicKeyPEM,
                    requestServerPublicKey: self.configuration.requestServerPublicKey
                )
            )
            let greeting = try await self.receive().payload
            greeted = true
            var action = machine.greetingReceived(greeting)
            while true {
                switch action {
                case .sendSSLRequestAndStartTLS(let request):
                    var payload = ByteBuffer()
                    request.encode(into: &payload)
                    try await self.startTLS(
                        after: MySQLPacket(sequenceID: self.takeSequenceID(for: payload), payload: payload)
                    )
                    action = machine.tlsEstablished()
                case .sendHandshakeResponse(let response):
                    var payload = ByteBuffer()
                    response.encode(into: &payload)
                    try await self.send(payload)
                    action = machine.authPacketReceived(try await self.receive().payload)
                case .sendAuthData(let data):
                    try await self.send(ByteBuffer(bytes: data))
                    action = machine.authPacketReceived(try await self.receive().payload)
                case .wait:
                    action = machine.authPacketReceived(try await self.receive().payload)
                case .authenticated(let greeting, let capabilities):
                    self.serverVersion = greeting.serverVersion
                    self.connectionID = greeting.connectionID
                    self.capabilities = capabilities
                    self.logger.debug(
                        "logged in",
                        metadata: [
                            "mysql.server": "\(self.configuration.endpoint)",
                            "mysql.version": "\(greeting.serverVersion)",
                            "mysql.connection_id": "\(greeting.connectionID)", "mysql.tls": "\(self.isTLS)",
                        ]
                    )
                    return
                case .fail(let error):
                    throw error
                }
            }
        }
    }

    /// Sets the largest packet the server may send from now on, how a long packet announces its length (a
    /// binlog event's header), and from which length packets are handed on in pieces as they arrive; handshake
    /// packets are small, a binlog event can be up to 1 GiB.
    func setPacketLimit(
        _ limit: Int,
        declaredLength: MySQLPacketDecoder.DeclaredLength? = nil,
        streamingThreshold: Int? = nil
    ) async throws {
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                // Tests run the connection over a plain decoder without the framer: nothing to change there.
                guard let framer = try? channel.pipeline.syncOperations.handler(type: MySQLPacketFramer.self) else {
                    return
                }
                framer.maximumPacketLength = limit
                framer.declaredLength = declaredLength
                framer.streamingThreshold = streamingThreshold
            }.get()
        } catch {
            throw MySQLError.connectionClosed("the connection closed during login", cause: error)
        }
    }

    private func startTLS(after request: MySQLPacket) async throws {
        let sslContext: NIOSSLContext
        do {
            sslContext = try NIOSSLContext(configuration: try self.configuration.tls.makeClientConfiguration())
        } catch let error as MySQLError {
            throw error
        } catch {
            throw MySQLError(code: .tlsFailed, reason: "cannot set up TLS", cause: error)
        }
        var hostname: String?
        if case .tcp(let host, _) = self.configuration.endpoint, !Self.isIPAddress(host) { hostname = host }
        let channel = self.channel
        let recorder = TLSCertificateRecorder(eventLoop: channel.eventLoop)
        do {
            try await channel.eventLoop.submit { [hostname] in
                // The SSLRequest must leave in clear text before the TLS handler sits in front of the socket.
                channel.writeAndFlush(request, promise: nil)
                let handler = try recorder.makeClientHandler(context: sslContext, serverHostname: hostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw MySQLError(code: .tlsFailed, reason: "cannot start TLS", cause: error)
        }
        self.tlsRecorder = recorder
        self.isTLS = true
        self.isTLSHandshakePending = true
    }

    /// The host name TLS checks the certificate against (none for IP addresses and sockets).
    private var tlsHostname: String? {
        if case .tcp(let host, _) = self.configuration.endpoint { return host }
        return nil
    }

    /// A failed TLS handshake as an error that says which check failed.
    private func tlsFailure(_ error: any Error) async -> MySQLError {
        let rejected = await self.tlsRecorder?.rejectedCertificate()
        let roots = self.configuration.tls.caFile.map { path in
            (path: path, certificates: (try? NIOSSLCertificate.fromPEMFile(path)) ?? [])
        }
        return MySQLError.tlsHandshakeFailed(
            error,
            host: self.tlsHostname,
            rejectedCertificate: rejected,
            trustRoots: roots
        )
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    // MARK: - Requests

    /// Runs a request exclusively, with the query timeout, adding the server and `context` to its errors.
    func withRequest<T: Sendable>(context: String, timeout: Duration?, _ body: () async throws -> T) async throws -> T {
        guard !self.isBroken else {
            throw MySQLError.connectionClosed("the connection is closed").adding(
                server: self.configuration.endpoint.description,
                context: context
            )
        }
        guard !self.isBusy else {
            throw MySQLError(
                code: .connectionBusy,
                reason: "another request is running on this connection",
                server: self.configuration.endpoint.description,
                context: context
            )
        }
        self.isBusy = true
        defer { self.isBusy = false }
        do {
            return try await self.withDeadline(timeout, context: context, body)
        } catch let error as MySQLError {
            if error.code != .server { self.isBroken = true }
            throw error.adding(server: self.configuration.endpoint.description, context: context)
        }
    }

    /// Registers as a replica and sends the dump command; afterwards the connection belongs to the binlog stream
    /// until ``nextBinlogEvent()`` (or ``nextBinlogEventChunk()``) returns `nil` or throws.
    ///
    /// - Parameter chunkingThreshold: events at least this long arrive in chunks (``nextBinlogEventChunk()``);
    ///   `nil`: every event whole.
    func startBinlogDump(
        register: ComRegisterReplica,
        dump: ClientCommand,
        chunkingThreshold: Int? = nil
    ) async throws {
        try await self.withRequest(context: "register replica", timeout: self.configuration.queryTimeout) {
            try await self.sendCommand(.registerReplica(register))
            var payload = try await self.receive().payload
            if ERRPacket.starts(payload) {
                throw MySQLError.server(try ERRPacket.decode(from: &payload).serverError)
            }
            _ = try OKPacket.decode(from: &payload)
        }
        guard !self.isBusy else {
            throw MySQLError(code: .connectionBusy, reason: "another request is running on this connection")
        }
        self.isBusy = true
        do {
            try await self.sendCommand(dump)
        } catch let error as MySQLError {
            self.isBusy = false
            self.isBroken = true
            throw error.adding(server: self.configuration.endpoint.description, context: "binlog dump")
        }
        // A binlog event is one packet; its header says how long it is. A header announcing more than the server
        // can write is refused at its first fragment, before gigabytes are buffered.
        try await self.setPacketLimit(
            MySQLPacketDecoder.packetLimit,
            declaredLength: BinlogDumpStateMachine.declaredLength,
            streamingThreshold: chunkingThreshold
        )
        self.binlogDump = BinlogDumpStateMachine()
        self.binlogDumpFailure = nil
    }

    /// Sends a streamed query and reads up to its first row; returns the columns (none for a statement without
    /// rows, which is then complete). Afterwards the connection belongs to the stream until ``nextRowBatch(maximumBytes:)``
    /// returns `nil` or throws.
    func startRowStream(_ sql: String) async throws -> [MySQLColumn] {
        let server = self.configuration.endpoint.description
        guard !self.isBroken else {
            throw MySQLError.connectionClosed("the connection is closed").adding(server: server, context: "query")
        }
        guard !self.isBusy else {
            throw MySQLError(
                code: .connectionBusy,
                reason: "another request is running on this connection",
                server: server,
                context: "query"
            )
        }
        self.isBusy = true
        var machine = RowStreamStateMachine(capabilities: self.capabilities)
        do {
            try await self.sendCommand(.query(sql))
            while true {
                switch try await self.nextAction(of: &machine) {
                case .wait: continue
                case .columns(let columns):
                    self.rowStream = machine
                    return columns
                case .row: throw MySQLError.protocolViolation("a row before the columns")
                case .finished:
                    self.isBusy = false
                    return []
                case .fail(let error): throw error
                }
            }
        } catch let error as MySQLError {
            self.isBusy = false
            if error.code != .server { self.isBroken = true }
            throw error.adding(server: server, context: "query")
        }
    }

    /// The next rows of the running streamed query, `nil` after the last one.
    func nextRowBatch(maximumBytes: Int) async throws -> [MySQLRowView]? {
        guard var machine = self.rowStream else { return nil }
        var rows: [MySQLRowView] = []
        var bytes = 0
        while bytes < maximumBytes {
            switch try await self.nextAction(of: &machine) {
            case .wait, .columns: continue
            case .row(let row):
                rows.append(row)
                bytes += 8 + row.payload.readableBytes
            case .finished:
                self.rowStream = nil
                self.isBusy = false
                return rows.isEmpty ? nil : rows
            case .fail(let error):
                self.rowStream = nil
                self.isBusy = false
                if error.code != .server { self.isBroken = true }
                throw error.adding(server: self.configuration.endpoint.description, context: "query")
            }
        }
        self.rowStream = machine
        return rows
    }

    /// Receives the next packet of a streamed query and feeds it to its state machine; a connection error
    /// becomes the machine's `.fail`, so both callers end the stream in one place.
    private func nextAction(of machine: inout RowStreamStateMachine) async throws -> RowStreamStateMachine.Action {
        do {
            return machine.packetReceived(try await self.receive().payload)
        } catch let error as MySQLError {
            return .fail(error)
        }
    }

    /// Gives up a streamed query whose reader failed: the rest of the result cannot be skipped, so the connection
    /// is closed.
    func abandonRowStream() {
        guard self.rowStream != nil else { return }
        self.rowStream = nil
        self.isBusy = false
        self.isBroken = true
        self.channel.close(promise: nil)
    }

    /// Closes the connection with a ``MySQLError/Code-swift.struct/timeout`` error when no bytes arrive for
    /// `timeout` (a binlog stream whose server or network went silent).
    func closeWhenIdle(for timeout: Duration) async throws {
        let amount = TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let error = MySQLError(code: .timeout, reason: "nothing arrived from the server for \(timeout)")
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                // First in the pipeline, it sees every read (encrypted or not); the closer right behind it turns
                // its idle event into the error that the packet stream then throws.
                try channel.pipeline.syncOperations.addHandler(IdleReadCloser(error: error), position: .first)
                try channel.pipeline.syncOperations.addHandler(
                    IdleStateHandler(readTimeout: amount),
                    position: .first
                )
            }.get()
        } catch {
            throw MySQLError.connectionClosed("cannot watch the connection for silence", cause: error)
        }
    }

    /// The next event of the running binlog dump, `nil` at its end.
    func nextBinlogEvent() async throws -> ByteBuffer? {
        guard let chunk = try await self.nextBinlogEventChunk() else { return nil }
        guard chunk.isWhole else {
            // Only a dump started with a chunking threshold hands on chunks.
            throw MySQLError.protocolViolation("a binlog event arrived in chunks on a stream of whole events")
        }
        return chunk.bytes
    }

    /// The next event, or chunk of a long event, of the running binlog dump; `nil` at its end.
    func nextBinlogEventChunk() async throws -> BinlogEventChunk? {
        guard self.binlogDump != nil else { return try self.takeBinlogDumpEnd() }
        let packet: MySQLPacket
        do {
            packet = try await self.receive()
        } catch let error as MySQLError {
            self.endBinlogDump(failure: error)
            return try self.takeBinlogDumpEnd()
        }
        if let chunk = self.binlogDumpPacket(packet) { return chunk }
        return try self.takeBinlogDumpEnd()
    }

    /// The events, or chunks of long events, that the packets already read hold, in order: one call per read of the
    /// socket, not one per event. Waits for the network only when no packet is left; `nil` at the dump's end. An end
    /// or error met after some chunks is reported by the next call, after those chunks.
    func nextBinlogEventChunks() async throws -> [BinlogEventChunk]? {
        var chunks: [BinlogEventChunk] = []
        if self.binlogDump != nil, self.receivedIndex == self.received.count {
            // Nothing read is left: wait for the network.
            guard let first = try await self.nextBinlogEventChunk() else { return nil }
            chunks.append(first)
        }
        self.collectBufferedBinlogChunks(into: &chunks)
        if !chunks.isEmpty { return chunks }
        return try self.takeBinlogDumpEnd().map { [$0] }
    }

    /// Turns the packets already read into chunks, without waiting, until none is left or the dump ends.
    private func collectBufferedBinlogChunks(into chunks: inout [BinlogEventChunk]) {
        chunks.reserveCapacity(chunks.count + self.received.count - self.receivedIndex)
        while self.binlogDump != nil, self.receivedIndex < self.received.count {
            guard let chunk = self.binlogDumpPacket(self.takeReceivedPacket()) else { return }
            chunks.append(chunk)
        }
    }

    /// One packet of the dump: the chunk it completes, if any (`nil` also when the dump ended with it).
    private func binlogDumpPacket(_ packet: MySQLPacket) -> BinlogEventChunk? {
        guard var machine = self.binlogDump else { return nil }
        switch machine.packetReceived(packet.payload, continues: packet.continues) {
        case .event(let event):
            self.binlogDump = machine
            return BinlogEventChunk(wholeEvent: event)
        case .chunk(let chunk):
            self.binlogDump = machine
            return chunk
        case .end:
            self.endBinlogDump(failure: nil)
            return nil
        case .fail(let error):
            self.endBinlogDump(failure: error)
            return nil
        }
    }

    /// The server ends the session after a dump, as after COM_QUIT, and also after an error.
    private func endBinlogDump(failure: MySQLError?) {
        self.binlogDump = nil
        self.isBusy = false
        self.isBroken = true
        self.binlogDumpFailure = failure.map {
            $0.adding(server: self.configuration.endpoint.description, context: "binlog dump")
        }
    }

    /// After the dump's end: `nil`, or throws the error that ended it (once).
    private func takeBinlogDumpEnd() throws -> BinlogEventChunk? {
        if let failure = self.binlogDumpFailure {
            self.binlogDumpFailure = nil
            throw failure
        }
        return nil
    }

    /// Starts a command: the sequence id restarts at 0.
    func sendCommand(_ command: ClientCommand) async throws {
        var payload = ByteBuffer()
        try command.encode(into: &payload)
        try await self.sendCommand(payload: payload)
    }

    /// Starts a command whose payload (command byte and arguments) is ready.
    func sendCommand(payload: ByteBuffer) async throws {
        self.nextSequenceID = 0
        try await self.send(payload)
    }

    func send(_ payload: ByteBuffer) async throws {
        let packet = MySQLPacket(sequenceID: self.takeSequenceID(for: payload), payload: payload)
        do {
            try await self.outbound.write(packet)
        } catch {
            if self.isTLSHandshakePending {
                // The write only saw the channel close; the handshake's own error waits in the inbound stream.
                do {
                    _ = try await self.receive()
                } catch let failure as MySQLError where failure.code == .tlsFailed && failure.cause != nil {
                    throw failure
                } catch {}
                throw await self.tlsFailure(error)
            }
            throw MySQLError.connectionClosed("cannot send to the server", cause: error)
        }
    }

    /// The next packet from the server; ends of stream and socket errors become ``MySQLError``.
    func receive() async throws -> MySQLPacket {
        if self.receivedIndex == self.received.count {
            self.received = try await self.receiveBatch()
            self.receivedIndex = 0
        }
        return self.takeReceivedPacket()
    }

    /// The next packet of those already read (there must be one).
    private func takeReceivedPacket() -> MySQLPacket {
        let packet = self.received[self.receivedIndex]
        self.receivedIndex += 1
        self.isTLSHandshakePending = false
        self.nextSequenceID = packet.sequenceID &+ 1
        return packet
    }

    /// The next batch of packets (never empty).
    private func receiveBatch() async throws -> [MySQLPacket] {
        var iterator = self.inbound
        defer { self.inbound = iterator }
        let batch: [MySQLPacket]?
        do {
            batch = try await iterator.next(isolation: self)
        } catch let error as MySQLError {
            throw error
        } catch {
            if self.isTLSHandshakePending || error is NIOSSLError || error is BoringSSLError
                || error is NIOSSLExtraError
            {
                throw await self.tlsFailure(error)
            }
            throw MySQLError.connectionClosed("the connection failed", cause: error)
        }
        guard let batch, !batch.isEmpty else {
            if self.isTLSHandshakePending {
                throw MySQLError(code: .tlsFailed, reason: "the server closed the connection during the TLS handshake")
            }
            throw MySQLError.connectionClosed()
        }
        return batch
    }

    /// The sequence id for a payload about to be sent, advancing past all of its fragments.
    private func takeSequenceID(for payload: ByteBuffer) -> UInt8 {
        let id = self.nextSequenceID
        let fragments = payload.readableBytes / MySQLPacket.maximumFragmentLength + 1
        self.nextSequenceID &+= UInt8(truncatingIfNeeded: fragments)
        return id
    }

    /// Runs `body`; if `timeout` passes first, the channel gets a timeout error and is closed, and whatever `body`
    /// throws then (a closed-channel error from a write, or the timeout itself) is reported as the timeout.
    private func withDeadline<T>(_ timeout: Duration?, context: String, _ body: () async throws -> T) async throws -> T
    {
        guard let timeout else { return try await body() }
        let channel = self.channel
        let error = MySQLError(code: .timeout, reason: "\(context) took longer than \(timeout)")
        let task = channel.eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(timeout))) {
            channel.pipeline.fireErrorCaught(error)
            channel.close(promise: nil)
        }
        defer { task.cancel() }
        let start = ContinuousClock.now
        do {
            let result = try await body()
            // The answer was in, but this task ran too late (a starved machine): the deadline closed the channel
            // first. Say so now, not later as an unexplained closed connection.
            if ContinuousClock.now - start >= timeout, !channel.isActive { throw error }
            return result
        } catch let thrown as MySQLError where thrown.code == .connectionClosed || thrown.code == .tlsFailed {
            if ContinuousClock.now - start >= timeout { throw error }
            throw thrown
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product &+ attoseconds / 1_000_000_000
    }

    // MARK: - Simple commands

    /// Sends `COM_PING` and waits for the server's OK.
    ///
    /// - Throws: ``MySQLError`` when the server is gone or answers with an error.
    public func ping() async throws {
        try await self.withRequest(context: "ping", timeout: self.configuration.queryTimeout) {
            try await self.sendCommand(.ping)
            var payload = try await self.receive().payload
            if ERRPacket.starts(payload) {
                throw MySQLError.server(try ERRPacket.decode(from: &payload).serverError)
            }
            _ = try OKPacket.decode(from: &payload)
        }
    }

    /// Sends `COM_QUIT`; the connection is unusable afterwards. ``withConnection(configuration:eventLoopGroup:logger:_:)``
    /// calls this for you.
    public func close() async {
        await self.quit()
    }

    private func quit() async {
        guard !self.isBroken else { return }
        self.isBroken = true
        // The server closes without answering; a failure here changes nothing.
        var payload = ByteBuffer()
        try? ClientCommand.quit.encode(into: &payload)
        try? await self.outbound.write(MySQLPacket(sequenceID: 0, payload: payload))
        self.logger.trace("sent COM_QUIT", metadata: ["mysql.connection_id": "\(self.connectionID)"])
    }
}
