import BinlogFormat
import Logging
import NIOCore
import NIOEmbedded
import Testing
import _CryptoExtras

@testable import MySQLWire

/// The connection actor against a scripted server (see ``FakeServer``).
@Suite struct MySQLConnectionTests {
    static let nonce: [UInt8] = Array(1...20)
    static let logger = Logger(label: "rewind.tests.fake-server")

    @Test func aRefusedConnectionSaysSoAndNamesTheServer() async throws {
        // Port 1 on loopback: nothing listens there.
        let configuration = MySQLConnection.Configuration(
            endpoint: .tcp(host: "127.0.0.1", port: 1),
            username: "nobody",
            password: "unused",
            tls: .init(mode: .disabled)
        )
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.withConnection(configuration: configuration, logger: Self.logger) { _ in }
        }
        #expect(error?.code == .connectionFailed)
        #expect(
            error?.description.hasPrefix("127.0.0.1:1: cannot connect: Connection refused") == true,
            "\(String(describing: error))")
    }

    /// A peer that accepts the connection and never greets (not a MySQL server, or a proxy holding the
    /// connection) is not reported as a slow login.
    @Test func noGreetingWithinTheConnectTimeoutSaysSoRatherThanLoginTimeout() async throws {
        let (server, channel) = try await FakeServer.make()
        async let outcome: MySQLError? = {
            do {
                try await MySQLConnection.withConnection(
                    on: channel, configuration: Self.configuration(), logger: Self.logger
                ) { _ in }
                return nil
            } catch let error as MySQLError {
                return error
            }
        }()
        try await Task.sleep(for: .milliseconds(50))
        await server.channel.testingEventLoop.advanceTime(by: .seconds(11))
        let error = try #require(await outcome)
        #expect(error.code == .timeout)
        #expect(error.context == "waiting for the server's greeting")
        #expect(error.description.contains("no MySQL greeting came within 10 s"), "\(error)")
        #expect(!error.description.contains("login as"))
    }

    /// After the greeting, a silent server is a login that took too long.
    @Test func silenceAfterTheGreetingIsALoginTimeout() async throws {
        var (server, channel) = try await FakeServer.make()
        async let outcome: MySQLError? = {
            do {
                try await MySQLConnection.withConnection(
                    on: channel, configuration: Self.configuration(), logger: Self.logger
                ) { _ in }
                return nil
            } catch let error as MySQLError {
                return error
            }
        }()
        try await server.send(sequenceID: 0, Self.greeting)
        _ = try await server.receive()
        await server.channel.testingEventLoop.advanceTime(by: .seconds(11))
        let error = try #require(await outcome)
        #expect(error.code == .timeout)
        #expect(error.context == "login as rewind")
    }

    static func configuration(queryTimeout: Duration? = nil) -> MySQLConnection.Configuration {
        MySQLConnection.Configuration(
            endpoint: .tcp(host: "fake", port: 3306),
            username: "rewind",
            password: "pässword",
            tls: .init(mode: .disabled),
            queryTimeout: queryTimeout,
            requestServerPublicKey: true
        )
    }

    static func greeting(_ buffer: inout ByteBuffer) {
        HandshakeV10(
            serverVersion: "8.0.36",
            connectionID: 11,
            nonce: Self.nonce,
            capabilities: CapabilityFlags(rawValue: 0xFFFF_F7FF),  // everything but CLIENT_SSL
            authPluginName: "caching_sha2_password"
        ).encode(into: &buffer)
    }

    /// caching_sha2_password full authentication without TLS: the client asks for the server's RSA key and sends the
    /// password encrypted with it; then a query runs and the client says goodbye.
    @Test func cachingSHA2FullAuthenticationWithTheServersKeyThenQuery() async throws {
        var (server, channel) = try await FakeServer.make()
        let serverKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        async let value = MySQLConnection.withConnection(
            on: channel,
            configuration: Self.configuration(),
            logger: Self.logger
        ) { connection in
            try await connection.rows("SELECT 1").first?[0].int64
        }

        try await server.send(sequenceID: 0, Self.greeting)
        let response = try await server.receive()
        #expect(response.sequenceID == 1)
        let capabilities = try #require(
            response.payload.getInteger(at: response.payload.readerIndex, endianness: .little, as: UInt32.self)
        )
        #expect(capabilities & UInt32(CapabilityFlags.ssl.rawValue) == 0)
        #expect(
            Array(response.payload.readableBytesView).contains(
                subsequence: CachingSHA2Password.scramble(password: "pässword", nonce: Self.nonce)
            )
        )

        try await server.send(sequenceID: 2) { AuthMoreData(data: [0x04]).encode(into: &$0) }
        let keyRequest = try await server.receive()
        #expect(keyRequest.sequenceID == 3)
        #expect(Array(keyRequest.payload.readableBytesView) == [0x02])

        try await server.send(sequenceID: 4) {
            AuthMoreData(data: Array(serverKey.publicKey.pemRepresentation.utf8)).encode(into: &$0)
        }
        let encrypted = try await server.receive()
        #expect(encrypted.sequenceID == 5)
        let plain = try serverKey.decrypt(Array(encrypted.payload.readableBytesView), padding: .PKCS1_OAEP)
        #expect(Array(plain) == CachingSHA2Password.obfuscate(password: "pässword", nonce: Self.nonce))
        try await server.send(sequenceID: 6) { OKPacket().encode(into: &$0) }

        let query = try await server.receive()
        #expect(query.sequenceID == 0)
        #expect(Array(query.payload.readableBytesView) == [0x03] + Array("SELECT 1".utf8))
        try await server.send(sequenceID: 1) { $0.writeLengthEncodedInteger(1) }
        try await server.send(sequenceID: 2) { ColumnDefinition41(name: "1", type: .longlong).encode(into: &$0) }
        try await server.send(sequenceID: 3) { TextResultRow(values: [ByteBuffer(string: "1")]).encode(into: &$0) }
        try await server.send(sequenceID: 4) { OKPacket().encode(into: &$0, header: 0xFE) }

        #expect(try await value == 1)
        let quit = try await server.receive()
        #expect(Array(quit.payload.readableBytesView) == [0x01])
    }

    @Test func serverClosingMidQueryIsConnectionClosed() async throws {
        var (server, channel) = try await FakeServer.make()
        async let outcome: MySQLError? = {
            do {
                try await MySQLConnection.withConnection(
                    on: channel,
                    configuration: Self.configuration(),
                    logger: Self.logger
                ) {
                    _ = try await $0.query("SELECT SLEEP(10)")
                }
                return nil
            } catch let error as MySQLError {
                return error
            }
        }()
        try await server.send(sequenceID: 0, Self.greeting)
        _ = try await server.receive()
        try await server.send(sequenceID: 2) { AuthMoreData(data: [0x03]).encode(into: &$0) }
        try await server.send(sequenceID: 3) { OKPacket().encode(into: &$0) }
        _ = try await server.receive()  // COM_QUERY
        try await server.channel.close()
        let error = try #require(await outcome)
        #expect(error.code == .connectionClosed)
        #expect(error.context == "query")
        #expect(error.server == "fake:3306")
    }

    @Test func queryTimeoutFiresOnTheChannelsClock() async throws {
        var (server, channel) = try await FakeServer.make()
        async let outcome: MySQLError? = {
            do {
                try await MySQLConnection.withConnection(
                    on: channel,
                    configuration: Self.configuration(queryTimeout: .seconds(5)),
                    logger: Self.logger
                ) { _ = try await $0.query("SELECT SLEEP(10)") }
                return nil
            } catch let error as MySQLError {
                return error
            }
        }()
        try await server.send(sequenceID: 0, Self.greeting)
        _ = try await server.receive()
        try await server.send(sequenceID: 2) { AuthMoreData(data: [0x03]).encode(into: &$0) }
        try await server.send(sequenceID: 3) { OKPacket().encode(into: &$0) }
        _ = try await server.receive()  // COM_QUERY
        await server.channel.testingEventLoop.advanceTime(by: .seconds(6))
        let error = try #require(await outcome)
        #expect(error.code == .timeout)
    }
}

