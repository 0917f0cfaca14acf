import NIOCore

/// Reads the answer to one `COM_QUERY` row by row: the columns once, then each row as it arrives, then the end.
///
/// Unlike ``QueryStateMachine`` it keeps no rows: the connection hands each one on, so a result set of any size
/// uses the memory of one batch. One statement only; a multi-statement answer fails with
/// ``MySQLError/Code-swift.struct/unsupported``. Pure: it gets packets and says what they are.
struct RowStreamStateMachine {
    enum Action: Equatable {
        /// Wait for the next packet.
        case wait
        /// The column definitions are complete; rows follow.
        case columns([MySQLColumn])
        /// One row, its values as the server sent them (checked, not copied).
        case row(MySQLRowView)
        /// The answer is complete: after the last row, or an OK packet for a statement without rows.
        case finished(affectedRows: UInt64, warnings: UInt16)
        /// The server reported an error or sent garbage.
        case fail(MySQLError)
    }

    private enum State {
        case waitingForResult
        case readingColumns(remaining: Int, columns: [MySQLColumn])
        case waitingForColumnsEOF(columns: [MySQLColumn])
        case readingRows(columns: [MySQLColumn])
        case finished
        case failed
    }

    private var state: State = .waitingForResult
    private let deprecateEOF: Bool

    init(capabilities: CapabilityFlags) {
        self.deprecateEOF = capabilities.contains(.deprecateEOF)
    }

    /// Whether the answer is complete (finished or failed).
    var isDone: Bool {
        switch self.state {
        case .finished, .failed: return true
        default: return false
        }
    }

    mutating func packetReceived(_ payload: ByteBuffer) -> Action {
        do {
            return try self.process(payload)
        } catch {
            self.state = .failed
            return .fail(error as? MySQLError ?? .protocolViolation("query result", cause: error))
        }
    }

    private mutating func process(_ payload: ByteBuffer) throws -> Action {
        var payload = payload
        let header = payload.getInteger(at: payload.readerIndex, as: UInt8.self)
        if ERRPacket.starts(payload) {
            self.state = .failed
            return .fail(.server(try ERRPacket.decode(from: &payload).serverError))
        }
        switch self.state {
        case .waitingForResult:
            if header == 0x00 {
                let ok = try OKPacket.decode(from: &payload)
                return try self.ended(status: ok.statusFlags, affectedRows: ok.affectedRows, warnings: ok.warnings)
            }
            if header == 0xFB {
                throw MySQLError(code: .unsupported, reason: "LOAD DATA LOCAL INFILE is not supported")
            }
            let count = try decodingMessage("column count") {
                try payload.readLengthEncodedLength(field: "column count")
            }
            guard count > 0 else { throw MySQLError.protocolViolation("column count is 0") }
            self.state = .readingColumns(remaining: count, columns: [])
            return .wait
        case .readingColumns(let remaining, var columns):
            columns.append(MySQLColumn(try ColumnDefinition41.decode(from: &payload)))
            if remaining > 1 {
                self.state = .readingColumns(remaining: remaining - 1, columns: columns)
                return .wait
            }
            if self.deprecateEOF {
                self.state = .readingRows(columns: columns)
                return .columns(columns)
            }
            self.state = .waitingForColumnsEOF(columns: columns)
            return .wait
        case .waitingForColumnsEOF(let columns):
            _ = try EOFPacket.decode(from: &payload)
            self.state = .readingRows(columns: columns)
            return .columns(columns)
        case .readingRows(let columns):
            if header == 0xFE, payload.readableBytes < MySQLPacket.maximumFragmentLength {
                if self.deprecateEOF {
                    let ok = try OKPacket.decode(from: &payload)
                    return try self.ended(status: ok.statusFlags, affectedRows: 0, warnings: ok.warnings)
                }
                let eof = try EOFPacket.decode(from: &payload)
                return try self.ended(status: eof.statusFlags, affectedRows: 0, warnings: eof.warnings)
            }
            // Checked here, read in place later: no buffer per value.
            try TextResultRow.validate(payload, columnCount: columns.count)
            return .row(MySQLRowView(checkedPayload: payload, count: columns.count))
        case .finished, .failed:
            throw MySQLError.protocolViolation("packet after the end of the query result")
        }
    }

    private mutating func ended(status: ServerStatusFlags, affectedRows: UInt64, warnings: UInt16) throws -> Action {
        guard !status.contains(.moreResultsExist) else {
            throw MySQLError(code: .unsupported, reason: "a streamed query must be one statement")
        }
        self.state = .finished
        return .finished(affectedRows: affectedRows, warnings: warnings)
    }
}
