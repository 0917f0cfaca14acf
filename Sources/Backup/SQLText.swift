import BinlogText

/// The SQL text helpers the backup uses, from the one literal renderer.
enum SQLText {
    static func quoted(_ text: String) -> String { SQLLiteral.quoted(text) }
    static func identifier(_ name: String) -> String { SQLLiteral.identifier(name) }
    static func qualified(_ database: String, _ table: String) -> String {
        SQLLiteral.identifier(database) + "." + SQLLiteral.identifier(table)
    }
}
