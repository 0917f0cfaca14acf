import Recovery

/// The text form of `rewind binlog stats`: a block per file, then a table per database table.
struct StatsTextRenderer {
    var utcOffset: Int64

    func render(_ statistics: BinlogStatistics) -> String {
        var text = ""
        for file in statistics.files {
            text +=
                "\(file.name): \(file.bytes) bytes, \(file.events) events, server \(file.serverVersion ?? "?"), checksum \(file.checksum ?? "?")\n"
            if let first = file.firstTimestamp, let last = file.lastTimestamp {
                text += "  time:         \(self.time(first)) .. \(self.time(last))\n"
            }
            text +=
                "  transactions: \(file.counts.transactions)   statements: \(file.counts.statements)   row events: \(file.counts.rowEvents)\n"
            text +=
                "  rows:         \(file.counts.inserted) inserted, \(file.counts.updated) updated, \(file.counts.deleted) deleted\n"
            if let first = file.firstGTID, let last = file.lastGTID { text += "  gtids:        \(first) .. \(last)\n" }
            if let previous = file.previousGTIDs, !previous.isEmpty { text += "  previous:     \(previous)\n" }
            text += "  ends with:    \(file.ending)\(file.nextFile.map { " -> \($0)" } ?? "")\n"
            if let error = file.error { text += "  ERROR:        \(error)\n" }
        }
        if !statistics.tables.isEmpty {
            let width = max(5, statistics.tables.map { $0.database.count + $0.table.count + 1 }.max() ?? 5)
            text +=
                "\n" + "table".padding(width)
                + "  trx      row_events  inserted    updated     deleted     first .. last\n"
            for table in statistics.tables {
                let counts = table.counts
                text +=
                    "\(table.database).\(table.table)".padding(width) + "  "
                    + "\(counts.transactions)".padding(8) + " " + "\(counts.rowEvents)".padding(11) + " "
                    + "\(counts.inserted)".padding(11) + " " + "\(counts.updated)".padding(11) + " "
                    + "\(counts.deleted)".padding(11) + " "
                    + "\(table.firstTimestamp.map(self.time) ?? "?") .. \(table.lastTimestamp.map(self.time) ?? "?")\n"
            }
        }
        let totals = statistics.totals
        text +=
            "\ntotal: \(statistics.files.count) file(s), \(totals.transactions) transactions, \(totals.rowEvents) row events, "
            + "\(totals.inserted) inserted, \(totals.updated) updated, \(totals.deleted) deleted rows\n"
        return text
    }

    private func time(_ seconds: UInt32) -> String {
        TimeFormatting.iso8601(Int64(seconds), offset: self.utcOffset)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        self.count >= width ? self : self + String(repeating: " ", count: width - self.count)
    }
}
