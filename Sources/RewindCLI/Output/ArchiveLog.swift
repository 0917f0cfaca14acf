import BinlogArchive
import Foundation

/// Turns ``ArchiverEvent``s into a progress line (terminal) or structured log lines (anything else) on stderr.
///
/// Keys are snake_case; in JSON lines counts, sizes and positions are numbers, everything else strings.
final class ArchiveLog: @unchecked Sendable {
    /// A field's value: text, or a number (printed bare in logfmt and as a JSON number).
    enum Value: Equatable, ExpressibleByStringLiteral {
        case text(String)
        case numeric(Int64)

        init(stringLiteral value: String) { self = .text(value) }
        static func number<I: BinaryInteger>(_ value: I) -> Self { .numeric(Int64(clamping: value)) }
    }

    private let format: BinlogArchiveCommand.LogFormat
    private let directory: String
    private let progress = Progress()
    private let isTerminal = Diagnostics.isTerminal
    /// With `--follow` the archiver waits at the end of the binlog; without it, it stops there.
    private let follow: Bool

    init(format: BinlogArchiveCommand.LogFormat, directory: String, follow: Bool = true) {
        self.format = format
        self.directory = directory
        self.follow = follow
    }

    /// The progress line once the archive has everything the server has.
    static func caughtUpText(file: String, position: UInt64, follow: Bool) -> String {
        "rewind: up to date at \(file):\(position)" + (follow ? ", waiting for new events" : ", stopping (no --follow)")
    }

    func handle(_ event: ArchiverEvent) {
        switch event {
        case .connected(let server, let version, let file, let position):
            self.line(
                level: "info",
                event: "connected",
                [
                    "server": .text(server), "version": .text(version), "file": .text(file),
                    "position": .number(position),
                ]
            )
        case .truncated(let file, let from, let to):
            self.line(
                level: "warning",
                event: "partial_event_cut",
                ["file": .text(file), "from": .number(from), "to": .number(to)]
            )
        case .fileStarted(let name):
            if !self.isTerminal { self.line(level: "info", event: "file_started", ["file": .text(name)]) }
        case .fileCompleted(let file):
            var fields: [String: Value] = [
                "file": .text(file.name), "size": .number(file.size), "events": .number(file.events),
                "transactions": .number(file.transactions), "ending": .text(file.ending ?? ""),
            ]
            if let first = file.firstGTID { fields["first_gtid"] = .text(first) }
            if let last = file.lastGTID { fields["last_gtid"] = .text(last) }
            self.line(level: "info", event: "file_completed", fields)
        case .gap(let gap):
            var fields: [String: Value] = [
                "after_file": .text(gap.afterFile ?? ""), "missing": .text(gap.missingFiles.joined(separator: ",")),
                "resumed_at": .text(gap.resumedAt), "reason": .text(gap.reason),
            ]
            if let position = gap.afterPosition { fields["after_position"] = .number(position) }
            self.line(level: "error", event: "gap", fields)
        case .progress(let file, let position, let bytes, _):
            self.progress.update(
                "rewind: archiving \(file) at byte \(position) (\(bytes / 1_048_576) MiB this run) into \(self.directory)"
            )
        case .caughtUp(let file, let position):
            self.progress.update(Self.caughtUpText(file: file, position: position, follow: self.follow))
        case .notice(let message):
            self.line(level: "warning", event: "notice", ["message": .text(message)])
        case .retrying(let error, let attempt, let delay):
            self.line(
                level: "warning",
                event: "retrying",
                [
                    "error": .text(error), "attempt": .number(attempt),
                    "retry_in_ms": .number(
                        delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000),
                ]
            )
        }
    }

    func finish() {
        self.progress.finish()
    }

    /// One log line: `time=… level=… event=… key=value …` (logfmt) or a JSON object.
    func line(level: String, event: String, _ fields: [String: Value]) {
        Diagnostics.print(self.render(level: level, event: event, fields, time: Date()))
        self.progress.finish()
    }

    /// The text of one log line.
    func render(level: String, event: String, _ fields: [String: Value], time: Date) -> String {
        let time = ISO8601DateFormatter().string(from: time)
        var all: [String: Value] = ["time": .text(time), "level": .text(level), "event": .text(event)]
        all.merge(fields) { current, _ in current }
        switch self.format {
        case .logfmt:
            var text = "time=\(time) level=\(level) event=\(event)"
            for key in fields.keys.sorted() where all[key] == fields[key] {
                switch fields[key]! {
                case .text(let value): text += " \(key)=\(Self.logfmtValue(value))"
                case .numeric(let value): text += " \(key)=\(value)"
                }
            }
            return text
        case .json:
            let members = all.keys.sorted().map { key in
                switch all[key]! {
                case .text(let value): return JSONText.quote(key) + ":" + JSONText.quote(value)
                case .numeric(let value): return JSONText.quote(key) + ":\(value)"
                }
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    private static func logfmtValue(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
