import RewindTestSupport
import Testing

@testable import SQLRendering

/// The scanner splits like the byte-at-a-time splitter it replaced (kept here as the reference), on random scripts
/// cut into random pieces, and hands on text in runs rather than byte by byte.
@Suite struct SQLStatementScannerTests {
    /// Statements by the scanner, fed `pieces`.
    static func scan(_ pieces: [[UInt8]]) -> [[UInt8]] {
        var scanner = SQLStatementScanner()
        var statements: [[UInt8]] = []
        var text: [UInt8] = []
        let end = { (end: SQLStatementScanner.End) in
            if case .statement(let delimiterBytes) = end { statements.append(Array(text.dropLast(delimiterBytes))) }
            text.removeAll()
        }
        for piece in pieces {
            piece.withUnsafeBytes { scanner.feed($0, text: { text.append(contentsOf: $0) }, end: end) }
        }
        scanner.finish(end)
        return statements
    }

    @Test func randomScriptsSplitAsTheReferenceDoes() {
        var random = SplitMix64(seed: 8)
        let atoms: [String] = [
            "INSERT INTO t VALUES (1,'a;b','c\\'d;'),(2,NULL,'x''y')", "SELECT 1", ";", ";", " ", "\n", "\t", "'", "\"",
            "`", "\\", "-- c;\n", "--x;", "# h;\n", "/* b; */", "/*!40101 SET a=1 */", "*/", "/*", "DELIMITER ;;\n",
            "DELIMITER ;\n", "DELIMITER $$\n", "delimiter //\n", "$$", "//", ";;", "END", "-", "/", "*", "é", "abc",
            "12.5e-3", "(", ")", ",", "  DELIMITER ;\n",
        ]
        for round in 0..<2000 {
            var script: [UInt8] = []
            for _ in 0..<Int(random.next() % 40) {
                script += Array(atoms[Int(random.next() % UInt64(atoms.count))].utf8)
            }
            var pieces: [[UInt8]] = []
            var start = 0
            while start < script.count {
                let size = 1 + Int(random.next() % (round % 2 == 0 ? 4 : 64))
                pieces.append(Array(script[start..<min(script.count, start + size)]))
                start += size
            }
            let expected = ReferenceSplitter.split(pieces)
            let got = Self.scan(pieces)
            #expect(got == expected, "script \(String(decoding: script, as: UTF8.self).debugDescription)")
            if got != expected { return }
        }
    }

    @Test func textArrivesInRunsNotBytes() {
        let script = Array("INSERT INTO t VALUES (1,'abc'),(2,'d\\'e');\nSELECT 1;".utf8)
        var scanner = SQLStatementScanner()
        var runs = 0
        var ends: [SQLStatementScanner.End] = []
        script.withUnsafeBytes { scanner.feed($0, text: { _ in runs += 1 }, end: { ends.append($0) }) }
        scanner.finish { ends.append($0) }
        // One run up to the first delimiter, one after it (the newline before SELECT is dropped).
        #expect(runs == 2)
        #expect(ends == [.statement(delimiterBytes: 1), .statement(delimiterBytes: 1), .none])
    }

    @Test func quoteScanFindsTheFirstQuoteOrBackslash() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in
                [0x27, 0x5C, 0x61, 0x00, 0xFF, 0x26, 0x28][Int(random.next() % 7)] as UInt8
            }
            let start = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            let expected = bytes[start...].firstIndex { $0 == 0x27 || $0 == 0x5C } ?? bytes.count
            #expect(bytes.withUnsafeBytes { $0.firstQuoteOrBackslash(from: start) } == expected)
        }
    }
}

/// The splitter as it was before the scanner (one byte at a time into one array), as the reference.
private struct ReferenceSplitter {
    enum Mode { case normal, singleQuote, doubleQuote, backtick, lineComment, blockComment }
    var mode = Mode.normal
    var escaped = false
    var pending: [UInt8] = []
    var hasContent = false
    var delimiter: [UInt8] = [0x3B]
    var statements: [[UInt8]] = []

    static func split(_ pieces: [[UInt8]]) -> [[UInt8]] {
        var splitter = ReferenceSplitter()
        for piece in pieces { for byte in piece { splitter.consume(byte) } }
        splitter.emitIfContent()
        return splitter.statements
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    mutating func consume(_ byte: UInt8) {
        self.pending.append(byte)
        let count = self.pending.count
        switch self.mode {
        case .singleQuote, .doubleQuote, .backtick:
            if self.escaped {
                self.escaped = false
            } else if byte == 0x5C, self.mode != .backtick {
                self.escaped = true
            } else if (byte == 0x27 && self.mode == .singleQuote) || (byte == 0x22 && self.mode == .doubleQuote)
                || (byte == 0x60 && self.mode == .backtick)
            {
                self.mode = .normal
            }
            return
        case .lineComment:
            if byte == 0x0A { self.mode = .normal }
            return
        case .blockComment:
            if byte == 0x21, count >= 3, self.pending[count - 2] == 0x2A, self.pending[count - 3] == 0x2F {
                self.hasContent = true
            }
            if byte == 0x2F, count >= 2, self.pending[count - 2] == 0x2A { self.mode = .normal }
            return
        case .normal:
            break
        }
        switch byte {
        case 0x27:
            self.mode = .singleQuote
            self.hasContent = true
        case 0x22:
            self.mode = .doubleQuote
            self.hasContent = true
        case 0x60:
            self.mode = .backtick
            self.hasContent = true
        case 0x23: self.mode = .lineComment
        case 0x2A where count >= 2 && self.pending[count - 2] == 0x2F: self.mode = .blockComment
        case 0x20 where count >= 3 && self.pending[count - 2] == 0x2D && self.pending[count - 3] == 0x2D:
            self.mode = .lineComment
        case 0x0A:
            self.handleDelimiterLine()
            return
        case 0x20, 0x09, 0x0D:
            break
        default:
            if byte != 0x2D, byte != 0x2F { self.hasContent = true }
        }
        if self.mode == .normal, byte == self.delimiter.last, count >= self.delimiter.count,
            self.pending.suffix(self.delimiter.count).elementsEqual(self.delimiter), !self.isDelimiterLine()
        {
            self.pending.removeLast(self.delimiter.count)
            self.emitIfContent()
        }
    }

    func isDelimiterLine() -> Bool {
        guard let start = self.pending.firstIndex(where: { !Self.isSpace($0) }), self.pending.count - start >= 10
        else { return false }
        return self.pending[start..<start + 10].map { $0 & 0xDF } == Array("DELIMITER".utf8) + [0]
    }

    mutating func handleDelimiterLine() {
        guard self.isDelimiterLine(), let start = self.pending.firstIndex(where: { !Self.isSpace($0) }) else { return }
        let rest = self.pending[(start + 10)...].filter { !Self.isSpace($0) }
        if !rest.isEmpty { self.delimiter = Array(rest) }
        self.pending.removeAll()
        self.hasContent = false
    }

    mutating func emitIfContent() {
        defer {
            self.hasContent = false
            self.pending.removeAll()
        }
        guard self.hasContent else { return }
        // The old splitter handed on a statement of only whitespace (`\n;`) as that whitespace; the scanner hands
        // it on empty. Both are an empty query to the server.
        let start = self.pending.firstIndex { !Self.isSpace($0) } ?? self.pending.count
        self.statements.append(Array(self.pending[start...]))
    }
}
