import Checksum

/// The text form of `rewind checksum`: one line per table (name, rows, hash), then with `--expect` one line per
/// difference and the verdict.
enum ChecksumTextRenderer {
    static func render(_ tables: [TableHash], expectation: (file: String, differences: [ChecksumDifference])?) -> String
    {
        let nameWidth = tables.map(\.name.description.count).max() ?? 0
        let rowsWidth = tables.map { String($0.hash.rows).count }.max() ?? 0
        var text = ""
        for table in tables {
            let rows = String(table.hash.rows)
            text +=
                table.name.description.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: rowsWidth - rows.count) + rows + " rows  " + table.hash.hex + "\n"
        }
        let totalRows = tables.reduce(0) { $0 + $1.hash.rows }
        text +=
            "\(Plural.count(tables.count, "table")), \(Plural.count(Int(totalRows), "row")) (\(RowSetHash.algorithm))\n"
        guard let (file, differences) = expectation else { return text }
        for difference in differences {
            text += Self.describe(difference, file: file) + "\n"
        }
        if differences.isEmpty {
            text += "every table equals \(file)\n"
        } else {
            text +=
                "\(Plural.count(differences.count, "table")) \(differences.count == 1 ? "differs" : "differ") from \(file)\n"
        }
        return text
    }

    static func describe(_ difference: ChecksumDifference, file: String) -> String {
        func side(_ hash: RowSetHash?) -> String {
            hash.map { "\(Plural.count(Int($0.rows), "row")) \($0.hex)" } ?? ""
        }
        let name = difference.table.description
        switch difference.kind {
        case .differs:
            return "differs  \(name): \(side(difference.actual)) here, \(side(difference.expected)) in \(file)"
        case .missing:
            return "missing  \(name): \(side(difference.expected)) in \(file), not on the server"
        case .extra:
            return "extra    \(name): \(side(difference.actual)) here, not in \(file)"
        }
    }
}
