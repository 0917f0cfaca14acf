import Testing

@testable import SQLRendering

@Suite struct SQLScriptSplitterTests {
    private func split(_ text: String, pieceSize: Int = 3) throws -> [String] {
        var splitter = SQLScriptSplitter()
        var statements: [String] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            try bytes[start..<min(bytes.count, start + pieceSize)].withUnsafeBytes { piece in
                try splitter.feed(piece) { statements.append(String(decoding: $0, as: UTF8.self)) }
            }
        }
        try splitter.finish { statements.append(String(decoding: $0, as: UTF8.self)) }
        return statements
    }

    @Test func splitsOutsideQuotesAndComments() throws {
        let text =
            "SET a = 1;\nINSERT INTO t VALUES ('x;y', \"q;\", `c;`, 'it\\'s;');\n-- a comment; here\n# another;\n"
            + "/* block; */ SELECT 1;"
        #expect(
            try self.split(text) == [
                "SET a = 1", "INSERT INTO t VALUES ('x;y', \"q;\", `c;`, 'it\\'s;')",
                "-- a comment; here\n# another;\n/* block; */ SELECT 1",
            ]
        )
    }

    @Test func followsDelimiterLines() throws {
        let text =
            "USE `d`;\nDELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;;\nDELIMITER ;\nSELECT 3;\n"
        #expect(
            try self.split(text, pieceSize: 5) == [
                "USE `d`", "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", "SELECT 3",
            ]
        )
    }

    @Test func executableCommentsAreStatements() throws {
        #expect(try self.split("/*!40101 SET NAMES utf8mb4 */;\n") == ["/*!40101 SET NAMES utf8mb4 */"])
    }
}
