import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogFormat

/// Values of the corpus binlogs whose content is known (the golden notes in the corpus's SOURCES.md).
@Suite struct FixtureRowValueTests {
    @Test func jsonOpaqueGoldenDocuments() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let rows = try FixtureRowValues.rows("rust_mysql_common/json-opaque.binlog")
        let texts = rows.compactMap { row -> String? in
            guard case .json(let document)? = row.change.after?.values.first else { return nil }
            return document.canonicalText
        }
        #expect(
            texts == [
                #"{"a": "base64:type15:VQ=="}"#, #"{"b": "2012-03-18"}"#, #"{"c": "2012-03-18 11:30:45.000000"}"#,
                #"{"c": "87:31:46.654321"}"#, #"{"d": 123.456}"#, #"{"e": 9.00}"#, #"{"e": [0, 1, true, false]}"#,
                #"{"e": null}"#,
            ]
        )
    }

    @Test func partialJSONUpdatesFromMySQL8() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let rows = try FixtureRowValues.rows("rust_mysql_common/json.binlog.000001")
        let documents = rows.compactMap { row -> String? in
            guard case .json(let document)? = row.change.after?.values[1] else { return nil }
            return document.canonicalText
        }
        #expect(documents.first == #"{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}"#)
        let diffs = rows.compactMap { $0.change.after?.jsonDiffs[1] }
        #expect(diffs.count == 6)
        #expect(diffs.first == [JSONDiff(operation: .replace, path: "$.age", value: .int(26))])
        #expect(diffs.map { JSONDiff.sqlExpression($0, columnNumber: 2) }.last == "JSON_REPLACE(@2, '$.age', 42)")
    }

    @Test func partialJSONUpdateInsideACompressedTransaction() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let rows = try FixtureRowValues.rows("mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001")
        let diffs = rows.compactMap { $0.change.after?.jsonDiffs[1] }
        #expect(diffs.count == 1)
        #expect(diffs.first?.first?.operation == .replace)
        #expect(diffs.first?.first?.path == "$.b")
    }

    @Test func negativeTimeBeyondOneDay() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let rows = try FixtureRowValues.rows("rust_mysql_common/time_issue.000001")
        let value = try #require(rows.first?.change.after?.values.first ?? nil)
        #expect(
            value
                == .time(
                    MySQLTime(isNegative: true, hours: 507, minutes: 48, seconds: 27, microseconds: 0, precision: 0)
                )
        )
    }

    @Test func bitColumns() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let row = try #require(try FixtureRowValues.rows("rust_mysql_common/mysql_type_bit.000001").first)
        let values = try #require(row.change.after?.values)
        #expect(values[0].map { $0.verboseText(column: row.table.columns[0]) } == "b'100'")
        #expect(values[1] == .string(Array("foo".utf8), collation: row.table.columns[1].collation))
        #expect(values[2].map { $0.jsonRepresentation(column: row.table.columns[2]) } == "32")
    }

    @Test func vectors() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let rows = try FixtureRowValues.rows("rust_mysql_common/vector.binlog")
        #expect(rows[0].change.after?.values[1] == .vector([1.1, 2.2, 3.3]))
        #expect(rows[1].change.after?.values[1] == .vector([1.0, -1.0, 0.0]))
        #expect(
            rows[0].change.after?.values[1]?.jsonRepresentation(column: rows[0].table.columns[1]) == "[1.1, 2.2, 3.3]"
        )
    }

    @Test func unsignedFromMinimalMetadata() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        let row = try #require(try FixtureRowValues.rows("rust_mysql_common/minimal_row_metadata.000001").first)
        // binlog_row_image=MINIMAL: the INT UNSIGNED is the 5th column (@4 of the image).
        let column = row.table.columns[4]
        #expect(column.isUnsigned == true)
        #expect(row.change.after?.values[4] == .unsigned(3_230_202_323))
        // mariadb-binlog ignores SIGNEDNESS: it prints the value as signed, then unsigned.
        #expect(row.change.after?.values[4]?.verboseText(column: column) == "-1064764973 (3230202323)")
        #expect(row.change.after?.values[4]?.jsonRepresentation(column: column) == "3230202323")
    }

    @Test func enumAndSetNamesFromFullMetadata() throws {
        guard FixtureRowValues.corpusAvailable() else { return }
        // ENUM('var1','variant2','foo') and SET('one','two','three','four'): inserted as var1 / one,three,
        // then updated to variant2 / two,four.
        let rows = try FixtureRowValues.rows("rust_mysql_common/mysql-enum-string-set.000001")
            .filter { $0.table.columns.contains { $0.realType == .enum } }
        let columns = try #require(rows.first?.table.columns)
        let enumIndex = try #require(columns.firstIndex { $0.realType == .enum })
        let setIndex = try #require(columns.firstIndex { $0.realType == .set })
        let inserted = try #require(rows.first?.change.after?.values)
        #expect(inserted[enumIndex] == .enumeration(1))
        #expect(inserted[enumIndex]?.verboseText(column: columns[enumIndex]) == "1")
        #expect(inserted[enumIndex]?.jsonRepresentation(column: columns[enumIndex]) == #""var1""#)
        #expect(inserted[setIndex] == .set(0b0101))
        #expect(inserted[setIndex]?.verboseText(column: columns[setIndex]) == "b'00000101'")
        #expect(inserted[setIndex]?.jsonRepresentation(column: columns[setIndex]) == #""one,three""#)
        let updated = try #require(
            rows.first { $0.change.before != nil && $0.change.after != nil }?.change.after?.values
        )
        #expect(updated[enumIndex]?.jsonRepresentation(column: columns[enumIndex]) == #""variant2""#)
        #expect(updated[setIndex]?.jsonRepresentation(column: columns[setIndex]) == #""two,four""#)
    }
}
