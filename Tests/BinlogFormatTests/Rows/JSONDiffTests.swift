import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct JSONDiffTests {
    @Test func decodesReplaceFromMySQL8() throws {
        // The JSON column of a PARTIAL_UPDATE_ROWS_EVENT after image (rust_mysql_common/json.binlog.000001):
        // 11 bytes: replace, "$.age", int16 26.
        var buffer = RowValueTestSupport.buffer("0b000000 00 05 242e616765 03 051a00")
        let diffs = try JSONDiff.decodeList(from: &buffer)
        #expect(diffs == [JSONDiff(operation: .replace, path: "$.age", value: .int(26))])
        #expect(buffer.readableBytes == 0)
        #expect(JSONDiff.sqlExpression(diffs, columnNumber: 2) == "JSON_REPLACE(@2, '$.age', 26)")
    }

    @Test func insertAndRemoveNest() throws {
        var buffer = RowValueTestSupport.buffer("13000000 01 03 242e62 08 0201000700050100 02 03 242e63")
        let diffs = try JSONDiff.decodeList(from: &buffer)
        #expect(
            diffs == [
                JSONDiff(operation: .insert, path: "$.b", value: .array([.int(1)])),
                JSONDiff(operation: .remove, path: "$.c", value: nil),
            ]
        )
        #expect(
            JSONDiff.sqlExpression(diffs, columnNumber: 3)
                == "JSON_REMOVE(JSON_INSERT(@3, '$.b', CAST('[1]' AS JSON)), '$.c')"
        )
    }

    @Test func sqlQuotesStringsAndPaths() {
        let diffs = [
            JSONDiff(operation: .replace, path: "$.\"it's\"", value: .string("a'b\\c")),
            JSONDiff(operation: .replace, path: "$.n", value: .null),
            JSONDiff(operation: .insert, path: "$.d", value: .decimal("1.50")),
        ]
        #expect(
            JSONDiff.sqlExpression(diffs, columnNumber: 1)
                == #"JSON_INSERT(JSON_REPLACE(JSON_REPLACE(@1, '$."it\'s"', 'a\'b\\c'), '$.n', CAST('null' AS JSON)), '$.d', 1.50)"#
        )
    }

    @Test(arguments: ["05000000 03 01 24 01 04", "03000000 00 05 24", "0400", "02000000 00 01"])
    func brokenListsThrow(hex: String) {
        var buffer = RowValueTestSupport.buffer(hex)
        let error = #expect(throws: BinlogDecodingError.self) { try JSONDiff.decodeList(from: &buffer) }
        #expect(error?.code == (hex.hasPrefix("05") ? .malformed : .truncated))
    }
}
