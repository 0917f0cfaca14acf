import Recovery

/// One line per transaction (time, GTID or FILE:POS, positions, rows per table, a statement), and for a flagged
/// one its reasons and the commands that would repair it.
struct TimelineTextRenderer {
    /// Seconds east of UTC for printed times.
    var utcOffset: Int64
    /// Characters of statement text on the line.
    var statementWidth = 100

    func header() -> String {
        "# time (c: commit timestamp, µs; e: commit event time, s)  transaction  file:start-end  "
            + "db.table +inserted ~updated -deleted  statement\n"
    }

    func render(_ transaction: TimelineTransaction) -> String {
        let micros = transaction.commitTimeMicros
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        var time = TimeFormatting.iso8601(seconds, offset: self.utcOffset)
        if transaction.commitTimeSource == .commitTimestamp {
            let fraction = String(micros - seconds * 1_000_000)
            let insertAt = time.index(time.startIndex, offsetBy: 19)
            time.insert(contentsOf: "." + String(repeating: "0", count: 6 - fraction.count) + fraction, at: insertAt)
            time += " c"
        } else {
            time += " e"
        }
        var line = (transaction.suspicious.isEmpty ? "  " : "! ") + time + "  "
        line += transaction.identifier
        line += "  \(transaction.file):\(transaction.startPosition)-\(transaction.endPosition)"
        if !transaction.tables.isEmpty {
            line += "  "
            line += transaction.tables.map {
                "\($0.database).\($0.table) +\($0.inserted) ~\($0.updated) -\($0.deleted)"
            }
            .joined(separator: ", ")
        }
        if let statement = transaction.statements.first {
            line += "  " + Self.oneLine(statement, width: self.statementWidth)
            if transaction.statements.count > 1 { line += " (+\(transaction.statements.count - 1) more)" }
        }
        line += "\n"
        for flag in transaction.suspicious {
            line += "    \(flag.reason): \(flag.detail)\n"
        }
        for command in transaction.repair {
            line += "    repair: \(command)\n"
        }
        return line
    }

    /// The first `width` characters of `text` on one line (line breaks and runs of blanks as one space; `…` when cut).
    static func oneLine(_ text: String, width: Int) -> String {
        var result = String.UnicodeScalarView()
        var count = 0
        var lastWasBlank = false
        for scalar in text.unicodeScalars {
            let isBlank = scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t"
            if isBlank && lastWasBlank { continue }
            lastWasBlank = isBlank
            if count == width - 1 {
                result.append("…")
                return String(result)
            }
            result.append(isBlank ? " " : scalar)
            count += 1
        }
        return String(result)
    }
}
