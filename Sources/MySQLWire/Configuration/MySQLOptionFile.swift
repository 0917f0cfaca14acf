/// A MySQL option file (`my.cnf`, `--defaults-file`): `[group]` headers and `key = value` lines.
///
/// Keys are lower-cased and `_` becomes `-` (as the `mysql` client treats them); values may be quoted with `'` or `"`
/// and use the escapes `\n`, `\t`, `\\`, `\"`, `\'`. Lines starting with `#` or `;` are comments; `!include` lines are
/// ignored. Later values override earlier ones.
public struct MySQLOptionFile: Equatable, Sendable {
    /// Options by group name (lower-case), then by key.
    public var groups: [String: [String: String]]
    /// The 1-based line each option was read from, by group and key (for errors that name the line).
    public var lineNumbers: [String: [String: Int]] = [:]
    /// Lines that are neither a comment, a `[group]` header nor an option (a header without its `]`): the 1-based
    /// line number and the line. The `mysql` client refuses such a file; the caller says where the line is.
    public var malformedLines: [(line: Int, text: String)] = []

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.groups == rhs.groups && lhs.lineNumbers == rhs.lineNumbers
            && lhs.malformedLines.map(\.line) == rhs.malformedLines.map(\.line)
    }

    public init(groups: [String: [String: String]] = [:]) {
        self.groups = groups
    }

    /// Parses option-file text.
    public init(parsing text: String) {
        var groups: [String: [String: String]] = [:]
        var current: String?
        var lineNumbers: [String: [String: Int]] = [:]
        var malformed: [(line: Int, text: String)] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (lineIndex, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") || line.hasPrefix("!") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    malformed.append((lineIndex + 1, line))
                    current = nil  // what follows belongs to no group the client reads
                    continue
                }
                current = String(line.dropFirst().dropLast()).trimmingWhitespace().lowercased()
                continue
            }
            guard let group = current else { continue }
            let key: Substring
            var value = ""
            if let equals = line.firstIndex(of: "=") {
                key = line[..<equals]
                value = Self.unquote(line[line.index(after: equals)...].trimmingWhitespace())
            } else {
                key = line[...]
            }
            let name = key.trimmingWhitespace().lowercased().replacingUnderscores()
            groups[group, default: [:]][name] = value
            lineNumbers[group, default: [:]][name] = lineIndex + 1
        }
        self.groups = groups
        self.lineNumbers = lineNumbers
        self.malformedLines = malformed
    }

    /// The value of `key` in the first of `groups` (in order of precedence, highest first) that sets it.
    public func value(_ key: String, groups: [String] = ["rewind", "client"]) -> String? {
        for group in groups {
            if let value = self.groups[group]?[key] { return value }
        }
        return nil
    }

    /// The line that set the value ``value(_:groups:)`` returns for `key`.
    public func lineNumber(_ key: String, groups: [String] = ["rewind", "client"]) -> Int? {
        for group in groups where self.groups[group]?[key] != nil { return self.lineNumbers[group]?[key] }
        return nil
    }

    private static func unquote(_ text: String) -> String {
        var text = Substring(text)
        var quoted = false
        if let first = text.first, first == "'" || first == "\"", text.count >= 2, text.last == first {
            text = text.dropFirst().dropLast()
            quoted = true
        } else if let hash = text.firstIndex(of: "#") {
            text = text[..<hash]  // an unquoted value ends at a comment
        }
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "s": result.append(" ")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return quoted ? result : result.trimmingWhitespace()
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func replacingUnderscores() -> String {
        String(self.map { $0 == "_" ? "-" : $0 })
    }
}
