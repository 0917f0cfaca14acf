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
        #expect(first[1].string == "a")
        #expect(second[1].isNull)
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
