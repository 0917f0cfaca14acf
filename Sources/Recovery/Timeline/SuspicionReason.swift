/// Why a timeline flags a transaction: a fixed code (see docs/timeline.md for how each is computed).
public struct SuspicionReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `DROP TABLE` (not `DROP TEMPORARY TABLE`), or `CREATE OR REPLACE TABLE`.
    public static let dropTable = Self(rawValue: "drop_table")
    /// `DROP DATABASE` / `DROP SCHEMA`.
    public static let dropDatabase = Self(rawValue: "drop_database")
    /// `TRUNCATE [TABLE]`.
    public static let truncate = Self(rawValue: "truncate")
    /// `ALTER TABLE … DROP COLUMN / PARTITION / INDEX / PRIMARY KEY / FOREIGN KEY`, `TRUNCATE PARTITION`.
    public static let alterDrop = Self(rawValue: "alter_drop")
    /// A DELETE or UPDATE whose statement text has no WHERE.
    public static let noWhere = Self(rawValue: "no_where")
    /// Deleted or updated at least a set share of a table whose row count is known.
    public static let largeShare = Self(rawValue: "large_share")
    /// Deleted or updated at least N rows of a table whose row count is not known.
    public static let largeCount = Self(rawValue: "large_count")
    /// Deleted or updated far more rows of a table than the table's other transactions in the window do.
    public static let rateSpike = Self(rawValue: "rate_spike")

    public var description: String { self.rawValue }
}
