import BinlogFormat
import Foundation
import SQLRendering

/// Writes a ``FlashbackPlan`` as a SQL script: its own session settings, then one `BEGIN … COMMIT` per
/// original transaction, newest first, each with a comment naming the original GTID, position and time.
///
/// The statements carry their guards, so `mysql < undo.sql` leaves alone the rows that changed since. They
/// are rendered on ``workers`` threads, in order.
public struct UndoScriptWriter: Sendable {
    /// The session settings of every undo (script or `--apply`): UTF-8 literals, UTC timestamps, and an
    /// `sql_mode` under which the literals mean what they say (0 stays 0 in an AUTO_INCREMENT column).
    public static let sessionStatements =
        SQLLiteral.sessionStatements + [
            "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,STRICT_ALL_TABLES'"
        ]

    /// Threads that render statements; `nil`: one per core, asked only when the undo is more than one batch
    /// (asking reads the cgroup's CPU quota, which a small undo need not wait for).
    public var workers: Int?

    public init(workers: Int? = nil) {
        self.workers = workers
    }

    /// Writes the script for `plan`, calling `output` with chunks of UTF-8 bytes (about 1 MiB each, in order).
    ///
    /// - Throws: what `output` throws; ``FlashbackError``, ``SQLRenderingError`` or ``BinlogDecodingError`` when
    ///   an event cannot be read again or rendered (the output then ends before it).
    public func write(_ plan: FlashbackPlan, minimal: Bool, to output: @escaping ([UInt8]) throws -> Void) throws {
        var text: [UInt8] = []
        func line(_ string: String) {
            text.append(contentsOf: string.utf8)
            text.append(0x0A)
        }
        line(
            "-- rewind flashback: the undo of \(plan.transactionCount) transaction(s), \(plan.statementCount) row "
                + "change(s), newest first.")
        line("-- Each statement changes its row only if the row is still as the original transaction left it")
        line(
            minimal
                ? "-- (the columns that transaction changed); otherwise it changes nothing (a conflict)."
                : "-- (its key and every column); otherwise it changes nothing (a conflict, left as it is).")
        for note in plan.notes { line("-- note: \(note)") }
        for statement in Self.sessionStatements { line(statement + ";") }
        // Statements render while the DDL check may still run; nothing is written before it has passed.
        var confirmed = false
        let pipeline = UndoRenderPipeline(renderer: plan.renderer, workers: self.workers) { bytes in
            if !confirmed {
                try plan.confirm()
                confirmed = true
            }
            try output(bytes)
        }
        var steps = try plan.makeStepReader()
        while let step = try steps.next() {
            switch step {
            case .begin(let header):
                text.append(0x0A)
                line(
                    "-- undo of \(header.name), \(Self.utcText(header.timestamp)) UTC, \(header.statements) row change(s)"
                )
                for note in header.keyNotes { line("-- \(note)") }
                if !header.skippedTables.isEmpty {
                    line("-- left alone (not selected): \(header.skippedTables.joined(separator: ", "))")
                }
                line("BEGIN;")
            case .rows(let reference):
                if !text.isEmpty {
                    try pipeline.add(.text(text))
                    text.removeAll(keepingCapacity: true)
                }
                try pipeline.add(.rows(reference))
            case .commit:
                line("COMMIT;")
            }
        }
        if !text.isEmpty { try pipeline.add(.text(text)) }
        try pipeline.finish()
        try plan.confirm()
    }

    /// `2026-11-30 09:12:00` for seconds since the epoch.
    static func utcText(_ seconds: UInt32) -> String {
        var bytes: [UInt8] = []
        ValueText.appendDateTime(
            ValueText.utcDateTime(epochSeconds: seconds, microseconds: 0, precision: 0), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
