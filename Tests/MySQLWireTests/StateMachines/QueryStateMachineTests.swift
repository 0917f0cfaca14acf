import BinlogFormat
import NIOCore
import Testing

@testable import MySQLWire

@Suite struct QueryStateMachineTests {
    static func packet(_ write: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(&buffer)
        return buffer
    }

    static func resultSet(deprecateEOF: Bool, more: Bool) -> [ByteBuffer] {
        let status: ServerStatusFlags = more ? [.autocommit, .moreResultsExist] : .autocommit
        var packets = [Self.packet { $0.writeLengthEncodedInteger(2) }]
        packets.append(Self.packet { ColumnDefinition41(name: "id", type: .longlong, flags: 0x20).encode(into: &$0) })
        packets.append(
            Self.packet { ColumnDefinition41(name: "name", characterSet: 45, type: .varString).encode(into: &$0) }
        )
        if !deprecateEOF { packets.append(Self.packet { EOFPacket().encode(into: &$0) }) }
        packets.append(
            Self.packet { TextResultRow(values: [ByteBuffer(string: "1"), ByteBuffer(string: "a")]).encode(into: &$0) }
        )
        packets.append(Self.packet { TextResultRow(values: [ByteBuffer(string: "2"), nil]).encode(into: &$0) })
        if deprecateEOF {
            packets.append(Self.packet { OKPacket(statusFlags: status).encode(into: &$0, header: 0xFE) })
        } else {
            packets.append(Self.packet { EOFPacket(statusFlags: status).encode(into: &$0) })
        }
        return packets
    }

    static func run(_ packets: [ByteBuffer], capabilities: CapabilityFlags) -> QueryStateMachine.Action {
        var machine = QueryStateMachine(capabilities: capabilities)
        var last = QueryStateMachine.Action.wait
        for packet in packets { last = machine.packetReceived(packet) }
        return last
    }

    @Test(arguments: [true, false]) func readsAResultSet(deprecateEOF: Bool) throws {
        let action = Self.run(
            Self.resultSet(deprecateEOF: deprecateEOF, more: false),
            capabilities: deprecateEOF ? [.deprecateEOF] : []
        )
        guard case .finished(let results) = action else {
            Issue.record("expected a result, got \(action)")
            return
        }
        try #require(results.count == 1)
        #expect(results[0].columns.map(\.name) == ["id", "name"])
        #expect(results[0].rows.count == 2)
        #expect(try results[0].rows[1][0].value() == .unsigned(2))
        #expect(results[0].rows[1]["name"]?.isNull == true)
    }

    @Test func multiStatementResultsFollowEachOther() {
        let packets =
            [Self.packet { OKPacket(affectedRows: 3, statusFlags: [.moreResultsExist]).encode(into: &$0) }]
            + Self.resultSet(deprecateEOF: true, more: true)
            + [Self.packet { OKPacket(affectedRows: 1).encode(into: &$0) }]
        guard case .finished(let results) = Self.run(packets, capabilities: [.deprecateEOF]) else {
            Issue.record("expected results")
            return
        }
        #expect(results.map(\.affectedRows) == [3, 0, 1])
        #expect(results.map(\.rows.count) == [0, 2, 0])
    }

    @Test func errorAfterAResultFailsWithTheServerError() {
        let packets =
            Self.resultSet(deprecateEOF: true, more: true)
            + [Self.packet { ERRPacket(errorCode: 1064, sqlState: "42000", message: "syntax").encode(into: &$0) }]
        guard case .fail(let error) = Self.run(packets, capabilities: [.deprecateEOF]) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.serverError == .init(code: 1064, sqlState: "42000", message: "syntax"))
    }

    @Test func rowWithTooFewValuesIsAProtocolViolation() {
        var packets = Array(Self.resultSet(deprecateEOF: true, more: false).prefix(3))
        packets.append(Self.packet { TextResultRow(values: [ByteBuffer(string: "1")]).encode(into: &$0) })
        guard case .fail(let error) = Self.run(packets, capabilities: [.deprecateEOF]) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .protocolViolation)
    }
}
