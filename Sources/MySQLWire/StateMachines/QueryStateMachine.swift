import NIOCore

/// Reads the answer to `COM_QUERY`: OK packets and text result sets, one after the other while the server sets
/// `SERVER_MORE_RESULTS_EXISTS` (multi-statements). Pure: it gets packets and says when the answer is complete.
struct QueryStateMachine {
    enum Action: Equatable {
        /// Wait for the next packet.
        case wait
        /// The whole answer has arrived.
        case finished([MySQLResultSet])
        /// The server reported an error (earlier results of a multi-statement are dropped) or sent garbage.
        case fail(MySQLError)
    }

    private enum State {
        case waitingForResult
        case readingColumns(remaining: Int, columns: [MySQLColumn])
        case waitingForColumnsEOF(columns: [MySQLColumn])
        case readingRows(columns: [MySQLColumn], rows: [MySQLRow])
        case finished
        case failed
    }

    private var state: State = .waitingForResult
    private var results: [MySQLResultSet] = []
    private let deprecateEOF: Bool

    init(capabilities: CapabilityFlags) {
        self.deprecateEOF = capabilities.contains(.deprecateEOF)
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
                return self.resultEnded(
                    MySQLResultSet(
                        columns: [],
                        rows: [],
                        affectedRows: ok.affectedRows,
                        lastInsertID: ok.lastInsertID,
                        warnings: ok.warnings
                    ),
                    status: ok.statusFlags
                )
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
            } else if self.deprecateEOF {
                self.state = .readingRows(columns: columns, rows: [])
            } else {
                self.state = .waitingForColumnsEOF(columns: columns)
            }
            return .wait
        case .waitingForColumnsEOF(let columns):
            _ = try EOFPacket.decode(from: &payload)
            self.state = .readingRows(columns: columns, rows: [])
            return .wait
        case .readingRows(let columns, var rows):
            if header == 0xFE, payload.readableBytes < MySQLPacket.maximumFragmentLength {
                let status: ServerStatusFlags
                let warnings: UInt16
                if self.deprecateEOF {
                    let ok = try OKPacket.decode(from: &payload)
                    (status, warnings) = (ok.statusFlags, ok.warnings)
                } else {
                    let eof = try EOFPacket.decode(from: &payload)
                    (status, warnings) = (eof.statusFlags, eof.warnings)
                }
                return self.resultEnded(
                    MySQLResultSet(columns: columns, rows: rows, affectedRows: 0, lastInsertID: 0, warnings: warnings),
                    status: status
                )
            }
            // Avoid a copy-on-write of the growing array while it is also held by `state`.
            self.state = .failed
            let row = try TextResultRow.decode(from: &payload, columnCount: columns.count)
            rows.append(MySQLRow(columns: columns, values: row.values))
            self.state = .readingRows(columns: columns, rows: rows)
            return .wait
        case .finished, .failed:
            throw MySQLError.protocolViolation("packet after the end of the query result")
        }
    }

    private mutating func resultEnded(_ result: MySQLResultSet, status: ServerStatusFlags) -> Action {
        self.results.append(result)
        if status.contains(.moreResultsExist) {
            self.state = .waitingForResult
            return .wait
        }
        self.state = .finished
        return .finished(self.results)
    }
}
