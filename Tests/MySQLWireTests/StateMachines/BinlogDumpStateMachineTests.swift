import BinlogFormat
import NIOCore
import Testing

@testable import MySQLWire

@Suite struct BinlogDumpStateMachineTests {
    @Test func eventsThenEOF() {
        var machine = BinlogDumpStateMachine()
        var packet = ByteBuffer(bytes: [0x00])
        let event = ByteBuffer(repeating: 7, count: 23)
        packet.writeImmutableBuffer(event)
        #expect(machine.packetReceived(packet) == .event(event))
        var eof = ByteBuffer()
        EOFPacket().encode(into: &eof)
        #expect(machine.packetReceived(eof) == .end)
        guard case .fail = machine.packetReceived(packet) else {
            Issue.record("a packet after the end must fail")
            return
        }
    }

    @Test func serverErrorAndShortEvent() {
        var machine = BinlogDumpStateMachine()
        var err = ByteBuffer()
        ERRPacket(errorCode: 1236, sqlState: "HY000", message: "Could not find first log file name").encode(into: &err)
        guard case .fail(let error) = machine.packetReceived(err) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.serverError?.code == 1236)
        var short = BinlogDumpStateMachine()
        guard case .fail(let shortError) = short.packetReceived(ByteBuffer(bytes: [0x00, 1, 2, 3])) else {
            Issue.record("expected failure")
            return
        }
        #expect(shortError.code == .protocolViolation)
    }

    @Test func dumpAndRegisterLayouts() throws {
        var buffer = ByteBuffer()
        try ClientCommand.binlogDump(ComBinlogDump(position: 4, flags: 1, serverID: 99, fileName: "mysql-bin.000001"))
            .encode(into: &buffer)
        #expect(
            Array(buffer.readableBytesView) == [0x12, 4, 0, 0, 0, 1, 0, 99, 0, 0, 0] + Array("mysql-bin.000001".utf8)
        )
        buffer.clear()
        try ClientCommand.registerReplica(ComRegisterReplica(serverID: 99)).encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x15, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func dumpGTIDLayoutCarriesTheSIDBlock() throws {
        var set = GTIDSet()
        let uuid = try #require(UUID16("3e11fa47-71ca-11e1-9e33-c80aa9429562"))
        set.insert(GTIDSet.SourceKey(uuid: uuid, tag: nil), 1..<6)
        set.insert(GTIDSet.SourceKey(uuid: uuid, tag: nil), 8..<9)
        var buffer = ByteBuffer()
        try ClientCommand.binlogDumpGTID(ComBinlogDumpGTID(flags: 1, serverID: 7, gtidSet: set)).encode(into: &buffer)
        #expect(buffer.readInteger(as: UInt8.self) == 0x1E)
        #expect(buffer.readInteger(endianness: .little, as: UInt16.self) == 0x0005)
        #expect(buffer.readInteger(endianness: .little, as: UInt32.self) == 7)
        #expect(buffer.readInteger(endianness: .little, as: UInt32.self) == 0)  // no file name
        #expect(buffer.readInteger(endianness: .little, as: UInt64.self) == 4)
        let dataSize = buffer.readInteger(endianness: .little, as: UInt32.self)
        #expect(dataSize == UInt32(8 + 16 + 8 + 2 * 16))
        #expect(buffer.readInteger(endianness: .little, as: UInt64.self) == 1)
        #expect(buffer.readBytes(length: 16) == uuid.bytes)
        #expect(buffer.readInteger(endianness: .little, as: UInt64.self) == 2)
        var bounds: [UInt64] = []
        while let value = buffer.readInteger(endianness: .little, as: UInt64.self) { bounds.append(value) }
        #expect(bounds == [1, 6, 8, 9])
    }

    @Test func taggedGTIDsAreUnsupported() throws {
        var set = GTIDSet()
        let uuid = try #require(UUID16("3e11fa47-71ca-11e1-9e33-c80aa9429562"))
        set.insert(GTIDSet.SourceKey(uuid: uuid, tag: "blue"), 1..<2)
        var buffer = ByteBuffer()
        let error = #expect(throws: MySQLError.self) {
            try ComBinlogDumpGTID(flags: 0, serverID: 7, gtidSet: set).encode(into: &buffer)
        }
        #expect(error?.code == .unsupported)
    }
}
