import Recovery

/// A terminal chart of rows changed per table over the window, one row of cells per table, with the flagged
/// transactions marked below: the accident stands out as a dark cell over a `^`.
struct TimelineChart {
    let window: ClosedRange<Int64>
    let width: Int
    let utcOffset: Int64
    private var rows: [QualifiedTable: [Int]] = [:]
    private var totals: [QualifiedTable: Int] = [:]
    private var flagged: [Bool]

    static let shades: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    init(window: ClosedRange<Int64>, width: Int = 60, utcOffset: Int64) {
        self.window = window
        self.width = width
        self.utcOffset = utcOffset
        self.flagged = Array(repeating: false, count: width)
    }

    private func column(of time: Int64) -> Int {
        let span = max(1, self.window.upperBound - self.window.lowerBound)
        return min(self.width - 1, max(0, Int((time - self.window.lowerBound) * Int64(self.width) / (span + 1))))
    }

    mutating func add(_ transaction: TimelineTransaction) {
        let column = self.column(of: transaction.commitTimeMicros)
        if !transaction.suspicious.isEmpty { self.flagged[column] = true }
        for change in transaction.tables {
            let rows = change.inserted + change.updated + change.deleted
            self.rows[change.name, default: Array(repeating: 0, count: self.width)][column] += rows
            self.totals[change.name, default: 0] += rows
        }
    }

    /// The chart: at most `maximumTables` tables, the busiest first.
    func render(maximumTables: Int = 12) -> String {
        let tables = self.totals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(maximumTables).map(\.key)
        let labels = tables.map(\.description) + ["flagged"]
        let labelWidth = min(28, labels.map(\.count).max() ?? 7)
        func label(_ text: String) -> String {
            text.count > labelWidth
                ? String(text.prefix(labelWidth - 1)) + "…"
                : text + String(repeating: " ", count: labelWidth - text.count)
        }
        let peak = max(1, tables.compactMap { self.rows[$0]?.max() }.max() ?? 1)
        var text = "\n# rows changed per table over time (inserted + updated + deleted; █ = \(peak) rows)\n"
        for table in tables {
            let cells = (self.rows[table] ?? []).map { count -> Character in
                guard count > 0 else { return Self.shades[0] }
                return Self.shades[max(1, min(8, Int((Double(count) / Double(peak) * 8).rounded(.up))))]
            }
            text += label(table.description) + " |" + String(cells) + "| \(self.totals[table] ?? 0)\n"
        }
        text += label("flagged") + " |" + String(self.flagged.map { $0 ? "^" : " " }) + "|\n"
        let start = TimeFormatting.iso8601(self.window.lowerBound / 1_000_000, offset: self.utcOffset)
        let end = TimeFormatting.iso8601(self.window.upperBound / 1_000_000, offset: self.utcOffset)
        let gap = max(1, self.width + 2 - start.count - end.count)
        text += String(repeating: " ", count: labelWidth + 1) + start + String(repeating: " ", count: gap) + end + "\n"
        return text
    }
}
