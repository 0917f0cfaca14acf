import BinlogFormat

/// Minimal JSON text building for `--format json` lines (key order is the order written).
enum JSONText {
    /// `text` as a JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + String(scalar.value, radix: 16).leftPaddedHex()
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Bytes as a JSON string when they are UTF-8, else `{"base64": "…"}`.
    static func bytes(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return quote(text) }
        return "{\"base64\":\"" + Base64.encode(bytes) + "\"}"
    }

    /// An object from ordered key/value pairs whose values are already JSON text.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

extension String {
    func leftPaddedHex() -> String { self.count >= 2 ? self : String(repeating: "0", count: 2 - self.count) + self }
}
