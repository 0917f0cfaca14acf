import BinlogFormat

extension BinlogEventRecord {
    /// The error for a row event (also one inside a TRANSACTION_PAYLOAD) whose table id no TABLE_MAP event before
    /// it maps: its rows cannot be decoded, so output that went on silently would lack them.
    ///
    /// - Parameters:
    ///   - context: the decoding state after this event (the table maps seen so far).
    ///   - fileName: the file the event is in, for the message.
    /// - Returns: `nil` when every row event has its table map.
    package func missingTableMapError(context: BinlogDecodingContext, fileName: String) -> BinlogDecodingError? {
        switch self.event {
        case .rows(let rows) where context.tableMap(for: rows) == nil:
            return BinlogDecodingError(
                code: .malformed,
                reason: "the row event's table id \(rows.tableID) has no TABLE_MAP event before it, so its rows cannot "
                    + "be decoded (a read that starts inside a transaction? start at the transaction's first event)",
                eventType: self.header.type,
                position: self.position,
                fileName: fileName
            )
        case .transactionPayload(let payload):
            for inner in payload.events {
                if let error = inner.missingTableMapError(context: context, fileName: fileName) {
                    // Inner positions are offsets inside the payload: name the payload event's own byte.
                    var error = error
                    error.position = self.position
                    return error
                }
            }
            return nil
        default:
            return nil
        }
    }
}
