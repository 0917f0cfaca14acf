/// One token of a SQL statement, as ``SQLLexer`` splits it.
struct SQLToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// A bare word: a keyword or an unquoted identifier.
        case word
        /// A `` `quoted` `` identifier (the text without the quotes, doubled quotes undone).
        case quotedIdentifier
        /// A string literal ('…' or "…"); the text is not unescaped (only its presence matters here).
        case string
        case number
        /// One punctuation character: `(`, `)`, `,`, `.`, `;`, `=`, …
        case symbol
    }

    var kind: Kind
    var text: String

    /// Whether this is the keyword `keyword` (given upper-case).
    func isKeyword(_ keyword: String) -> Bool {
        self.kind == .word && self.text.uppercased() == keyword
    }

    func isSymbol(_ symbol: Character) -> Bool {
        self.kind == .symbol && self.text.first == symbol
    }

    /// An identifier's name (bare or quoted).
    var identifier: String? {
        self.kind == .word || self.kind == .quotedIdentifier ? self.text : nil
    }
}
