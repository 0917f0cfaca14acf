/// Where each file of a backup lives, relative to its directory: names are kept readable where they are plain and
/// percent-encoded otherwise (`/`, `%`, control bytes, non-ASCII).
enum BackupPaths {
    static func databaseDirectory(_ database: String) -> String { "schema/" + self.encode(database) }
    static func databaseSchema(_ database: String) -> String { self.databaseDirectory(database) + "/database.sql" }
    static func tableSchema(_ database: String, _ table: String) -> String {
        self.databaseDirectory(database) + "/" + self.encode(table) + ".table.sql"
    }
    static func objects(_ database: String, _ kind: String) -> String {
        self.databaseDirectory(database) + "/" + kind + ".sql"
    }
    static func chunk(_ database: String, _ table: String, index: Int) -> String {
        let number = String(index)
        return "data/" + self.encode(database) + "/" + self.encode(table) + "."
            + String(repeating: "0", count: max(0, 5 - number.count)) + number + ".sql.zst"
    }
    static let session = "session.sql"

    static func encode(_ name: String) -> String {
        var output = ""
        for byte in name.utf8 {
            let plain =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x5F || byte == 0x2D || (byte == 0x2E && !output.isEmpty)
            if plain {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
