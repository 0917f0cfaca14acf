import BinlogFormat
import NIOCore
import Testing

@testable import MySQLWire

@Suite struct RowStreamStateMachineTests {
    private func actions(_ packets: [ByteBuffer], capabilities: CapabilityFlags) -> [RowStreamStateMachine.Action] {
        var machine = RowStreamStateMachine(capabilities: capabilities)
        return packets.map { machine.packetReceived($0) }.filter { $0 != .wait }
    }

    @Test(arguments: [true, false]) func handsOnColumnsThenEachRowThenTheEnd(deprecateEOF: Bool) throws {
        let actions = self.actions(
            QueryStateMachineTests.resultSet(deprecateEOF: deprecateEOF, more: false),
            capabilities: deprecateEOF ? [.deprecateEOF] : []
        )
        try #require(actions.count == 4)
        guard case .columns(let columns) = actions[0], case .row(let first) = actions[1],
            case .row(let second) = actions[2], case .finished = actions[3]
        else {
            Issue.record("unexpected actions \(actions)")
            return
        }
        #expect(columns.map(\.name) == ["id", "name"])
        #expect(try first.row(columns: columns)[1].string == "a")
        #expect(try second.row(columns: columns)[1].isNull)
        var values: [[UInt8]?] = []
        try first.forEachValue { _, bytes in values.append(bytes.map { Array($0) }) }
        #expect(values == [Array("1".utf8), Array("a".utf8)])
    }

    /// Rows of the two-column result whose values do not fill their packet exactly, and what the error says.
    static let brokenRows: [([UInt8], String)] = [
        ([0x01, 0x31, 0x05, 0x61, 0x62], "value length 5 exceeds the 2 bytes left"),
        ([0x01, 0x31, 0x01, 0x61, 0x00], "1 bytes left after 2 values"),
        ([0x01, 0x31], "value 2: the row ends early"),
        ([0x01, 0x31, 0xFC, 0x01], "value 2: the length is cut off"),
        ([0x01, 0x31, 0xFF], "value 2: 0xFF is not a length prefix"),
    ]

    @Test(arguments: Self.brokenRows) func aRowWhoseValuesDoNotFillItsPacketFails(row: [UInt8], reason: String) {
        var packets = Array(QueryStateMachineTests.resultSet(deprecateEOF: true, more: false).prefix(3))
        packets.append(QueryStateMachineTests.packet { $0.writeBytes(row) })
        guard case .fail(let error) = self.actions(packets, capabilities: [.deprecateEOF]).last else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .protocolViolation)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test func aStatementWithoutRowsFinishesAtOnce() {
        let ok = QueryStateMachineTests.packet { OKPacket(affectedRows: 3).encode(into: &$0) }
        #expect(self.actions([ok], capabilities: []) == [.finished(affectedRows: 3, warnings: 0)])
    }

    @Test func aServerErrorMidResultFails() {
        var packets = Array(QueryStateMachineTests.resultSet(deprecateEOF: true, more: false).dropLast())
        packets.append(
            QueryStateMachineTests.packet {
                ERRPacket(errorCode: 1317, sqlState: "70100", message: "Query execution was interrupted").encode(
                    into: &$0)
            }
        )
        guard case .fail(let error) = self.actions(packets, capabilities: [.deprecateEOF]).last else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.serverError?.code == 1317)
    }

    @Test func aMultiStatementIsRefused() {
        let packets = QueryStateMachineTests.resultSet(deprecateEOF: true, more: true)
        guard case .fail(let error) = self.actions(packets, capabilities: [.deprecateEOF]).last else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .unsupported)
    }
}
