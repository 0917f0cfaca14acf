/// A DDL statement seen in the binlogs at or after the first selected transaction: what the refusals check.
struct DDLEntry: Sendable {
    var statement: DDLStatement
    /// The query's default database (for names it does not qualify).
    var defaultDatabase: String
    var file: String
    var position: UInt64
    /// Whether it is in a selected transaction (else after the selection).
    var selected: Bool
}
