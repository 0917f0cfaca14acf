import Foundation
import RewindTestSupport
import Testing

/// One row event of tens of megabytes (a BLOB row): `binlog show -v` writes its rows in pieces instead of holding its
/// text (several times the event) in memory, and reads the event to its end and no further, so its peak memory is
/// about the event's size, not five times it (1.78 GB for a 300 MB event before). The rows are the ones
/// mariadb-binlog prints.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/test starts it)"))
struct HugeEventTests {
    /// `ab\`, NUL, `'c`, newline: 7 bytes, every one of which but `a`, `b` and `c` is escaped in the text.
    static let piece = "CONCAT('ab\\\\', CHAR(0), '''c', CHAR(10))"
    static let pieceBytes = 7
    static let repeats = 7 << 20  // 49 MiB: over the 16 MiB from which rows are streamed

    @Test(.timeLimit(.minutes(10)))
    func aHugeRowEventIsShownInPiecesWithTheRowsMariaDBBinlogPrints() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-huge-\(UUID())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await SandboxInstance.withInstance(named: "huge-event", options: ["--max-allowed-packet=1G"]) { server in
            func sql(_ text: String) async throws -> String {
                try await SandboxInstance.runOffPool(
                    ["--defaults-file=\(server.defaultsFile ?? "")", "-N", "-B", "-e", text], executable: "mariadb")
            }
            _ = try await sql("FLUSH BINARY LOGS")
            let file =
                server.binlogDirectory + "/" + String(try await sql("SHOW MASTER STATUS").split(separator: "\t")[0])
            // MyISAM: InnoDB refuses a BLOB over a tenth of its redo log (the sandbox's is 64 MiB).
            _ = try await sql(
                "CREATE DATABASE huge; CREATE TABLE huge.t (id INT PRIMARY KEY, b LONGBLOB) ENGINE=MyISAM; "
                    + "INSERT INTO huge.t VALUES (1, 'small'); "
                    + "INSERT INTO huge.t VALUES (2, REPEAT(\(Self.piece), \(Self.repeats))); "
                    + "DELETE FROM huge.t WHERE id = 2; INSERT INTO huge.t VALUES (3, 'after')")
            _ = try await sql("FLUSH BINARY LOGS")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber).intValue
            #expect(size > 2 * Self.pieceBytes * Self.repeats, "both row events are in \(file): \(size) bytes")

            let log = scratch + "/show.log"
            let child = try ChildProcess(
                PeakMemory.command([try ChildProcess.rewindExecutable, "binlog", "show", "-v", file]), outputPath: log)
            let status = await child.wait()
            let output = try Self.tail(of: log)  // the wrapper's figure and any error: the output is 200 MB
            let peak = try #require(PeakMemory.peakResidentBytes(in: output), "no peak reported")
            print(
                "binlog show -v of two \(Self.pieceBytes * Self.repeats >> 20) MiB row events: peak RSS \(peak >> 20) MiB"
            )
            #expect(status == 0, "\(output.suffix(2000))")
            // The event (49 MiB) and the program (about 60 MiB, debug build); it was over 280 MiB.
            #expect(peak < (Self.pieceBytes * Self.repeats) + (100 << 20), "peak RSS \(peak >> 20) MiB")

            // The rows against mariadb-binlog's, compared by grep, sed and cmp: the lines are tens of megabytes.
            // mariadb-binlog does not print the column names that binlog_row_metadata=FULL brings.
            let compare = """
                set -euo pipefail
                grep -a '^###' '\(log)' | sed -E 's| /\\* [a-z_]+ \\*/$||' > '\(scratch)/ours'
                mariadb-binlog -v --base64-output=decode-rows '\(file)' | grep -a '^###' > '\(scratch)/theirs'
                cmp '\(scratch)/ours' '\(scratch)/theirs' >&2
                wc -l < '\(scratch)/ours'
                awk '{ if (length($0) > longest) longest = length($0) } END { print longest }' '\(scratch)/ours'
                """
            let answer = try await SandboxInstance.runOffPool(["-c", compare], executable: "bash")
                .split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            #expect(answer.count == 2, "the comparison failed: \(answer)")
            #expect((answer.first ?? 0) >= 12, "row lines: \(answer)")
            #expect((answer.last ?? 0) > Self.pieceBytes * Self.repeats, "the BLOB's line is whole: \(answer)")

