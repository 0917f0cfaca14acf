import SQLRendering

/// A stored (not generated) column of a table: its name and how its values are written and hashed.
package struct TableColumn: Hashable, Sendable {
    package var name: String
    package var kind: SQLValueKind

    package init(name: String, kind: SQLValueKind) {
        self.name = name
        self.kind = kind
    }

    /// The expression that reads the column: FLOAT as `CAST(… AS DOUBLE)`, so that its exact value arrives
    /// (MariaDB prints FLOAT with 6 significant digits).
    package var selectExpression: String {
        let name = SQLIdentifier.quoted(self.name)
        return self.kind == .float ? "CAST(\(name) AS DOUBLE)" : name
    }
}
