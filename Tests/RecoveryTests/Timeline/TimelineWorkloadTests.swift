import BinlogArchive
import Foundation
import Logging
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// `rewind timeline` on a real MariaDB workload: 500+ ordinary transactions with six destructive ones at seeded
/// random points. Every destructive one is flagged with its reason and repair commands; at most 1% of the others
/// are flagged; files, an archive directory and the server give the same JSON; bad input is named.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct TimelineWorkloadTests {
    static let logger = Logger(label: "rewind.tests.timeline")

    /// A destructive statement and the reason it must be flagged with.
    struct Destructive {
        var sql: String
        var reason: SuspicionReason
    }

    static let destructive: [Destructive] = [
        Destructive(sql: "DELETE FROM shop.sessions", reason: .noWhere),
        Destructive(sql: "DELETE FROM shop.orders WHERE id % 5 <> 0", reason: .largeShare),
        Destructive(sql: "UPDATE shop.customers SET email = NULL", reason: .noWhere),
        Destructive(sql: "TRUNCATE TABLE shop.carts", reason: .truncate),
        Destructive(sql: "DROP TABLE shop.coupons", reason: .dropTable),
        Destructive(sql: "ALTER TABLE shop.products DROP COLUMN legacy_code", reason: .alterDrop),
    ]

    @Test(.timeLimit(.minutes(10)))
    func flagsEveryDestructiveTransactionAndFilesArchiveAndServerAgree() async throws {
        try await SandboxInstance.withInstance(named: "timeline") { server in
            let (files, expected, ordinaryCount) = try await Self.runWorkload(server, seed: 0x7153_9A11)
            #expect(ordinaryCount >= 500)
            let paths = files.map { server.binlogDirectory + "/" + $0 }

            let fromFiles = try await Self.timeline(.files(paths))
            let ordinary = fromFiles.filter { expected[$0.gtid ?? ""] == nil }
            #expect(ordinary.count >= 500)
            for (gtid, reason) in expected {
                let transaction = try #require(fromFiles.first { $0.gtid == gtid }, "no transaction \(gtid)")
                #expect(transaction.suspicious.map(\.reason).contains(reason), "\(gtid): \(transaction.suspicious)")
                // Flashback undoes row changes: it is named for a DELETE or UPDATE, not for DDL, which it refuses.
                let ddl: Set<SuspicionReason> = [.dropTable, .dropDatabase, .truncate, .alterDrop]
                #expect(
                    transaction.repair
                        == ["rewind restore --before \(gtid)", "rewind restore --skip \(gtid)"]
                        + (ddl.contains(reason) ? [] : ["rewind flashback --only \(gtid)"]),
                    "\(gtid): \(reason)"
                )
            }
            let falsePositives = ordinary.filter { !$0.suspicious.isEmpty }
            #expect(
                Double(falsePositives.count) <= Double(ordinary.count) * 0.01,
                "flagged ordinary transactions: \(falsePositives.map { "\($0.identifier) \($0.suspicious)" })"
            )
            // The large batch INSERT and the 1% DELETE are there and not flagged.
            let batch = try #require(
                fromFiles.first { $0.tables.contains { $0.table == "events" && $0.inserted >= 5000 } }
            )
            #expect(batch.suspicious.isEmpty)
            let prune = try #require(
                fromFiles.first { $0.tables.contains { $0.table == "events" && $0.deleted > 0 } }
            )
            #expect(prune.suspicious.isEmpty)
            #expect(prune.tables.first?.rowsBefore == 5000)
            // MariaDB's GTID event has no commit timestamp: the commit event's time, said so.
            #expect(fromFiles.allSatisfy { $0.commitTimeSource == .eventTime })
            #expect(fromFiles.contains { $0.statements.contains("DELETE FROM shop.sessions") })

            // --suspicious lists exactly the flagged ones.
            let flagged = try await Self.timeline(.files(paths), filter: TimelineFilter(onlySuspicious: true))
            #expect(flagged == fromFiles.filter { !$0.suspicious.isEmpty })
            // --table narrows to transactions that touch it (rows or DDL).
            let coupons = try await Self.timeline(
                .files(paths),
                filter: TimelineFilter(tables: [QualifiedTable(database: "shop", table: "coupons")])
            )
            #expect(coupons.contains { $0.suspicious.contains { $0.reason == .dropTable } })
            #expect(coupons.allSatisfy { $0.tables.allSatisfy { $0.table == "coupons" } })

            // The same JSON from an archive directory and from the server.
            let archive = try ArchiveTestDirectory.make("timeline-archive")
            defer { try? FileManager.default.removeItem(atPath: archive) }
            let archiver = BinlogArchiver(
                configuration: server.configuration(),
                options: ArchiveOptions(directory: archive, start: .file(files[0])),
                logger: Self.logger
            )
            _ = try await archiver.run { _ in }
            let fromArchive = try await Self.timeline(.directory(archive))
            let fromServer = try await Self.timeline(
                .remote(files: files, configuration: server.configuration(), serverID: 4_027_000_093)
            )
            let json = Self.json(fromFiles)
            #expect(json.count == fromFiles.count)
            // The archive holds the server's current (empty but for its header) file too: no transactions there.
            #expect(Self.json(fromArchive) == json)
            #expect(Self.json(fromServer) == json)
            // An archive whose open file ends inside an event (an archiver writing it right now): read to its last
            // whole event.
            let index = try JSONDecoder.archiveIndex(at: archive)
            let open = try #require(index.files.last)
            #expect(open.state == .open)
            let tail = archive + "/" + open.name
            let bytes = try Data(contentsOf: URL(fileURLWithPath: tail))
            try (bytes + bytes[4..<34]).write(to: URL(fileURLWithPath: tail))
            #expect(Self.json(try await Self.timeline(.directory(archive))) == json)
            // Through the spool (as for a chart, or after a rate_spike candidate): the same.
            let spooled = try await Self.timeline(.files(paths), windowFirst: true)
            #expect(Self.json(spooled) == json)

            try await Self.badInput(paths)
        }
    }

    /// Not a binlog, cut short, a gap between files: each named, never a crash.
    static func badInput(_ paths: [String]) async throws {
        let directory = try ArchiveTestDirectory.make("timeline-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = directory + "/notes.txt"
        try Data("not a binlog\n".utf8).write(to: URL(fileURLWithPath: text))
        let notBinlog = await #expect(throws: InspectionError.self) { try await Self.timeline(.files([text])) }
        #expect(notBinlog?.underlying.code == .notABinlog)
        #expect(notBinlog?.description.contains("notes.txt") == true)

        let whole = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
        let cut = directory + "/" + (paths[0] as NSString).lastPathComponent
        try whole.prefix(whole.count - 7).write(to: URL(fileURLWithPath: cut))
        let truncated = await #expect(throws: InspectionError.self) { try await Self.timeline(.files([cut])) }
        #expect(truncated?.underlying.code == .truncated)
        #expect(truncated?.underlying.position != nil)

        #expect(paths.count >= 3)
        let gap = await #expect(throws: RecoveryError.self) { try await Self.timeline(.files([paths[0], paths[2]])) }
        let name1 = (paths[1] as NSString).lastPathComponent
        #expect(gap?.description.contains("gap") == true)
        #expect(gap?.description.contains(name1) == true, "\(String(describing: gap))")
    }

    static func timeline(
        _ input: TimelineInput,
        filter: TimelineFilter = TimelineFilter(),
        backup: BackupSchema? = nil,
        windowFirst: Bool = false
    ) async throws -> [TimelineTransaction] {
        var result: [TimelineTransaction] = []
        let reader = TimelineReader(filter: filter, backup: backup)
        _ = try await reader.read(input, logger: Self.logger, windowFirst: windowFirst) {
            result.append($0)
        }
        return result
    }

    static func json(_ transactions: [TimelineTransaction]) -> [String] {
        transactions.map(\.jsonLine)
    }

    /// Runs the workload in fresh binlog files; returns the files, the GTID of each destructive transaction with
    /// its reason, and the number of ordinary statements run.
    static func runWorkload(
        _ server: SandboxServer,
        seed: UInt64
    ) async throws -> (files: [String], expected: [String: SuspicionReason], ordinary: Int) {
        var random = SplitMix64(seed: seed)
        return try await MySQLConnection.withConnection(configuration: server.configuration(), logger: Self.logger) {
            connection in
            _ = try await connection.query("FLUSH BINARY LOGS")
            let first = try #require(try await connection.rows("SHOW MASTER STATUS").first?[0].string)
            _ = try await connection.query(
                """
                CREATE DATABASE shop;
                CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), created DATETIME(3));
                CREATE TABLE shop.orders (id INT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2),
                  status ENUM('new','paid','shipped'), note TEXT);
                CREATE TABLE shop.products (id INT PRIMARY KEY, title VARCHAR(100), price DOUBLE, legacy_code CHAR(8));
                CREATE TABLE shop.sessions (id INT PRIMARY KEY, customer_id INT, token BINARY(16));
                CREATE TABLE shop.carts (id INT PRIMARY KEY, customer_id INT, items JSON);
                CREATE TABLE shop.coupons (code VARCHAR(20) PRIMARY KEY, percent TINYINT);
                CREATE TABLE shop.events (id INT PRIMARY KEY, kind VARCHAR(20), payload BLOB, at TIMESTAMP(6))
                """
            )
            // Some rows everywhere first, so the destructive ones have something to destroy.
            for id in 1...40 {
                _ = try await connection.query(
                    "INSERT INTO shop.sessions VALUES (\(id), \(id % 7), UNHEX(MD5(\(id)))), (\(id + 1000), 1, NULL)"
                )
            }
            for id in 1...30 {
                _ = try await connection.query(
                    "INSERT INTO shop.carts VALUES (\(id), \(id), '[{\"sku\": \(id), \"n\": 2}]');"
                        + " INSERT INTO shop.coupons VALUES ('C\(id)', \(id % 50))"
                )
            }
            _ = try await connection.query(
                "INSERT INTO shop.products SELECT seq, CONCAT('product ', seq), seq * 1.25, 'OLD' FROM shop.seq_1_to_200"
            )
            // Ordinary work, with the destructive statements at random points (never in the first 100).
            let total = 520
            var slots = Array(100..<total).shuffled(using: &random).prefix(Self.destructive.count).sorted()
            let order = Self.destructive.shuffled(using: &random)
            var expected: [String: SuspicionReason] = [:]
            var nextCustomer = 1
            var nextOrder = 1
            var ordinary = 0
            for step in 0..<total {
                if let slot = slots.first, slot == step {
                    slots.removeFirst()
                    let statement = order[expected.count]
                    _ = try await connection.query(statement.sql)
                    let gtid = try #require(try await connection.rows("SELECT @@last_gtid").first?[0].string)
                    expected[gtid] = statement.reason
                }
                ordinary += 1
                switch step {
                case 250:
                    // One large batch INSERT: 5,000 rows in one statement.
                    _ = try await connection.query(
                        "INSERT INTO shop.events SELECT seq, ELT(1 + seq % 3, 'view', 'click', 'buy'), "
                            + "REPEAT('x', seq % 50), '2026-11-30 08:00:00.000001' + INTERVAL seq SECOND "
                            + "FROM shop.seq_1_to_5000"
                    )
                    continue
                case 400:
                    // One legitimate DELETE of 1% of a table, by key range.
                    _ = try await connection.query("DELETE FROM shop.events WHERE id BETWEEN 1001 AND 1050")
                    continue
                default:
                    break
                }
                switch random.next() % 6 {
                case 0, 1:
                    _ = try await connection.query(
                        "INSERT INTO shop.customers VALUES (\(nextCustomer), 'Customer \(nextCustomer)', "
                            + "'c\(nextCustomer)@example.com', NOW(3))"
                    )
                    nextCustomer += 1
                case 2:
                    let customer = max(1, nextCustomer - 1)
                    _ = try await connection.query(
                        """
                        BEGIN;
                        INSERT INTO shop.orders VALUES (\(nextOrder), \(customer), \(random.next() % 10_000) / 100, 'new', NULL),
                          (\(nextOrder + 1), \(customer), 12.50, 'new', 'gift');
                        UPDATE shop.products SET price = price + 0.01 WHERE id = \(1 + random.next() % 200);
                        COMMIT
                        """
                    )
                    nextOrder += 2
                case 3:
                    _ = try await connection.query(
                        "UPDATE shop.orders SET status = 'paid' WHERE id = \(1 + random.next() % UInt64(max(1, nextOrder)))"
                    )
                case 4:
                    _ = try await connection.query(
                        "UPDATE shop.customers SET name = CONCAT(name, '.') WHERE id = \(1 + random.next() % UInt64(max(1, nextCustomer)))"
                    )
                default:
                    _ = try await connection.query(
                        "INSERT INTO shop.orders VALUES (\(nextOrder), 1, 5.00, 'new', REPEAT('n', \(random.next() % 300)))"
                    )
                    nextOrder += 1
                }
            }
            // Two more files after, for the gap check.
            _ = try await connection.query("FLUSH BINARY LOGS")
            _ = try await connection.query("INSERT INTO shop.customers VALUES (100000, 'late', NULL, NOW(3))")
            _ = try await connection.query("FLUSH BINARY LOGS")
            _ = try await connection.query("FLUSH BINARY LOGS")
            let logs = try await connection.rows("SHOW BINARY LOGS").compactMap { $0[0].string }
            let start = try #require(logs.firstIndex(of: first))
            return (Array(logs[start..<(logs.count - 1)]), expected, ordinary)
        }
    }
}

extension JSONDecoder {
    static func archiveIndex(at directory: String) throws -> ArchiveIndex {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(
            ArchiveIndex.self,
            from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + ArchiveIndex.fileName))
        )
    }
}
