/// Splits SQL text into statements the way the `mysql` client does: at the delimiter (`;`, or what a
/// `DELIMITER` line sets) outside quotes, backticks and comments. Fed in pieces of any size, so a compressed file
/// streams through it; a statement is held whole until its delimiter arrives.
package struct SQLScriptSplitter {
    private enum Mode {
        case normal, singleQuote, doubleQuote, backtick, lineComment, blockComment
    }

    private var mode = Mode.normal
    private var escaped = false
    private var pending: [UInt8] = []
    private var hasContent = false
    private var delimiter: [UInt8] = [0x3B]

    package init() {}

    /// Feeds more text; `onStatement` gets each complete statement without its delimiter.
    package mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        _ onStatement: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        // Fast paths append runs of bytes that cannot change the state (string contents, digits, names) at once;
        // every other byte goes through `consume`.
        let count = bytes.count
        let plainAllowed = !self.delimiter.contains { Self.plain[Int($0)] }
        var index = 0
        while index < count {
            var end = index
            if self.mode == .singleQuote, !self.escaped {
                while end < count, bytes[end] != 0x27, bytes[end] != 0x5C { end += 1 }
            } else if self.mode == .normal, plainAllowed {
                while end < count, Self.plain[Int(bytes[end])] { end += 1 }
                if end > index { self.hasContent = true }
            }
            if end > index {
                self.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                index = end
                continue
            }
            try self.consume(bytes[index], onStatement)
            index += 1
        }
    }

    /// Bytes that never change the splitter's state outside quotes and comments: letters, digits and the
    /// punctuation of values lists (not quotes, `#`, `-`, `/`, `*`, `;`, whitespace or backslash).
    private static let plain: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { return true }
        return [0x28, 0x29, 0x2C, 0x2E, 0x5F, 0x2B, 0x3D, 0x3C, 0x3E, 0x40, 0x21].contains(byte)
    }

    /// Ends the input: a statement without a final delimiter is emitted too.
    package mutating func finish(_ onStatement: (UnsafeRawBufferPointer) throws -> Void) throws {
        try self.emitIfContent(onStatement)
        self.pending.removeAll()
    }

    /// Whether text without a delimiter is left (an unfinished statement).
    package var hasPendingStatement: Bool { self.hasContent }

    private mutating func consume(_ byte: UInt8, _ onStatement: (UnsafeRawBufferPointer) throws -> Void) throws {
        self.pending.append(byte)
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
            if byte == 0x0A {
                self.mode = .normal
            }
            return
        case .blockComment:
            // `/*!…*/` runs on the server: it counts as content.
            if byte == 0x21, self.pending.count >= 3, self.pending[self.pending.count - 2] == 0x2A,
                self.pending[self.pending.count - 3] == 0x2F
            {
                self.hasContent = true
            }
            if byte == 0x2F, self.pending.count >= 2, self.pending[self.pending.count - 2] == 0x2A {
                self.mode = .normal
            }
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
        case 0x2A where self.pending.count >= 2 && self.pending[self.pending.count - 2] == 0x2F:
            self.mode = .blockComment
        case 0x20
        where self.pending.count >= 3 && self.pending[self.pending.count - 2] == 0x2D
            && self.pending[self.pending.count - 3] == 0x2D:
            self.mode = .lineComment
        case 0x0A:
            try self.handleDelimiterLine()
            return
        case 0x20, 0x09, 0x0D:
            break
        default:
            if byte != 0x2D, byte != 0x2F { self.hasContent = true }
        }
        if self.mode == .normal, byte == self.delimiter[self.delimiter.count - 1],
            self.pending.count >= self.delimiter.count,
            self.pending.suffix(self.delimiter.count).elementsEqual(self.delimiter), !self.isDelimiterLine()
        {
            self.pending.removeLast(self.delimiter.count)
            try self.emitIfContent(onStatement)
            self.pending.removeAll(keepingCapacity: self.pending.capacity <= 4 << 20)
        }
    }

    /// Whether the pending text is a `DELIMITER x` line (so far).
    private func isDelimiterLine() -> Bool {
        guard let start = self.pending.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            self.pending.count - start >= 10
        else { return false }
        let word = self.pending[start..<start + 10].map { $0 & 0xDF }
        return word.elementsEqual(Array("DELIMITER".utf8).map { $0 & 0xDF } + [0x00])
    }

    private mutating func handleDelimiterLine() throws {
        guard self.isDelimiterLine(),
            let start = self.pending.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        else { return }
        let rest = self.pending[(start + 10)...].filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if !rest.isEmpty { self.delimiter = Array(rest) }
        self.pending.removeAll(keepingCapacity: true)
        self.hasContent = false
    }

    private mutating func emitIfContent(_ onStatement: (UnsafeRawBufferPointer) throws -> Void) throws {
        defer { self.hasContent = false }
        guard self.hasContent else {
            self.pending.removeAll(keepingCapacity: true)
            return
        }
        // Leading whitespace is dropped so that statements compare and log cleanly.
        let start = self.pending.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) ?? 0
        try self.pending[start...].withUnsafeBytes { try onStatement($0) }
    }
}
