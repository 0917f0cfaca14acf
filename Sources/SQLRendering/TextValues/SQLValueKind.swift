/// How a column's values are written as SQL literals and hashed: one case per family of column types.
///
/// Made from `information_schema.COLUMNS` (`DATA_TYPE`, `CHARACTER_SET_NAME`), so it is the same for MySQL and
/// MariaDB. Its ``token`` (`integer`, `text:latin1`, …) is what a backup manifest records per column.
package enum SQLValueKind: Hashable, Sendable {
    /// TINYINT … BIGINT, YEAR: decimal digits.
    case integer
    /// DECIMAL/NUMERIC: the exact decimal text.
    case decimal
    /// FLOAT: read as `CAST(col AS DOUBLE)` (MariaDB prints FLOAT with 6 digits), written as that exact double.
    case float
    /// DOUBLE/REAL: the server's round-trip text.
    case double
    /// BIT(n): the big-endian bytes; written as `b'…'`.
    case bit
    /// DATE, TIME, DATETIME, TIMESTAMP (read with `time_zone = '+00:00'`): the text form.
    case temporal
    /// MySQL's JSON type (MariaDB's JSON is LONGTEXT, a ``text(charset:)``).
    case json
    /// BINARY, VARBINARY, BLOBs, spatial types and strings in the `binary` charset: the bytes.
    case binary
    /// CHAR, VARCHAR, TEXTs, ENUM, SET (and MariaDB's INET4/INET6/UUID): the bytes in the column's charset.
    case text(charset: String)

    /// The kind of a column from `information_schema.COLUMNS`.
    ///
    /// - Parameters:
    ///   - dataType: `DATA_TYPE`, e.g. `int`, `varchar`, `longblob`.
    ///   - characterSet: `CHARACTER_SET_NAME`, `nil` for types without one.
    package init(dataType: String, characterSet: String?) {
        switch dataType.lowercased() {
        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year": self = .integer
        case "decimal", "numeric": self = .decimal
        case "float": self = .float
        case "double", "real", "double precision": self = .double
        case "bit": self = .bit
        case "date", "time", "datetime", "timestamp": self = .temporal
        case "json": self = .json
        case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring",
            "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection":
            self = .binary
        case "inet4", "inet6", "uuid": self = .text(charset: "ascii")
        default:
            guard let characterSet, characterSet.lowercased() != "binary" else {
                self = .binary
                return
            }
            self = .text(charset: characterSet.lowercased())
        }
    }

    /// The manifest's name for the kind: `integer`, `decimal`, `float`, `double`, `bit`, `temporal`, `json`,
    /// `binary`, or `text:<charset>`.
    package var token: String {
        switch self {
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .float: return "float"
        case .double: return "double"
        case .bit: return "bit"
        case .temporal: return "temporal"
        case .json: return "json"
        case .binary: return "binary"
        case .text(let charset): return "text:" + charset
        }
    }

    /// The kind named by ``token``, `nil` for an unknown name.
    package init?(token: String) {
        switch token {
        case "integer": self = .integer
        case "decimal": self = .decimal
        case "float": self = .float
        case "double": self = .double
        case "bit": self = .bit
        case "temporal": self = .temporal
        case "json": self = .json
        case "binary": self = .binary
        default:
            guard token.hasPrefix("text:"), token.count > 5 else { return nil }
            self = .text(charset: String(token.dropFirst(5)))
        }
    }

    /// Whether the server's text of the value is written without quotes.
    var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .float, .double: return true
        default: return false
        }
    }

    /// How a string of this kind is written: plain quotes (utf8 and everything sent as such), with a charset
    /// introducer and escapes (single-byte charsets, `binary`), or as an introduced hex literal (multi-byte
    /// charsets other than utf8, whose trail bytes may look like quotes or backslashes).
    enum StringForm: Equatable {
        case quoted
        case introduced(String)
        case introducedHex(String)
    }

    var stringForm: StringForm {
        switch self {
        case .binary: return .introduced("binary")
        case .text(let charset):
            switch charset {
            case "utf8mb4", "utf8mb3", "utf8", "ascii": return .quoted
            case "big5", "sjis", "cp932", "gbk", "gb2312", "gb18030", "euckr", "ujis", "eucjpms", "ucs2", "utf16",
                "utf16le", "utf32":
                return .introducedHex(charset)
            default: return .introduced(charset)
            }
        default: return .quoted
        }
    }
}
