extension JSONDiff {
    /// The SQL expression that applies `diffs` to column `@columnNumber`, as mysqlbinlog prints partial JSON
    /// updates: nested calls, first diff innermost.
    ///
    ///     JSON_INSERT(JSON_REPLACE(@2, '$.age', 26), '$.tags', CAST('["a", "b"]' AS JSON))
    ///
    /// Strings become SQL string literals, numbers stay bare, and every other value (objects, arrays, `null`,
    /// booleans, opaque MySQL scalars) is written as `CAST('<canonical JSON>' AS JSON)`.
    package static func sqlExpression(_ diffs: [JSONDiff], columnNumber: Int) -> String {
        var text = ""
        for diff in diffs.reversed() {
            text += diff.operation.functionName
            text += "("
        }
        text += "@\(columnNumber)"
        for diff in diffs {
            text += ", "
            Self.appendSQLString(diff.path, to: &text)
            if let value = diff.value {
                text += ", "
                Self.appendSQLValue(value, to: &text)
            }
            text += ")"
        }
        return text
    }

    private static func appendSQLValue(_ value: JSONValue, to text: inout String) {
        switch value {
        case .string(let string):
            Self.appendSQLString(string, to: &text)
        case .int, .uint, .double, .decimal:
            text += value.canonicalText
        default:
            text += "CAST("
            Self.appendSQLString(value.canonicalText, to: &text)
            text += " AS JSON)"
        }
    }

    /// A single-quoted SQL string literal with `'` and `\` escaped.
    private static func appendSQLString(_ string: String, to text: inout String) {
        text += "'"
        for character in string.unicodeScalars {
            switch character {
            case "'": text += "\\'"
            case "\\": text += "\\\\"
            case "\0": text += "\\0"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            default: text.unicodeScalars.append(character)
            }
        }
        text += "'"
    }
}
