import Dispatch

/// The refusal of DDL on the affected tables after the selection, found by a scan of the binlogs that starts
/// as soon as the selection's start is known and runs on another thread while the first pass goes on and the
/// undo is rendered (``FlashbackPlanner/plan(paths:overlappingChecks:)``): nothing is written before
/// ``confirm()`` has passed. The thread that confirms reads the second half of what is left of the scan
/// meanwhile (``DDLTailScan``).
final class DDLCheck: @unchecked Sendable {
    // `scan` synchronizes its own threads; `affected` and `verdict` are used only by the planning thread (set
    // at the end of the first pass, read by `confirm()`).
    private let scan: DDLTailScan?
    private var verdict: Result<Void, any Error>?
    /// `db.table` of the tables the undo changes (known at the end of the first pass).
    var affected: [String] = []

    /// A check of what `scan` finds, whose first thread starts now (`nil`: nothing to scan).
    init(scan: DDLTailScan? = nil) {
        self.scan = scan
        guard let scan else { return }
        DispatchQueue.global(qos: .userInitiated).async { scan.runFirstHalf() }
    }

    /// Waits for the scan (reading part of it meanwhile) and throws the refusal (or the scan's error); the same
    /// answer each time.
    func confirm() throws {
        if self.verdict == nil {
            self.verdict = Result { try Self.check(try self.scan?.helpAndWait() ?? [], affected: self.affected) }
        }
        try self.verdict?.get()
    }

    /// Refuses DDL in `entries` that may touch a table of `affected` (`db.table`).
    static func check(_ entries: [DDLEntry], affected: [String]) throws {
        for entry in entries {
            for name in affected {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2,
                    entry.statement.touches(database: parts[0], table: parts[1], defaultDatabase: entry.defaultDatabase)
                else { continue }
                if entry.selected {
                    throw FlashbackError.refused(
                        "the selection holds DDL (\(entry.statement.verb)) on \(name), the undo of whose rows "
                            + "would not fit the table any more: use `rewind restore --before` (or `--skip` the "
                            + "bad transaction in a restore), or select only transactions without DDL",
                        file: entry.file,
                        position: entry.position
                    )
                }
                let what = entry.statement.verb == "DROP" ? "dropped" : "changed by DDL (\(entry.statement.verb))"
                throw FlashbackError.refused(
                    "\(name) was \(what) after the selected transactions: their undo would need the table as it "
                        + "was; use `rewind restore --before` instead",
                    file: entry.file,
                    position: entry.position
                )
            }
        }
    }
}
