import Backup
import BackupStorage
import Foundation
import RewindTestSupport
import Testing

/// A `--database` or `--table` that names nothing (a typo) is refused, never a "complete" backup of nothing (which
/// `prune --keep` would count) or a restore or checksum of nothing that ends with "ok".
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct NamesThatMatchNothingTests {
    @Test(.timeLimit(.minutes(10))) func backupRestoreAndChecksumRefuseThem() async throws {
        try await SandboxInstance.withInstance(named: "rs-names") { source in
            _ = try await source.root(
                "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY); INSERT INTO shop.orders VALUES (1)"
            )
            let catalog = try temporaryDirectory("rs-names-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let defaults = try #require(source.defaultsFile)

            for filter in [["--database", "nope"], ["--table", "shop.nope"], ["--table", "nope.orders"]] {
                let run = try await rewind(["backup", "create", "--to", catalog, "--defaults-file", defaults] + filter)
                #expect(run.status != 0, "\(filter): \(run.output)")
                #expect(run.output.contains("\(filter[1]): no such"), "\(filter): \(run.output)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: catalog).filter { $0.hasPrefix("2") }.isEmpty)
            // A catalog directory the failed run would have created is not left behind, empty.
            let fresh = catalog + "/fresh"
            let refused = try await rewind(
                ["backup", "create", "--to", fresh, "--defaults-file", defaults, "--database", "nope"])
            #expect(refused.status != 0)
            #expect(!FileManager.default.fileExists(atPath: fresh), "\(refused.output)")

            let backup = try await takeBackup(source, databases: ["shop"], catalog: catalog)
            for filter in [["--database", "nope"], ["--table", "shop.nope"], ["--into-database", "nope=x"]] {
                let run = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--dry-run",
                        "--defaults-file",
                        defaults,
                    ] + filter)
                #expect(run.status == 2, "\(filter): \(run.output)")
                #expect(run.output.contains("no such"), "\(filter): \(run.output)")
            }
            // The same names spelt right are accepted.
            let good = try await rewind(
                [
                    "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--dry-run", "--defaults-file",
                    defaults, "--database", "shop", "--into-database", "shop=shop_copy",
                ])
            #expect(good.status == 0, "\(good.output)")

            // A stop position past the end of its file is refused too, not read as "the end".
            let current = try await source.root("SHOW MASTER STATUS").split(separator: "\t")[0]
            let past = try await rewind(
                [
                    "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--dry-run", "--defaults-file",
                    defaults, "--until-position", "\(current):999999999",
                ])
            #expect(past.status == 2, "\(past.output)")
            #expect(past.output.contains("is past the end of \(current)"), "\(past.output)")

            let checksum = try await rewind(["checksum", "--defaults-file", defaults, "--database", "nope"])
            #expect(checksum.status != 0, "\(checksum.output)")
            #expect(checksum.output.contains("no base table in database nope"), "\(checksum.output)")
        }
    }
}
