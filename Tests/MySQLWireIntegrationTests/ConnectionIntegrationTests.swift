import BinlogFormat
import MySQLWire
import NIOCore
import RewindTestSupport
import Testing

@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct ConnectionIntegrationTests {
    @Test func logsInWithTheRightPasswordOverTCP() async throws {
        let server = try SandboxServer.required()
        let version = try await MySQLConnection.withConnection(
            configuration: server.configuration(),
            logger: testLogger
        ) {
            connection in
            try await connection.ping()
            let rows = try await connection.rows("SELECT VERSION(), CURRENT_USER()")
            #expect(rows.first?[1].string?.hasPrefix("rewind@") == true)
            return try #require(rows.first?[0].string)
        }
        #expect(version.contains("MariaDB"))
    }

    @Test func logsInOverTheUnixSocket() async throws {
        let server = try SandboxServer.required()
        try #require(server.socket != nil)
        let one = try await MySQLConnection.withConnection(
            configuration: server.configuration(useSocket: true),
            logger: testLogger
        ) { connection in
            try await connection.rows("SELECT 1").first?[0].int64
        }
        #expect(one == 1)
    }

    @Test func wrongPasswordIsAccessDeniedForTheUser() async throws {
        let server = try SandboxServer.required()
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.withConnection(
                configuration: server.configuration(password: "not-the-password"),
                logger: testLogger
            ) { _ in }
        }
        #expect(error?.code == .server)
        #expect(error?.serverError?.code == 1045)
        #expect(error?.serverError?.sqlState == "28000")
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("Access denied for user 'rewind'"))
        #expect(!text.contains("not-the-password"))
        #expect(!text.contains(server.password))
    }

    @Test func multiStatementReturnsOneResultPerStatement() async throws {
        let server = try SandboxServer.required()
        let results = try await MySQLConnection.withConnection(
            configuration: server.configuration(),
            logger: testLogger
        ) {
            try await $0.query("SELECT 1 AS a; DO 0; SELECT 'x' AS b, NULL AS c UNION ALL SELECT 'y', 2")
        }
        try #require(results.count == 3)
        #expect(results[0].columns.map(\.name) == ["a"])
        #expect(results[0].rows.first?[0].int64 == 1)
        #expect(results[1].columns.isEmpty)
        #expect(results[2].rows.count == 2)
        #expect(results[2].rows[0]["c"]?.isNull == true)
        #expect(results[2].rows[1]["b"]?.string == "y")
    }

    @Test func serverErrorCarriesCodeStateAndMessageAndKeepsTheConnection() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            let error = await #expect(throws: MySQLError.self) {
                try await connection.query("SELECT * FROM mysql.no_such_table_here")
            }
            #expect(error?.code == .server)
            #expect(error?.serverError?.code == 1146)
            #expect(error?.serverError?.sqlState == "42S02")
            #expect(error?.serverError?.message.contains("no_such_table_here") == true)
            let two = try await connection.rows("SELECT 2").first?[0].int64
            #expect(two == 2)
        }
    }

    @Test func serverGoingAwayMidQueryFailsTheQuery() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) { victim in
            let victimID = await victim.connectionID
            async let sleeping: Result<[MySQLResultSet], MySQLError> = {
                do { return .success(try await victim.query("SELECT SLEEP(30)")) } catch let error as MySQLError {
                    return .failure(error)
                } catch { return .failure(MySQLError(code: .protocolViolation, reason: "\(error)")) }
            }()
            try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
                killer in
                // Wait until the victim's query runs, then kill its connection.
                for _ in 0..<500 {
                    let running = try await killer.rows(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = \(victimID) AND INFO LIKE 'SELECT SLEEP%'"
                    )
                    if running.first?[0].int64 == 1 { break }
                    await Task.yield()
                }
                _ = try await killer.query("KILL CONNECTION \(victimID)")
            }
            let outcome = await sleeping
            guard case .failure(let error) = outcome else {
                Issue.record("SELECT SLEEP(30) returned instead of failing")
                return
            }
            #expect(error.code == .connectionClosed || error.serverError?.code == 1927)
            await #expect(throws: MySQLError.self) { try await victim.ping() }
        }
    }

    @Test func queryTimeoutClosesTheConnection() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(
            configuration: server.configuration(queryTimeout: .milliseconds(300)),
            logger: testLogger
        ) { connection in
            let error = await #expect(throws: MySQLError.self) { try await connection.query("SELECT SLEEP(5)") }
            #expect(error?.code == .timeout)
        }
    }

    @Test func everyColumnTypeDecodesFromText() async throws {
        let server = try SandboxServer.required()
        let row = try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            _ = try await connection.query(
                """
                CREATE DATABASE IF NOT EXISTS wire_types;
                DROP TABLE IF EXISTS wire_types.all_types;
                CREATE TABLE wire_types.all_types (
                  c_tiny TINYINT, c_utiny TINYINT UNSIGNED, c_small SMALLINT, c_medium MEDIUMINT, c_int INT,
                  c_ubig BIGINT UNSIGNED, c_big BIGINT, c_float FLOAT, c_double DOUBLE, c_decimal DECIMAL(12,4),
                  c_date DATE, c_time TIME(3), c_datetime DATETIME(6), c_timestamp TIMESTAMP NULL, c_year YEAR,
                  c_char CHAR(5), c_varchar VARCHAR(20), c_binary BINARY(3), c_varbinary VARBINARY(8), c_text TEXT,
                  c_blob BLOB, c_enum ENUM('a','b'), c_set SET('x','y','z'), c_bit BIT(12), c_json JSON,
                  c_geometry POINT, c_null INT);
                INSERT INTO wire_types.all_types VALUES (-128, 255, -32768, 8388607, -2147483648,
                  18446744073709551615, -9223372036854775808, 1.5, -2.25, -12345678.1234,
                  '2024-02-29', '-838:59:59.000', '0000-00-00 00:00:00', '2024-01-02 03:04:05', 2155,
                  'ab', 'héllo', x'000102', x'ff', 'text', x'deadbeef', 'b', 'x,z', b'101010101010', '{"k": [1, 2]}',
                  POINT(1, 2), NULL)
                """
            )
            return try #require(try await connection.rows("SELECT * FROM wire_types.all_types").first)
        }
        func value(_ name: String) throws -> MySQLValue { try #require(row[name]).value() }
        #expect(try value("c_tiny") == .signed(-128))
        #expect(try value("c_utiny") == .unsigned(255))
        #expect(try value("c_small") == .signed(-32768))
        #expect(try value("c_medium") == .signed(8_388_607))
        #expect(try value("c_int") == .signed(-2_147_483_648))
        #expect(try value("c_ubig") == .unsigned(.max))
        #expect(try value("c_big") == .signed(.min))
        #expect(try value("c_float") == .float(1.5))
        #expect(try value("c_double") == .double(-2.25))
        #expect(try value("c_decimal") == .decimal("-12345678.1234"))
        #expect(try value("c_date") == .date(MySQLDate(year: 2024, month: 2, day: 29)))
        #expect(
            try value("c_time")
                == .time(
                    MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 0, precision: 3)
                )
        )
        #expect(
            try value("c_datetime")
                == .datetime(
                    MySQLDateTime(
                        date: MySQLDate(year: 0, month: 0, day: 0),
                        hour: 0,
                        minute: 0,
                        second: 0,
                        microseconds: 0,
                        precision: 6
                    )
                )
        )
        #expect(
            try value("c_timestamp")
                == .datetime(
                    MySQLDateTime(
                        date: MySQLDate(year: 2024, month: 1, day: 2),
                        hour: 3,
                        minute: 4,
                        second: 5,
                        microseconds: 0,
                        precision: 0
                    )
                )
        )
        #expect(try value("c_year") == .year(2155))
        #expect(row["c_char"]?.string == "ab")
        #expect(row["c_varchar"]?.string == "héllo")
        #expect(row["c_binary"]?.byteArray == [0, 1, 2])
        #expect(row["c_varbinary"]?.byteArray == [0xFF])
        #expect(row["c_text"]?.string == "text")
        #expect(row["c_blob"]?.byteArray == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(row["c_enum"]?.string == "b")
        #expect(row["c_enum"]?.column.isEnum == true)
        #expect(row["c_set"]?.string == "x,z")
        #expect(row["c_set"]?.column.isSet == true)
        #expect(try value("c_bit") == .bit([0x0A, 0xAA], bitCount: 12))
        #expect(row["c_json"]?.string == #"{"k": [1, 2]}"#)
        #expect(try value("c_geometry") == .geometry(try #require(row["c_geometry"]?.byteArray)))
        #expect(row["c_geometry"]?.byteArray?.count == 25)
        #expect(try value("c_null") == .null)
        #expect(
            row.columns.map(\.type) == [
                .tiny, .tiny, .short, .int24, .long, .longlong, .longlong, .float, .double, .newdecimal, .date, .time,
                .datetime, .timestamp, .year, .string, .varString, .string, .varString, .blob, .blob, .string, .string,
                .bit, .blob, .geometry, .long,
            ]
        )
    }
}
