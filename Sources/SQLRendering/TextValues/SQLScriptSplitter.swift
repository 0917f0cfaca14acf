/// Splits SQL text into statements the way the `mysql` client does (``SQLStatementScanner``): at the delimiter
/// (`;`, or what a `DELIMITER` line sets) outside quotes, backticks and comments. Fed in pieces of any size, so a
/// compressed file streams through it; a statement is held whole until its delimiter arrives.
package struct SQLScriptSplitter {
    private var scanner = SQLStatementScanner()
    private var pending: [UInt8] = []

    package init() {}

    /// Feeds more text; `onStatement` gets each complete statement without its delimiter or leading whitespace.
    package mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        _ onStatement: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        // The scanner and the text are separate values, so that the closures may change one while the other runs.
        var pending: [UInt8] = []
        swap(&pending, &self.pending)
        defer { swap(&pending, &self.pending) }
        try self.scanner.feed(
            bytes,
            text: { pending.append(contentsOf: $0) },
            end: { try Self.emit($0, &pending, onStatement) }
        )
    }

    /// Ends the input: a statement without a final delimiter is emitted too.
    package mutating func finish(_ onStatement: (UnsafeRawBufferPointer) throws -> Void) throws {
        var pending: [UInt8] = []
        swap(&pending, &self.pending)
        defer { swap(&pending, &self.pending) }
        try self.scanner.finish { try Self.emit($0, &pending, onStatement) }
        pending.removeAll()
    }

    /// Whether text without a delimiter is left (an unfinished statement).
    package var hasPendingStatement: Bool { self.scanner.hasPendingStatement }

    private static func emit(
        _ end: SQLStatementScanner.End,
        _ pending: inout [UInt8],
        _ onStatement: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if case .statement(let delimiterBytes) = end {
            try pending.withUnsafeBytes {
                try onStatement(UnsafeRawBufferPointer(rebasing: $0.dropLast(delimiterBytes)))
            }
        }
        pending.removeAll(keepingCapacity: pending.capacity <= 4 << 20)
    }
}
