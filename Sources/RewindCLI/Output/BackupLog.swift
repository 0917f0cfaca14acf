import Backup
import Foundation

/// Shows a backup's or load's ``BackupEvent``s: a progress line (tables, rows, bytes, ETA) on a terminal,
/// otherwise one logfmt line per chunk and step on standard error.
///
/// `@unchecked Sendable`: events arrive from several worker tasks; every access to the mutable state holds `lock`.
final class BackupLog: @unchecked Sendable {
    private let lock = NSLock()
    private let progress = Progress()
    private let terminal = Diagnostics.isTerminal
    private let verb: String
    private var tablesTotal = 0
    private var tablesDone = 0
    private var chunksTotal = 0
    private var chunksDone = 0
    private var estimatedBytes: UInt64 = 0
    private var rows: UInt64 = 0
    private var bytes: UInt64 = 0
    private let started = Date()

    init(verb: String) { self.verb = verb }

    /// Sets totals known up front (a load knows them from the manifest).
    func expect(tables: Int, chunks: Int) {
        self.lock.withLock {
            self.tablesTotal = tables
            self.chunksTotal = chunks
        }
    }

    func handle(_ event: BackupEvent) {
        self.lock.withLock {
            switch event {
            case .snapshot(let binlog, let gtid, let attempts):
                self.line(
                    "snapshot",
                    ["binlog": binlog?.description ?? "none", "gtid_set": gtid ?? "", "attempts": "\(attempts)"]
                )
            case .planned(let tables, let chunks, let estimated):
                self.tablesTotal = tables
                self.chunksTotal = chunks
                self.estimatedBytes = estimated
                self.line("planned", ["tables": "\(tables)", "chunks": "\(chunks)", "estimated_bytes": "\(estimated)"])
            case .chunkDone(let table, let file, let rows, let bytes):
                self.chunksDone += 1
                self.rows += rows
                self.bytes += bytes
                if self.terminal {
                    self.draw()
                } else {
                    self.line("chunk", ["table": table, "file": file, "rows": "\(rows)", "bytes": "\(bytes)"])
                }
            case .tableDone(let table, let rows):
                self.tablesDone += 1
                if self.terminal { self.draw() } else { self.line("table", ["table": table, "rows": "\(rows)"]) }
            case .step(let message):
                self.line("step", ["message": message])
            case .warning(let message):
                self.progress.finish()
                Diagnostics.print("warning: \(message)")
            }
        }
    }

    func finish() {
        self.lock.withLock { self.progress.finish() }
    }

    private func draw() {
        let elapsed = Date().timeIntervalSince(self.started)
        var eta = ""
        if self.chunksDone > 0, self.chunksTotal > self.chunksDone {
            let remaining = elapsed / Double(self.chunksDone) * Double(self.chunksTotal - self.chunksDone)
            eta = "  ETA \(Int(remaining.rounded()))s"
        }
        let text =
            "\(self.verb): chunks \(self.chunksDone)/\(self.chunksTotal)  tables \(self.tablesDone)/\(self.tablesTotal)"
            + "  rows \(self.rows)  \(self.bytes / 1_048_576) MiB\(eta)"
        self.progress.update(text)
    }

    private func line(_ event: String, _ fields: [String: String]) {
        let time = ISO8601DateFormatter().string(from: Date())
        var text = "time=\(time) level=info event=\(event)"
        for key in fields.keys.sorted() { text += " \(key)=\(Self.logfmtValue(fields[key] ?? ""))" }
        self.progress.finish()
        Diagnostics.print(text)
    }

    private static func logfmtValue(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