extension Array where Element: Equatable {
    fileprivate func contains(subsequence: [Element]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= self.count else { return subsequence.isEmpty }
        return (0...(self.count - subsequence.count)).contains {
            Array(self[$0..<($0 + subsequence.count)]) == subsequence
        }
    }
}

/// A statement built in its packet goes out as that payload, and a streamed result that arrives in one read is
/// handed on as one batch whose rows are read in place.
@Suite struct MySQLStatementAndRowBatchTests {
    @Test func aStatementBufferIsSentAsItsPayloadAndRowsStreamInPlace() async throws {
        var (server, channel) = try await FakeServer.make()
        async let outcome = MySQLConnection.withConnection(
            on: channel,
            configuration: MySQLConnectionTests.configuration(),
            logger: MySQLConnectionTests.logger
        ) { connection in
            var statement = MySQLStatementBuffer(capacity: 4)
            statement.append(contentsOf: Array("INSERT INTO t VALUES (1);;".utf8))
            statement.removeLast(2)
            _ = try await connection.query(statement)
            return try await connection.withRowStream("SELECT a, b FROM t") { stream in
                var batches = 0
                var values: [[UInt8]?] = []
                while let batch = try await stream.next() {
                    batches += 1
                    for row in batch { try row.forEachValue { _, bytes in values.append(bytes.map { Array($0) }) } }
                }
                return (batches, values)
            }
        }
        try await server.send(sequenceID: 0, MySQLConnectionTests.greeting)
        _ = try await server.receive()
        try await server.send(sequenceID: 2) { AuthMoreData(data: [0x03]).encode(into: &$0) }
        try await server.send(sequenceID: 3) { OKPacket().encode(into: &$0) }
        let insert = try await server.receive()
        #expect(Array(insert.payload.readableBytesView) == [0x03] + Array("INSERT INTO t VALUES (1)".utf8))
        try await server.send(sequenceID: 1) { OKPacket(affectedRows: 1).encode(into: &$0) }
        _ = try await server.receive()  // the SELECT
        var result: [(UInt8, (inout ByteBuffer) -> Void)] = [
            (1, { $0.writeLengthEncodedInteger(2) }),
            (2, { ColumnDefinition41(name: "a", type: .longlong).encode(into: &$0) }),
            (3, { ColumnDefinition41(name: "b", type: .varString).encode(into: &$0) }),
        ]
        for (index, row) in [["1", "x"], ["2", nil], ["3", ""]].enumerated() {
            result.append(
                (
                    UInt8(4 + index),
                    { TextResultRow(values: row.map { $0.map { ByteBuffer(string: $0) } }).encode(into: &$0) }
                )
            )
        }
        result.append((7, { OKPacket().encode(into: &$0, header: 0xFE) }))
        try await server.send(result)  // one read
        let (batches, values) = try await outcome
        #expect(batches == 1)
        #expect(values == [Array("1".utf8), Array("x".utf8), Array("2".utf8), nil, Array("3".utf8), []])
        _ = try await server.receive()  // COM_QUIT
    }
}
