import SQLRendering

/// The SQL text helpers the backup uses, from the one literal renderer.
enum SQLText {
    static func quoted(_ text: String) -> String { TextValueLiteral.quoted(text) }
    static func identifier(_ name: String) -> String { SQLIdentifier.quoted(name) }
    static func qualified(_ database: String, _ table: String) -> String {
        SQLIdentifier.quoted(database) + "." + SQLIdentifier.quoted(table)
    }
}
