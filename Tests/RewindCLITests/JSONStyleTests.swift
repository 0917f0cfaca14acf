import ArgumentParser
import BinlogFormat
import Foundation
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

@testable import RewindCLI

/// One JSON style (snake_case keys, numbers as numbers), documented in docs/json.md and docs/binlog-json.md and
/// checked against them; help that prints each default once, readably.
@Suite struct JSONStyleTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func doc(_ name: String) throws -> String {
        try String(contentsOf: Self.checkout.appendingPathComponent("docs/\(name)"), encoding: .utf8)
    }

    /// Every key of a JSON value, except the members of objects whose keys are data (event type names, columns).
    static func keys(_ value: Any, skippingChildrenOf dataKeys: Set<String>) -> Set<String> {
        var found: Set<String> = []
        if let object = value as? [String: Any] {
            for (key, child) in object {
                found.insert(key)
                if !dataKeys.contains(key) { found.formUnion(Self.keys(child, skippingChildrenOf: dataKeys)) }
            }
        } else if let array = value as? [Any] {
            for child in array { found.formUnion(Self.keys(child, skippingChildrenOf: dataKeys)) }
        }
        return found
    }

    static func expectDocumented(_ keys: Set<String>, in doc: String, _ what: String) {
        #expect(!keys.isEmpty)
        for key in keys.sorted() {
            #expect(
                key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(what): key \(key) is not snake_case")
            #expect(doc.contains("`\(key)`"), "\(what): key \(key) is not documented")
        }
    }

    @Test func statsJSONKeysAreSnakeCaseAndDocumented() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            return
        }
        let run = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable,
            [
                "binlog", "stats", "--format", "json",
                Fixtures.path("mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001"),
            ])
        #expect(run.status == 0)
        let value = try JSONSerialization.jsonObject(with: Data(run.text.utf8))
        let keys = Self.keys(value, skippingChildrenOf: ["event_types"])
        #expect(keys.contains("previous_gtids"))
        #expect(!run.text.contains("gti_ds"))
        Self.expectDocumented(keys, in: try Self.doc("json.md"), "stats")
    }

    @Test func statusJSONKeysAreSnakeCaseAndDocumented() throws {
        let snapshot = ServerStatusSnapshot(
            version: "10.11.6-MariaDB-log",
            variables: ["log_bin": "ON", "binlog_format": "MIXED", "server_id": "1", "gtid_binlog_pos": "0-1-5"],
            currentFile: "mysql-bin.000002", currentPosition: 342,
            binaryLogs: [.init(name: "mysql-bin.000001", size: 100), .init(name: "mysql-bin.000002", size: 342)])
        let text = try StatusTextRenderer.json(PITRReadiness.evaluate(snapshot))
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let keys = Self.keys(value, skippingChildrenOf: [])
        #expect(keys.contains("current_file") && keys.contains("binary_logs"))
        Self.expectDocumented(keys, in: try Self.doc("json.md"), "status")
    }

    @Test func archiveLogJSONGivesNumbersAsNumbers() throws {
        let log = ArchiveLog(format: .json, directory: "/tmp/archive", follow: false)
        let line = log.render(
            level: "info", event: "file_completed",
            [
                "file": .text("mysql-bin.000001"), "size": .number(UInt64(4096)), "events": .number(12),
                "transactions": .number(3),
            ],
            time: Date(timeIntervalSince1970: 1_700_000_000))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["size"] as? Int == 4096)
        #expect(object["events"] as? Int == 12)
        #expect(object["file"] as? String == "mysql-bin.000001")
        #expect(line.contains("\"size\":4096"))
        Self.expectDocumented(Set(object.keys), in: try Self.doc("json.md"), "archive log")
        let logfmt = ArchiveLog(format: .logfmt, directory: "/tmp/archive").render(
            level: "info", event: "connected", ["position": .number(UInt64(4)), "file": .text("a b")],
            time: Date(timeIntervalSince1970: 0))
        #expect(logfmt.hasSuffix("event=connected file=\"a b\" position=4"))
    }

    /// On a terminal, `archive` without `--follow` stops at the end of the binlog: it must not say it waits.
    @Test func caughtUpSaysWaitingOnlyWithFollow() {
        #expect(!ArchiveLog.caughtUpText(file: "mysql-bin.000002", position: 342, follow: false).contains("waiting"))
        #expect(
            ArchiveLog.caughtUpText(file: "mysql-bin.000002", position: 342, follow: true).contains(
                "waiting for new events"))
    }

    /// `rewind binlog show --format json -v` on corpus files: every key in docs/binlog-json.md, in snake_case.
    @Test func eventJSONKeysAreDocumented() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            return
        }
        let files = [
            "mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001",
            "mysql-binlog-connector-rust/mysql-bin.000057",
        ].map(Fixtures.path)
        let run = try await ChildProcess.runCapturing(
            ChildProcess.rewindExecutable, ["binlog", "show", "-v", "--format", "json"] + files)
        #expect(run.status == 0)
        var keys: Set<String> = []
        for line in run.text.split(separator: "\n") {
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            keys.formUnion(Self.keys(value, skippingChildrenOf: ["before", "after"]))
        }
        Self.expectDocumented(keys, in: try Self.doc("binlog-json.md"), "event")
    }

    /// The value forms docs/binlog-json.md shows are the ones printed.
    @Test func documentedTemporalFormsAreTheOnesPrinted() throws {
        let doc = try Self.doc("binlog-json.md")
        let datetime = MySQLValue.datetime(
            MySQLDateTime(
                date: MySQLDate(year: 2024, month: 1, day: 2), hour: 3, minute: 4, second: 5, microseconds: 678_000,
                precision: 3))
        let printed = datetime.jsonRepresentation(column: ColumnDescriptor(type: .datetime2, metadata: 3))
        #expect(doc.contains("`\(printed)`"), "DATETIME prints as \(printed)")
    }

    @Test func helpPrintsEachDefaultOnceAndReadably() {
        for command in [BinlogShowCommand.self, BinlogArchiveCommand.self, StatusCommand.self, BinlogStatsCommand.self]
            as [any ParsableCommand.Type]
        {
            let help = Rewind.helpMessage(for: command, columns: 10_000)
            #expect(!help.contains("TimeZoneArgument"))
            #expect(
                help.range(of: #"\(default[ :][^)]*\)\.?\s*\(default:"#, options: .regularExpression) == nil, "\(help)")
            #expect(help.range(of: #"\(default \d+\)"#, options: .regularExpression) == nil)
        }
        #expect(Rewind.helpMessage(for: BinlogShowCommand.self, columns: 10_000).contains("(default: UTC)"))
    }
}

