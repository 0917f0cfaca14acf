import Foundation
import RewindTestSupport
import Testing

/// Acceptance 3: each refusal exits 2 with a message that says what to do, and leaves the target untouched (no
/// schema created).
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreRefusalTests {
    @Test(.timeLimit(.minutes(10)), arguments: TestBackupStore.available)
    func refusalsLeaveTheTargetUntouched(store kind: TestBackupStore) async throws {
        try await SandboxInstance.withInstance(named: "rs-ref-src") { source in
            try await kind.withCatalog("rs-ref-cat") { catalog, location in
                try await source.root(
                    """
                    CREATE DATABASE inv;
                    USE inv;
                    CREATE TABLE inv.parts (id INT PRIMARY KEY, name VARCHAR(30), qty INT);
                    INSERT INTO inv.parts SELECT seq, CONCAT('part', seq), seq FROM seq_1_to_2000;
                    """
                )
                let backup = try await takeBackup(source, databases: ["inv"], catalog: catalog, location: location)
                try await source.root(
                    "UPDATE inv.parts SET qty = qty + 1 WHERE id < 10; FLUSH BINARY LOGS; "
                        + "UPDATE inv.parts SET qty = qty + 1 WHERE id < 20; FLUSH BINARY LOGS; "
                        + "DELETE FROM inv.parts WHERE id > 1990")
                let binlogs = source.binlogDirectory
                let files = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                    .map { String($0.split(separator: "\t")[0]) }

                try await SandboxInstance.withInstance(named: "rs-ref-dst", options: ["--skip-log-bin"]) { target in
                    let untouched = try await target.root("SHOW DATABASES")
                    func refused(_ arguments: [String], saying: String) async throws {
                        let run = try await rewind(
                            ["restore", "--backup", backup] + arguments + [
                                "--defaults-file", target.defaultsFile ?? "",
                            ])
                        #expect(run.status == 2, "\(arguments): exit \(run.status)\n\(run.output)")
                        #expect(run.output.contains(saying), "\(arguments): \(run.output)")
                        #expect(try await target.root("SHOW DATABASES") == untouched, "\(arguments) changed the target")
                    }

                    // A missing file in the chain.
                    let copy = try temporaryDirectory("rs-ref-gap")
                    defer { try? FileManager.default.removeItem(atPath: copy) }
                    let inChain = files.filter { FileManager.default.fileExists(atPath: binlogs + "/" + $0) }.suffix(3)
                    #expect(inChain.count == 3)
                    for (index, name) in inChain.enumerated() where index != 1 {
                        try FileManager.default.copyItem(atPath: binlogs + "/" + name, toPath: copy + "/" + name)
                    }
                    try await refused(["--binlogs", copy], saying: "gap")

                    // A damaged backup chunk.
                    let damaged = try await damagedCopy(
                        of: (backup as NSString).lastPathComponent, in: catalog, location: location)
                    let run = try await rewind(
                        [
                            "restore", "--backup", damaged, "--binlogs", binlogs, "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(run.status == 2, "\(run.output)")
                    #expect(run.output.contains("verification"), "\(run.output)")

                    // A stop before the backup's snapshot.
                    try await refused(
                        ["--binlogs", binlogs, "--until-datetime", "2001-01-01 00:00:00"], saying: "older backup")
                    // An unknown transaction.
                    try await refused(["--binlogs", binlogs, "--before", "0-1-999999"], saying: "no such transaction")
                    // A position in a file beyond the binlogs given (it said "not after the backup's snapshot").
                    try await refused(
                        ["--binlogs", binlogs, "--until-position", "mysql-bin.000099:100"],
                        saying: "mysql-bin.000099 is not among the binlogs given")

                    // A target that already holds the tables.
                    try await target.root("CREATE DATABASE inv; CREATE TABLE inv.parts (id INT PRIMARY KEY)")
                    let holding = try await target.root("SHOW DATABASES")
                    let busy = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(busy.status == 2, "\(busy.output)")
                    #expect(busy.output.contains("--force"), "\(busy.output)")
                    #expect(try await target.root("SHOW DATABASES") == holding)
                }

                // An archive whose chain is broken: the file the archiver was reading was purged before it had all of
                // it (incomplete), and the next ones were never archived.
                let archive = try temporaryDirectory("rs-ref-archive")
                defer { try? FileManager.default.removeItem(atPath: archive) }
                let first = try await rewind([
                    "binlog", "archive", "--defaults-file", source.defaultsFile ?? "", "--to", archive,
                ])
                #expect(first.status == 0, "\(first.output)")
                try await source.root(
                    "UPDATE inv.parts SET qty = 0 WHERE id = 1; FLUSH BINARY LOGS; UPDATE inv.parts SET qty = 0 WHERE id = 2; "
                        + "FLUSH BINARY LOGS; UPDATE inv.parts SET qty = 0 WHERE id = 3")
                let current = try await source.position().file
                try await source.root("PURGE BINARY LOGS TO '\(current)'")
                let second = try await rewind([
                    "binlog", "archive", "--defaults-file", source.defaultsFile ?? "", "--to", archive,
                ])
                #expect(second.status == 3, "a gap must be reported: \(second.output)")
                try await SandboxInstance.withInstance(named: "rs-ref-dst2", options: ["--skip-log-bin"]) { target in
                    let untouched = try await target.root("SHOW DATABASES")
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", archive, "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(run.status == 2, "\(run.output)")
                    #expect(run.output.contains("gap") && run.output.contains("stop point before"), "\(run.output)")
                    #expect(try await target.root("SHOW DATABASES") == untouched)
                }

                // The source itself, without renames.
                let own = try await rewind(
                    ["restore", "--backup", backup, "--binlogs", binlogs, "--defaults-file", source.defaultsFile ?? ""])
                #expect(own.status == 2, "\(own.output)")
                #expect(try await source.root("SHOW DATABASES LIKE 'rewind_restore'").isEmpty)
            }
        }
    }
}
