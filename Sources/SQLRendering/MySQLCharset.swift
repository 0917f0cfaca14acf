/// The character set of a collation id as TABLE_MAP metadata and the client protocol carry it.
///
/// Ids below 256 are shared by MySQL and MariaDB (MySQL 8 adds 248–250 gb18030 and 255–323 utf8mb4_0900_*);
/// MariaDB numbers its NO PAD variants `id + 1024` and its UCA 14.0.0 collations from 2048 in blocks of 256
/// per character set. The table was taken from `information_schema.COLLATIONS` of MariaDB 10.11 and MySQL 8.0.
package enum MySQLCharset {
    /// The character set name as an introducer takes it (`latin1`, `utf8mb4`, `binary`), or `nil` when the id
    /// is unknown.
    package static func name(forCollation id: UInt32) -> String? {
        switch id {
        case 1024..<2048: return Self.classicName(id - 1024)
        case 2048..<2304: return "utf8mb3"
        case 2304..<2560: return "utf8mb4"
        case 2560..<2816: return "ucs2"
        case 2816..<3072: return "utf16"
        case 3072..<3328: return "utf32"
        default: return Self.classicName(id)
        }
    }

    /// Whether the collation's character set is UTF-8 (utf8mb3 or utf8mb4), so that valid UTF-8 text can be
    /// written as a plain quoted literal after `SET NAMES utf8mb4`.
    package static func isUTF8(collation id: UInt32) -> Bool {
        switch Self.name(forCollation: id) {
        case "utf8mb4", "utf8mb3": true
        default: false
        }
    }

    /// The binary pseudo character set (63).
    package static let binaryCollation: UInt32 = 63

    private static func classicName(_ id: UInt32) -> String? {
        switch id {
        case 1, 84: "big5"
        case 2, 9, 21, 27, 77: "latin2"
        case 3, 69: "dec8"
        case 4, 80: "cp850"
        case 5, 8, 15, 31, 47, 48, 49, 94: "latin1"
        case 6, 72: "hp8"
        case 7, 74: "koi8r"
        case 10, 82: "swe7"
        case 11, 65: "ascii"
        case 12, 91: "ujis"
        case 13, 88: "sjis"
        case 14, 23, 50, 51, 52: "cp1251"
        case 16, 71: "hebrew"
        case 18, 89: "tis620"
        case 19, 85: "euckr"
        case 20, 41, 42, 79: "latin7"
        case 22, 75: "koi8u"
        case 24, 86: "gb2312"
        case 25, 70: "greek"
        case 26, 34, 44, 66, 99: "cp1250"
        case 28, 87: "gbk"
        case 29, 58, 59: "cp1257"
        case 30, 78: "latin5"
        case 32, 64: "armscii8"
        case 33, 76, 83, 192...215, 223, 576...578: "utf8mb3"
        case 35, 90, 128...151, 159, 640...642: "ucs2"
        case 36, 68: "cp866"
        case 37, 73: "keybcs2"
        case 38, 43: "macce"
        case 39, 53: "macroman"
        case 40, 81: "cp852"
        case 45, 46, 224...247, 255...323, 608...610: "utf8mb4"
        case 54, 55, 101...124, 672...674: "utf16"
        case 56, 62: "utf16le"
        case 57, 67: "cp1256"
        case 60, 61, 160...183, 736...738: "utf32"
        case 63: "binary"
        case 92, 93: "geostd8"
        case 95, 96: "cp932"
        case 97, 98: "eucjpms"
        case 248...250: "gb18030"
        default: nil
        }
    }
}