/// The deploy validation (`scripts/check_mycnf.py`) reads the PITR requirements from deploy/pitr-requirements.json;
/// that file must be exactly what `rewind status --requirements --format json` prints, so there is one policy.
@Suite struct PITRRequirementsFileTests {
    @Test func theDeployCopyIsTheTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("deploy/pitr-requirements.json")
        let committed = try String(contentsOf: file, encoding: .utf8)
        let generated = try StatusTextRenderer.json(PITRRequirement.table) + "\n"
        #expect(
            committed == generated,
            "deploy/pitr-requirements.json differs from PITRRequirement.table: regenerate it with `rewind status --requirements --format json > deploy/pitr-requirements.json`"
        )
        // And it decodes back to the same table (the expectations' text form round-trips).
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode([PITRRequirement].self, from: Data(committed.utf8))
        #expect(decoded == PITRRequirement.table)
    }
}

/// JSONText's string literals decode back to the text with Foundation's JSON parser, whatever the characters.
@Suite struct JSONTextQuoteTests {
    @Test func everyStringRoundTripsThroughAJSONParser() throws {
        let pieces = ["a", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "é", "東京", "🎉", " ", "/", "\u{7F}", "'"]
        var generator = SplitMix64(seed: 7)
        for length in 0..<200 {
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let literal = JSONText.quote(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(decoded == [text], "\(literal)")
            #expect(JSONText.bytes(Array(text.utf8)) == literal)
        }
        #expect(JSONText.bytes([0xFF, 0x00]) == "{\"base64\":\"/wA=\"}")
    }
}
