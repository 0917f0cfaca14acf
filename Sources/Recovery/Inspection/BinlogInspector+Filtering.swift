import BinlogFormat

extension BinlogInspector {
    /// The filter's running state over one file: which transaction each event belongs to, and a GTID event held
    /// back until the statement it announces is known.
    ///
    /// Every event inside a `TRANSACTION_PAYLOAD` is judged exactly as the same event outside one: the inner
    /// events follow the transaction's boundaries (``TransactionBoundary``: BEGIN, table maps, XID), the database, table, GTID and time
    /// filters judge each of them, and the position filters use the payload's own offset (the inner events have
    /// no file offset of their own, as in `mysqlbinlog`). A payload is shown holding only the inner events kept.
    ///
    /// With `--database` or `--table`, a DDL statement's GTID event (a group without BEGIN) is shown only when
    /// the statement is, so a filtered-out `DROP TABLE` leaves no GTID header without a statement.
    struct Selection {
        let filter: BinlogEventFilter
        let fileName: String
        let isFirstFile: Bool
        let isLastFile: Bool
        private(set) var boundary = TransactionBoundary()
        private var held: Item?

        init(filter: BinlogEventFilter, fileName: String, isFirstFile: Bool, isLastFile: Bool) {
            self.filter = filter
            self.fileName = fileName
            self.isFirstFile = isFirstFile
            self.isLastFile = isLastFile
        }

        /// Judges `record` and hands what is shown to `emit`.
        ///
        /// - Returns: `true` when the read stops here (a stop position or time was reached).
        mutating func process(
            _ record: BinlogEventRecord, context: BinlogDecodingContext, report: inout Report,
            emit: (Item) throws -> Void
        ) throws -> Bool {
            let outcome = self.judge(record, context: context)
            if let held = self.held {
                self.held = nil
                if case .query(let query) = record.event, !query.isBegin, !query.isXAStart, case .skip = outcome {
                    // The DDL statement this GTID announced is filtered out: so is its GTID.
                } else if case .stop = outcome {
                    // The transaction the GTID opens is not shown.
                } else {
                    report.eventsShown += 1
                    try emit(held)
                }
            }
            switch outcome {
            case .show(let shown, let gtid):
                let item = Item(fileName: self.fileName, record: shown, context: context, transactionGTID: gtid)
                if self.holdsGroupStart(shown.event) {
                    self.held = item
                } else {
                    report.eventsShown += 1
                    try emit(item)
                }
                return false
            case .skip:
                return false
            case .stop(let partial, let gtid):
                if let partial {
                    report.eventsShown += 1
                    try emit(Item(fileName: self.fileName, record: partial, context: context, transactionGTID: gtid))
                }
                report.stoppedEarly = true
                return true
            }
        }

        /// Shows a GTID event still held when the file ends.
        mutating func finish(report: inout Report, emit: (Item) throws -> Void) throws {
            guard let held = self.held else { return }
            self.held = nil
            report.eventsShown += 1
            try emit(held)
        }

        private func holdsGroupStart(_ event: BinlogEvent) -> Bool {
            guard !self.filter.databases.isEmpty || !self.filter.tables.isEmpty else { return false }
            switch event {
            case .gtid, .mariadbGTID: return true
            default: return false
            }
        }

        private enum Outcome {
            case show(BinlogEventRecord, gtid: GTID?)
            case skip
            case stop(partial: BinlogEventRecord?, gtid: GTID?)
        }

        private mutating func judge(_ record: BinlogEventRecord, context: BinlogDecodingContext) -> Outcome {
            guard case .transactionPayload(var payload) = record.event else {
                _ = self.boundary.observe(record.event)
                let gtid = self.boundary.gtid
                switch self.decide(record, context: context) {
                case .show: return .show(record, gtid: gtid)
                case .skip: return .skip
                case .stop: return .stop(partial: nil, gtid: gtid)
                }
            }
            var kept: [BinlogEventRecord] = []
            kept.reserveCapacity(payload.events.count)
            var stopped = false
            var gtid = self.boundary.isOpen ? self.boundary.gtid : nil
            for inner in payload.events {
                _ = self.boundary.observe(inner.event)
                gtid = gtid ?? self.boundary.gtid
                var judged = inner
                judged.position = record.position
                let decision = self.decide(judged, context: context)
                if decision == .stop {
                    stopped = true
                    break
                }
                if decision == .show { kept.append(inner) }
            }
            var shown: BinlogEventRecord?
            if !kept.isEmpty {
                payload.events = kept
                var trimmed = record
                trimmed.event = .transactionPayload(payload)
                shown = trimmed
            }
            if stopped { return .stop(partial: shown, gtid: gtid) }
            return shown.map { .show($0, gtid: gtid) } ?? .skip
        }

        private func decide(_ record: BinlogEventRecord, context: BinlogDecodingContext) -> BinlogEventFilter.Decision {
            self.filter.decide(
                record, context: context, transactionGTID: self.boundary.gtid, isFirstFile: self.isFirstFile,
                isLastFile: self.isLastFile)
        }
    }
}
