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

    @Test func dumpAndRegisterLayouts() {
        var buffer = ByteBuffer()
        ClientCommand.binlogDump(ComBinlogDump(position: 4, flags: 1, serverID: 99, fileName: "mysql-bin.000001"))
            .encode(into: &buffer)
        #expect(
            Array(buffer.readableBytesView) == [0x12, 4, 0, 0, 0, 1, 0, 99, 0, 0, 0] + Array("mysql-bin.000001".utf8)
        )
        buffer.clear()
        ClientCommand.registerReplica(ComRegisterReplica(serverID: 99)).encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x15, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }
}
