import ArgumentParser
import Backup

/// `rewind backup prune DIR|s3://… --keep N | --keep-within DURATION [--binlogs DIR|s3://…] [--dry-run]`.
struct BackupPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove old backups and, with --binlogs, the archived binlogs no kept backup needs.",
        discussion: """
            The newest complete backup is never removed, nor a newer incomplete one while its writer may run (a \
            fresh heartbeat in its manifest, and on this host a live process); a killed backup is removed with its \
            unfinished uploads. DURATION: 90m, 36h, 14d, 2w.
            """
    )

    @Argument(help: "The backup catalog: a directory or s3://bucket/prefix.")
    var directory: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Keep the newest N complete backups.")
    var keep: Int?

    @Option(name: .customLong("keep-within"), help: "Keep backups started within this long (90m, 36h, 14d, 2w).")
    var keepWithin: String?

    @Option(help: "The binlog archive to prune as well: a directory or s3://bucket/prefix.")
    var binlogs: String?

    @Flag(name: .customLong("dry-run"), help: "Say what would be removed; remove nothing.")
    var dryRun = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        case "w": return value * 604_800
        default: return nil
        }
    }

    func validate() throws {
        if self.keep == nil, self.keepWithin == nil { throw ValidationError("give --keep N or --keep-within DURATION") }
        if let keep, keep < 1 {
            throw ValidationError("--keep \(keep): must be at least 1 (the newest backup is kept)")
        }
        if let keepWithin, Self.seconds(keepWithin) == nil {
            throw ValidationError("--keep-within \(keepWithin): expected a number and s, m, h, d or w (e.g. 14d)")
        }
    }

    func run() async throws {
        let plan: BackupCatalog.PrunePlan
        do {
            plan = try await self.objectStorage.withBackupStore(self.directory) { catalog in
                try await self.objectStorage.withArchivePruner(self.binlogs) { archive in
                    try await BackupCatalog.prune(
                        catalog,
                        keep: self.keep,
                        keepWithin: self.keepWithin.flatMap(Self.seconds),
                        binlogs: archive,
                        dryRun: self.dryRun
                    )
                }
            }
        } catch {
            Diagnostics.print("rewind backup prune: \(error)")
            throw ExitCode(1)
        }
        switch self.format {
        case .text:
            let verb = self.dryRun ? "would remove" : "removed"
            for id in plan.removedBackups { print("\(verb) backup \(id)") }
            for file in plan.removedBinlogs { print("\(verb) binlog \(file)") }
            print("kept \(plan.keptBackups.count) backups: \(plan.keptBackups.joined(separator: ", "))")
        case .json:
            let list = { (items: [String]) in "[" + items.map(JSONText.quote).joined(separator: ",") + "]" }
            print(
                JSONText.object([
                    ("dry_run", "\(self.dryRun)"), ("removed_backups", list(plan.removedBackups)),
                    ("kept_backups", list(plan.keptBackups)), ("removed_binlogs", list(plan.removedBinlogs)),
                ])
            )
        }
    }
}
