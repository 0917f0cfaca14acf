import BinlogFormat
import NIOCore
import Testing

@testable import MySQLWire

@Suite struct MessageTests {
    static let nonce: [UInt8] = Array(1...20)

    @Test func handshakeV10RoundTripsWithMariaDBCapabilities() throws {
        let greeting = HandshakeV10(
            serverVersion: "5.5.5-10.11.6-MariaDB-log",
            connectionID: 42,
            nonce: Self.nonce,
            capabilities: CapabilityFlags(rawValue: 0x0000_0007_F7FE_F7FE),
            authPluginName: "mysql_native_password"
        )
        var buffer = ByteBuffer()
        greeting.encode(into: &buffer)
        #expect(try HandshakeV10.decode(from: &buffer) == greeting)
        #expect(greeting.isMariaDB)
    }

    @Test func handshakeV10FromMySQL8Bytes() throws {
        // A MySQL 8.0 greeting: version 8.0.36, id 9, caching_sha2_password.
        var buffer = ByteBuffer(bytes: [0x0A] + Array("8.0.36".utf8) + [0, 9, 0, 0, 0] + Self.nonce.prefix(8) + [0])
        buffer.writeBytes([0xFF, 0xFF, 0xFF, 0x02, 0x00, 0xFF, 0xDF, 21] + [UInt8](repeating: 0, count: 10))
        buffer.writeBytes(Self.nonce.dropFirst(8) + [0])
        buffer.writeBytes(Array("caching_sha2_password".utf8) + [0])
        let greeting = try HandshakeV10.decode(from: &buffer)
        #expect(greeting.serverVersion == "8.0.36")
        #expect(greeting.connectionID == 9)
        #expect(greeting.nonce == Self.nonce)
        #expect(greeting.authPluginName == "caching_sha2_password")
        #expect(greeting.capabilities.contains(.deprecateEOF))
        #expect(greeting.capabilities.rawValue >> 32 == 0)  // CLIENT_LONG_PASSWORD set: no MariaDB extensions
    }

    @Test(arguments: 0..<20) func truncatedGreetingThrowsProtocolViolation(length: Int) {
        var full = ByteBuffer()
        HandshakeV10(serverVersion: "8.0.36", connectionID: 1, nonce: Self.nonce, capabilities: .clientDefault)
            .encode(into: &full)
        var buffer = full.getSlice(at: 0, length: length)!
        let error = #expect(throws: MySQLError.self) { try HandshakeV10.decode(from: &buffer) }
        #expect(error?.code == .protocolViolation || error?.code == .unsupported)
    }

    @Test func handshakeResponseLayout() throws {
        let response = HandshakeResponse41(
            capabilities: [.protocol41, .secureConnection, .pluginAuth, .pluginAuthLengthEncodedClientData],
            maxPacketSize: 0x0100_0000,
            characterSet: 45,
            username: "rewind",
            authResponse: [1, 2, 3],
            database: nil,
            authPluginName: "mysql_native_password"
        )
        var buffer = ByteBuffer()
        response.encode(into: &buffer)
        #expect(try buffer.readLittleEndian(UInt32.self, field: "caps") == 0x0028_8200)
        #expect(try buffer.readLittleEndian(UInt32.self, field: "max") == 0x0100_0000)
        #expect(try buffer.readLittleEndian(UInt8.self, field: "charset") == 45)
        buffer.moveReaderIndex(forwardBy: 23)
        #expect(try buffer.readNullTerminatedUTF8(field: "user") == "rewind")
        #expect(try buffer.readLengthEncodedBytes(field: "auth") == [1, 2, 3])
        #expect(try buffer.readNullTerminatedUTF8(field: "plugin") == "mysql_native_password")
        #expect(buffer.readableBytes == 0)
    }

    @Test func okErrAndEOFPackets() throws {
        var ok = ByteBuffer()
        OKPacket(affectedRows: 300, lastInsertID: 70_000, statusFlags: [.autocommit, .moreResultsExist], warnings: 2)
            .encode(into: &ok)
        let decoded = try OKPacket.decode(from: &ok)
        #expect(decoded.affectedRows == 300 && decoded.lastInsertID == 70_000 && decoded.warnings == 2)
        #expect(decoded.statusFlags.contains(.moreResultsExist))

        var err = ByteBuffer()
        ERRPacket(errorCode: 1146, sqlState: "42S02", message: "Table 't.x' doesn't exist").encode(into: &err)
        #expect(
            try ERRPacket.decode(from: &err).serverError
                == .init(code: 1146, sqlState: "42S02", message: "Table 't.x' doesn't exist")
        )

        var early = ByteBuffer(bytes: [0xFF, 0x10, 0x04] + Array("Too many connections".utf8))
        let tooMany = try ERRPacket.decode(from: &early)
        #expect(tooMany.errorCode == 1040 && tooMany.sqlState == "HY000" && tooMany.message == "Too many connections")

        var eof = ByteBuffer()
        EOFPacket(warnings: 1, statusFlags: .moreResultsExist).encode(into: &eof)
        #expect(EOFPacket.matches(eof))
        #expect(try EOFPacket.decode(from: &eof) == EOFPacket(warnings: 1, statusFlags: .moreResultsExist))
    }

    @Test func authSwitchAndMoreData() throws {
        var buffer = ByteBuffer()
        AuthSwitchRequest(pluginName: "mysql_native_password", pluginData: Self.nonce).encode(into: &buffer)
        #expect(
            try AuthSwitchRequest.decode(from: &buffer)
                == AuthSwitchRequest(pluginName: "mysql_native_password", pluginData: Self.nonce)
        )
        var more = ByteBuffer(bytes: [0x01, 0x04])
        #expect(try AuthMoreData.decode(from: &more).data == [0x04])
        var wrong = ByteBuffer(bytes: [0x02, 0x04])
        #expect(throws: MySQLError.self) { try AuthMoreData.decode(from: &wrong) }
    }

    @Test func columnDefinitionAndTextRow() throws {
        let definition = ColumnDefinition41(
            schema: "db",
            table: "t",
            name: "amount",
            characterSet: 63,
            columnLength: 14,
            type: .newdecimal,
            flags: 0x0020,
            decimals: 4
        )
        var buffer = ByteBuffer()
        definition.encode(into: &buffer)
        #expect(try ColumnDefinition41.decode(from: &buffer) == definition)

        var row = ByteBuffer()
        TextResultRow(values: [ByteBuffer(string: "12.5000"), nil, ByteBuffer()]).encode(into: &row)
        let decoded = try TextResultRow.decode(from: &row, columnCount: 3)
        #expect(decoded.values == [ByteBuffer(string: "12.5000"), nil, ByteBuffer()])

        var short = ByteBuffer(bytes: [0x05, 0x61])
        let error = #expect(throws: MySQLError.self) { try TextResultRow.decode(from: &short, columnCount: 1) }
        #expect(error?.reason.contains("text result row") == true)
    }

    @Test func commands() throws {
        var buffer = ByteBuffer()
        try ClientCommand.query("SELECT 1").encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x03] + Array("SELECT 1".utf8))
        buffer.clear()
        try ClientCommand.ping.encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x0E])
        buffer.clear()
        try ClientCommand.quit.encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x01])
    }
}
