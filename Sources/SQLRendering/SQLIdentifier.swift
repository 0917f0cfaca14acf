/// SQL identifiers quoted with backticks, as MySQL and MariaDB read them under any `sql_mode`
/// (a backtick inside the name is doubled).
package enum SQLIdentifier {
    /// Appends `` `name` ``.
    package static func append(_ name: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "`"))
        for byte in name.utf8 {
            if byte == UInt8(ascii: "`") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "`"))
    }

    /// Appends `` `database`.`table` ``.
    package static func appendQualified(database: String, table: String, to output: inout [UInt8]) {
        Self.append(database, to: &output)
        output.append(UInt8(ascii: "."))
        Self.append(table, to: &output)
    }

    /// `` `name` `` as a string.
    package static func quoted(_ name: String) -> String {
        var output: [UInt8] = []
        Self.append(name, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
