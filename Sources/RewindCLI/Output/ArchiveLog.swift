import BinlogArchive
import Foundation

/// Turns ``ArchiverEvent``s into a progress line (terminal) or structured log lines (anything else) on stderr.
final class ArchiveLog: @unchecked Sendable {
    private let format: BinlogArchiveCommand.LogFormat
    private let directory: String
    private let progress = Progress()
    private let isTerminal = Diagnostics.isTerminal

    init(format: BinlogArchiveCommand.LogFormat, directory: String) {
        self.format = format
        self.directory = directory
    }

    func handle(_ event: ArchiverEvent) {
        switch event {
        case .connected(let server, let version, let file, let position):
            self.line(
                level: "info",
                event: "connected",
                ["server": server, "version": version, "file": file, "position": "\(position)"]
            )
        case .truncated(let file, let from, let to):
            self.line(
                level: "warning",
                event: "partial_event_cut",
                ["file": file, "from": "\(from)", "to": "\(to)"]
            )
        case .fileStarted(let name):
            if !self.isTerminal { self.line(level: "info", event: "file_started", ["file": name]) }
        case .fileCompleted(let file):
            var fields = [
                "file": file.name, "size": "\(file.size)", "events": "\(file.events)",
                "transactions": "\(file.transactions)", "ending": file.ending ?? "",
            ]
            if let first = file.firstGTID { fields["first_gtid"] = first }
            if let last = file.lastGTID { fields["last_gtid"] = last }
            self.line(level: "info", event: "file_completed", fields)
        case .gap(let gap):
            self.line(
                level: "error",
                event: "gap",
                [
                    "after_file": gap.afterFile ?? "", "after_position": gap.afterPosition.map(String.init) ?? "",
                    "missing": gap.missingFiles.joined(separator: ","), "resumed_at": gap.resumedAt,
                    "reason": gap.reason,
                ]
            )
        case .progress(let file, let position, let bytes):
            self.progress.update(
                "rewind: archiving \(file) at byte \(position) (\(bytes / 1_048_576) MiB this run) into \(self.directory)"
            )
        case .caughtUp(let file, let position):
            self.progress.update("rewind: up to date at \(file):\(position), waiting for new events")
        case .notice(let message):
            self.line(level: "warning", event: "notice", ["message": message])
        case .retrying(let error, let attempt, let delay):
            self.line(
                level: "warning",
                event: "retrying",
                ["error": error, "attempt": "\(attempt)", "retry_in_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)"]
            )
        }
    }

    func finish() {
        self.progress.finish()
    }

    /// One log line: `time=… level=… event=… key=value …` (logfmt) or a JSON object.
    func line(level: String, event: String, _ fields: [String: String]) {
        let time = ISO8601DateFormatter().string(from: Date())
        var text: String
        switch self.format {
        case .logfmt:
            text = "time=\(time) level=\(level) event=\(event)"
            for key in fields.keys.sorted() { text += " \(key)=\(Self.logfmtValue(fields[key]!))" }
        case .json:
            var object = ["time": time, "level": level, "event": event]
            object.merge(fields) { current, _ in current }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
        self.progress.finish()
        Diagnostics.print(text)
    }

    private static func logfmtValue(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
