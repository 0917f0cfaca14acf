import Backup
import Foundation

/// Text and JSON forms of backup listings, manifests and recovery windows.
enum BackupCatalogRenderer {
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    static func summaryObject(_ manifest: BackupManifest?, id: String, path: String, size: UInt64?) -> String {
        var pairs: [(String, String)] = [("id", JSONText.quote(id)), ("path", JSONText.quote(path))]
        pairs.append(("state", JSONText.quote(manifest?.state.rawValue ?? "unreadable")))
        if let manifest {
            pairs.append(("started_at", JSONText.quote(self.time(manifest.startedAt))))
            pairs.append(("finished_at", manifest.finishedAt.map { JSONText.quote(self.time($0)) } ?? "null"))
            pairs.append(("server", JSONText.quote(manifest.server.address)))
            pairs.append(("binlog_file", manifest.binlog.map { JSONText.quote($0.file) } ?? "null"))
            pairs.append(("binlog_position", manifest.binlog.map { "\($0.position)" } ?? "null"))
            pairs.append(("gtid_set", manifest.gtidSet.map(JSONText.quote) ?? "null"))
            pairs.append(("tables", "\(manifest.tables.count)"))
            pairs.append(("rows", "\(manifest.totalRows)"))
            pairs.append(("lock_held_ms", "\(manifest.lockHeldMS)"))
        }
        if let size { pairs.append(("size_bytes", "\(size)")) }
        return JSONText.object(pairs)
    }

    static func summaryJSON(_ manifest: BackupManifest, directory: String) throws -> String {
        self.summaryObject(manifest, id: manifest.id, path: directory, size: nil)
    }

    static func listText(_ entries: [BackupCatalogEntry]) -> String {
        var rows = [["ID", "STATE", "STARTED", "SIZE", "BINLOG", "GTID SET"]]
        for entry in entries {
            rows.append([
                entry.id, entry.state, self.time(entry.manifest?.startedAt), "\(entry.sizeBytes)",
                entry.manifest?.binlog?.description ?? "-", entry.manifest?.gtidSet ?? "-",
            ])
        }
        return self.table(rows)
    }

    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func showText(_ manifest: BackupManifest, path: String) -> String {
        var text = "backup \(manifest.id) (\(manifest.state.rawValue)) in \(path)\n"
        if let error = manifest.error { text += "error: \(error)\n" }
        text += "server: \(manifest.server.flavor) \(manifest.server.version) at \(manifest.server.address), "
        text += "server_id \(manifest.server.serverID), host \(manifest.server.hostname)\n"
        text += "started \(self.time(manifest.startedAt)), snapshot \(self.time(manifest.snapshotAt)), "
        text += "finished \(self.time(manifest.finishedAt))\n"
        text += "binlog: \(manifest.binlog?.description ?? "none")  GTID: \(manifest.gtidSet ?? "none")\n"
        text += "consistency: \(manifest.consistency), \(manifest.snapshotAttempts) round(s); commit lock "
        text += "\(manifest.lockHeldMS) ms, DDL blocked \(manifest.ddlLockHeldMS) ms\n"
        text += "hash: \(manifest.hashAlgorithm)\n\n"
        var rows = [["TABLE", "ENGINE", "ROWS", "CHUNKS", "BYTES", "HASH"]]
        for table in manifest.tables {
            rows.append([
                table.qualifiedName, table.engine, "\(table.rows)", "\(table.chunks.count)",
                "\(table.chunks.reduce(0) { $0 + $1.bytes })", table.hash,
            ])
        }
        text += self.table(rows)
        let objects = manifest.databases.map { database in
            "\(database.name): \(database.views.count) views, \(database.routines.count) routines, "
                + "\(database.triggers.count) triggers, \(database.events.count) events"
        }
        if !objects.isEmpty { text += "\n" + objects.joined(separator: "\n") + "\n" }
        return text
    }

    static func windowText(_ window: RecoveryWindow) -> String {
        var text = ""
        if window.windows.isEmpty { return "no complete backup: nothing can be recovered\n" }
        let ranges = window.reachableRanges
        let spans = ranges.map { range in
            range.lowerBound == range.upperBound
                ? "\(self.time(range.lowerBound)) (that snapshot only)"
                : "\(self.time(range.lowerBound)) … \(self.time(range.upperBound))"
        }
        if ranges.count == 1 {
            text += "recoverable: \(spans[0])\n\n"
        } else {
            // Never one span over a hole: the points between the ranges cannot be reached.
            text +=
                "recoverable, not continuously (\(ranges.count) separate ranges; nothing between them can be "
                + "reached):\n" + spans.map { "  \($0)\n" }.joined() + "\n"
        }
        for item in window.windows {
            text += "backup \(item.backupID): \(self.time(item.from)) … \(self.time(item.to ?? item.from))"
            text += "  (\(item.fromBinlog?.description ?? "-") → \(item.toBinlog?.description ?? "-"))\n"
            if let breakInfo = item.breakInfo {
                text += "  break (\(breakInfo.kind)): \(breakInfo.message)\n  what to do: \(breakInfo.advice)\n"
            }
        }
        return text
    }

    static func windowJSON(_ window: RecoveryWindow) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(window), as: UTF8.self)
    }
}
