/// Finds where the statements of SQL text end, the way the `mysql` client does: at the delimiter (`;`, or what a
/// `DELIMITER` line sets) outside quotes, backticks and comments. Fed in pieces of any size.
///
/// It keeps no copy of the text: it hands the text on in runs (as long as it can: a whole piece when no statement
/// ends in it), without the whitespace that starts a statement, and says where each statement ends. The caller
/// collects the runs wherever it wants them (``SQLScriptSplitter`` into an array; a backup load straight into the
/// packet it sends).
package struct SQLStatementScanner {
    /// How the text handed on since the last end ends.
    package enum End: Equatable, Sendable {
        /// A statement: its text is what was handed on, without the last `delimiterBytes` bytes (the delimiter).
        case statement(delimiterBytes: Int)
        /// Not a statement (only whitespace and comments, or a `DELIMITER` line): drop what was handed on.
        case none
    }

    private enum Mode {
        case normal, singleQuote, doubleQuote, backtick, lineComment, blockComment
    }

    private var mode = Mode.normal
    private var escaped = false
    /// The statement has something the server would run (not only whitespace and comments).
    private var hasContent = false
    /// A byte other than whitespace was seen: text is handed on from there.
    private var started = false
    private var delimiter: [UInt8] = [0x3B]
    /// The delimiter's last (up to 8) bytes as ``recent`` holds them.
    private var delimiterBits: UInt64 = 0x3B
    /// Whether the fast path may skip plain bytes in normal mode (no plain byte is part of the delimiter).
    private var plainAllowed = true
    /// The statement's last 8 bytes, the newest in the low byte (for `/*`, `*/`, `--` and the delimiter).
    private var recent: UInt64 = 0
    /// How many bytes the statement has so far (counted up to `Int.max / 2`).
    private var length = 0
    /// The statement's last bytes when the delimiter is longer than 8 bytes (then only).
    private var longTail: [UInt8] = []
    /// The statement's first bytes from its first non-whitespace one, up to 10 (to recognize `DELIMITER `).
    private var head: [UInt8] = []
    /// The head is `DELIMITER ` (set once it has 10 bytes).
    private var isDelimiterLine = false
    /// After a `DELIMITER ` head: the rest of the line so far.
    private var delimiterLine: [UInt8] = []

    package init() {
        self.head.reserveCapacity(10)
    }

    /// Whether text without a delimiter is pending (an unfinished statement).
    package var hasPendingStatement: Bool { self.hasContent }

    /// Scans more text.
    ///
    /// - Parameters:
    ///   - bytes: The next piece of the script.
    ///   - onText: Gets the statement text in runs, in order.
    ///   - onEnd: Gets where a statement (or a stretch that is none) ends, after its last run.
    package mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        text onText: (UnsafeRawBufferPointer) throws -> Void,
        end onEnd: (End) throws -> Void
    ) rethrows {
        let count = bytes.count
        var runStart = 0
        var index = 0
        while index < count {
            // Fast paths step over runs of bytes that cannot change the state (string contents, digits, names).
            var end = index
            if self.mode == .singleQuote, !self.escaped {
                end = bytes.firstQuoteOrBackslash(from: index)
            } else if self.mode == .normal, self.plainAllowed {
                while end < count, Self.isPlain(bytes[end]) { end += 1 }
                if end > index { self.hasContent = true }
            }
            if end > index {
                self.started = true
                self.note(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                index = end
                continue
            }
            let byte = bytes[index]
            if !self.started, Self.isSpace(byte) {
                // Whitespace before a statement is not handed on (it still counts for `--` and the delimiter).
                runStart = index + 1
            } else {
                self.started = true
            }
            if let end = self.consume(byte) {
                if runStart <= index { try onText(UnsafeRawBufferPointer(rebasing: bytes[runStart...index])) }
                try onEnd(end)
                runStart = index + 1
            }
            index += 1
        }
        if self.started, runStart < count { try onText(UnsafeRawBufferPointer(rebasing: bytes[runStart..<count])) }
    }

    /// Ends the input: a statement without a final delimiter ends too.
    package mutating func finish(_ onEnd: (End) throws -> Void) rethrows {
        let end: End = self.hasContent ? .statement(delimiterBytes: 0) : .none
        self.reset()
        try onEnd(end)
    }

    /// Bytes that never change the scanner's state outside quotes and comments: letters, digits and the
    /// punctuation of values lists `(),._+=<>@!` (not quotes, `#`, `-`, `/`, `*`, `;`, whitespace or backslash).
    @inline(__always) private static func isPlain(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte, 0–63 and 64–127, as literals: a static table would be looked up through
        // `swift_once` for every byte.
        let low: UInt64 = 0x73FF_5B02_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF
        if byte < 64 { return low >> UInt64(byte) & 1 == 1 }
        return byte < 128 && high >> UInt64(byte - 64) & 1 == 1
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The statement's byte `back` places before the newest one noted (0 when the statement is shorter).
    private func byte(back: Int) -> UInt8 {
        self.length > back ? UInt8(truncatingIfNeeded: self.recent >> (8 * UInt64(back))) : 0
    }

    /// Records bytes of the statement: its last bytes, its head, and a `DELIMITER` line's rest.
    private mutating func note(_ run: UnsafeRawBufferPointer) {
        let count = run.count
        guard count > 0 else { return }
        if count >= 8 {
            self.recent =
                UInt64(littleEndian: run.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)).byteSwapped
        } else {
            for byte in run { self.recent = self.recent << 8 | UInt64(byte) }
        }
        self.length = min(self.length + count, Int.max / 2)
        if self.delimiter.count > 8 {
            self.longTail.append(contentsOf: run)
            if self.longTail.count > self.delimiter.count {
                self.longTail.removeFirst(self.longTail.count - self.delimiter.count)
            }
        }
        if self.head.count == 10 {
            if self.isDelimiterLine { self.delimiterLine.append(contentsOf: run) }
            return
        }
        var rest = run[...]
        if self.head.isEmpty {
            guard let first = rest.firstIndex(where: { !Self.isSpace($0) }) else { return }
            rest = rest[first...]
        }
        let taken = rest.prefix(10 - self.head.count)
        self.head.append(contentsOf: taken)
        guard self.head.count == 10 else { return }
        self.isDelimiterLine = zip(self.head, Self.delimiterKeyword).allSatisfy { $0 & 0xDF == $1 }
        if self.isDelimiterLine { self.delimiterLine.append(contentsOf: rest.dropFirst(taken.count)) }
    }

    private mutating func note(_ byte: UInt8) {
        if self.delimiter.count <= 8, self.head.count == 10, !self.isDelimiterLine {
            // The usual case, kept short: a byte in the middle of a statement.
            self.recent = self.recent << 8 | UInt64(byte)
            self.length = min(self.length + 1, Int.max / 2)
            return
        }
        withUnsafeBytes(of: byte) { self.note($0) }
    }

    /// `DELIMITER` and a space, as the head compares it (`& 0xDF`).
    private static let delimiterKeyword: [UInt8] = Array("DELIMITER".utf8) + [0x00]

    /// Takes one byte that the fast paths did not; returns how the statement ends if it ends with this byte.
    private mutating func consume(_ byte: UInt8) -> End? {
        let previous = self.byte(back: 0)
        let beforePrevious = self.byte(back: 1)
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
            self.note(byte)
            return nil
        case .lineComment:
            if byte == 0x0A { self.mode = .normal }
            self.note(byte)
            return nil
        case .blockComment:
            // `/*!…*/` runs on the server: it counts as content.
            if byte == 0x21, previous == 0x2A, beforePrevious == 0x2F { self.hasContent = true }
            if byte == 0x2F, previous == 0x2A { self.mode = .normal }
            self.note(byte)
            return nil
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
        case 0x2A where previous == 0x2F:
            self.mode = .blockComment
        case 0x20 where previous == 0x2D && beforePrevious == 0x2D:
            self.mode = .lineComment
        case 0x0A:
            self.note(byte)
            return self.endOfLine()
        case 0x20, 0x09, 0x0D:
            break
        default:
            if byte != 0x2D, byte != 0x2F { self.hasContent = true }
        }
        self.note(byte)
        guard self.mode == .normal, byte == self.delimiter[self.delimiter.count - 1], self.endsWithDelimiter,
            !self.isDelimiterLine
        else { return nil }
        let end: End = self.hasContent ? .statement(delimiterBytes: self.delimiter.count) : .none
        self.reset()
        return end
    }

    /// Whether the statement's last bytes are the delimiter.
    private var endsWithDelimiter: Bool {
        let count = self.delimiter.count
        guard self.length >= count else { return false }
        if count > 8 { return self.longTail.elementsEqual(self.delimiter) }
        let mask: UInt64 = count == 8 ? .max : (1 << (8 * UInt64(count))) - 1
        return self.recent & mask == self.delimiterBits
    }

    /// A newline in normal mode: a `DELIMITER x` line sets the delimiter and is not a statement.
    private mutating func endOfLine() -> End? {
        guard self.isDelimiterLine else { return nil }
        let value = self.delimiterLine.filter { !Self.isSpace($0) }
        if !value.isEmpty {
            self.delimiter = value
            self.delimiterBits = value.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
            self.plainAllowed = !value.contains { Self.isPlain($0) }
        }
        self.reset()
        return End.none
    }

    /// Starts the next statement.
    private mutating func reset() {
        self.hasContent = false
        self.started = false
        self.recent = 0
        self.length = 0
        self.longTail.removeAll(keepingCapacity: true)
        self.head.removeAll(keepingCapacity: true)
        self.isDelimiterLine = false
        self.delimiterLine.removeAll(keepingCapacity: true)
    }
}