            // The same with --format json: the rows of each huge event are written in pieces too (the BLOB as base64,
            // 65 MiB on one line), and each BLOB decodes to the bytes the server was given (python's json and base64
            // read them, not rewind); every row count is the number of rows.
            let json = scratch + "/show.json"
            let jsonChild = try ChildProcess(
                PeakMemory.command([
                    try ChildProcess.rewindExecutable, "binlog", "show", "-v", "--format", "json", file,
                ]), outputPath: json)
            let jsonStatus = await jsonChild.wait()
            let jsonTail = try Self.tail(of: json)
            let jsonPeak = try #require(PeakMemory.peakResidentBytes(in: jsonTail), "no peak reported")
            print("binlog show -v --format json of the same: peak RSS \(jsonPeak >> 20) MiB")
            #expect(jsonStatus == 0, "\(jsonTail.suffix(2000))")
            #expect(jsonPeak < (Self.pieceBytes * Self.repeats) + (100 << 20), "peak RSS \(jsonPeak >> 20) MiB")
            let check = """
                import base64, json, sys
                blobs = 0
                for line in open(sys.argv[1], 'rb'):
                    if not line.startswith(b'{'):
                        continue  # the peak-memory wrapper's line
                    event = json.loads(line)
                    if 'rows' not in event:
                        continue
                    assert event['row_count'] == len(event['rows']), event['row_count']
                    for change in event['rows']:
                        for image in change.values():
                            if image['id'] == 2:
                                assert base64.b64decode(image['b']['base64']) == b"ab\\\\\\x00'c\\n" * int(sys.argv[2])
                                blobs += 1
                print(blobs)
                """
            let blobs = try await SandboxInstance.runOffPool(
                ["-c", check, json, "\(Self.repeats)"], executable: "python3")
            #expect(
                blobs.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "the BLOB in the INSERT and the DELETE")

            // A damaged huge event (its BLOB claims 1,000 bytes more than there are; checksums not verified): it was
            // written as it rendered, so the output ends inside it, and says so; --force-read marks it and goes on.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            let length = withUnsafeBytes(of: UInt32(Self.pieceBytes * Self.repeats).littleEndian) { Data($0) }
            let at = try #require(bytes.range(of: length), "the BLOB's length prefix")
            bytes.replaceSubrange(
                at, with: withUnsafeBytes(of: UInt32(Self.pieceBytes * Self.repeats + 1000).littleEndian) { Data($0) })
            let damaged = scratch + "/" + (file as NSString).lastPathComponent
            try bytes.write(to: URL(fileURLWithPath: damaged))
            bytes = Data()
            for force in [false, true] {
                let run = try ChildProcess(
                    [try ChildProcess.rewindExecutable, "binlog", "show", "-v", "--no-verify-checksums", damaged]
                        + (force ? ["--force-read"] : []), outputPath: scratch + "/damaged.log")
                #expect(await run.wait() == 1)
                let tail = try Self.tail(of: scratch + "/damaged.log")
                #expect(tail.contains("need \(Self.pieceBytes * Self.repeats + 1000) bytes"), "\(tail)")
                if force {
                    let log = "'\(scratch)/damaged.log'"
                    let marks = try await SandboxInstance.runOffPool(
                        [
                            "-c",
                            "grep -a -c -e '^# rewind: the event above is cut short here' -e \"@2='after'\" \(log)",
                        ],
                        executable: "bash")
                    #expect(marks.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "the mark and the row after")
                    #expect(tail.contains("1 event too large to hold back shown cut short"), "\(tail)")
                } else {
                    #expect(tail.contains("the output ends inside that event"), "\(tail)")
                }
            }
        }
    }

    /// The last 4 KiB of a file.
    static func tail(of path: String) throws -> String {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        try handle.seek(toOffset: end > 4096 ? end - 4096 : 0)
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }
}
