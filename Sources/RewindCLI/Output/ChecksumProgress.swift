import Checksum
import Foundation

/// The progress line of `rewind checksum` on a terminal (tables, chunks, rows, ETA by estimated bytes); nothing
/// otherwise.
///
/// `@unchecked Sendable`: the checksum reports from its own task, but the closure type is `@Sendable`; every access
/// to the mutable state holds `lock`.
final class ChecksumProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let progress = Progress()
    private let started = Date()
    private var tables = (done: 0, total: 0)
    private var chunks = (done: 0, total: 0)
    private var bytes: (done: UInt64, total: UInt64) = (0, 0)
    private var rows: UInt64 = 0

    func handle(_ event: ChecksumEvent) {
        self.lock.withLock {
            switch event {
            case .planned(let tables, let chunks, let estimatedBytes):
                self.tables.total = tables
                self.chunks.total = chunks
                self.bytes.total = estimatedBytes
            case .chunkDone(_, let rows, let estimatedBytes):
                self.chunks.done += 1
                self.rows += rows
                self.bytes.done += estimatedBytes
            case .tableDone:
                self.tables.done += 1
            }
            self.progress.update(self.line())
        }
    }

    func finish() {
        self.lock.withLock { self.progress.finish() }
    }

    private func line() -> String {
        var text =
            "checksum: tables \(self.tables.done)/\(self.tables.total)  chunks \(self.chunks.done)/"
            + "\(self.chunks.total)  rows \(self.rows)"
        if self.bytes.done > 0, self.bytes.total > self.bytes.done {
            let elapsed = Date().timeIntervalSince(self.started)
            let remaining = elapsed * Double(self.bytes.total - self.bytes.done) / Double(self.bytes.done)
            text += "  ETA \(Int(remaining.rounded()))s"
        }
        return text
    }
}
