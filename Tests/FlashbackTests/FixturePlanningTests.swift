import Foundation
import RewindTestSupport
import Testing

@testable import Flashback

/// Real binlogs of the corpus, without a server: MySQL 8 and MariaDB files written without
/// `binlog_row_metadata=FULL` are refused with the setting to change, at the file and byte offset of the rows.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct FixturePlanningTests {
    @Test(arguments: [
        ("rust_mysql_common/json.binlog.000001", "json.binlog.000001:1059", "mysql.t"),
        (
            "mariadb-test-data/std_data/mdev6020-mysql-bin.000001", "mdev6020-mysql-bin.000001:2873",
            "test.table1_int_autoinc"
        ),
    ])
    func binlogsWithoutColumnNamesAreRefused(file: String, at: String, table: String) throws {
        let path = Fixtures.path(file)
        let name = String(file.split(separator: "/").last!)
        let error = #expect(throws: FlashbackError.self) {
            try FlashbackPlanner(selection: FlashbackSelection(since: .position(file: name, offset: 0))).plan(paths: [
                path
            ])
        }
        #expect(error?.code == .refused)
        #expect(error?.description.hasPrefix(at + ": ") == true)
        #expect(error?.description.contains("columns of \(table)") == true)
        #expect(error?.description.contains("binlog_row_metadata=FULL") == true)
    }

    @Test func aTransactionThatIsNotThereIsASelectionError() throws {
        let path = Fixtures.path("rust_mysql_common/json.binlog.000001")
        let error = #expect(throws: FlashbackError.self) {
            try FlashbackPlanner(
                selection: FlashbackSelection(only: [.position(file: "json.binlog.000001", offset: 5)])
            )
            .plan(paths: [path])
        }
        #expect(error?.code == .selection)
        #expect(error?.description.contains("json.binlog.000001:5 is not in the binlogs read") == true)
    }
}
