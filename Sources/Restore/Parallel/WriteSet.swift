import BinlogFormat

/// The rows a transaction writes, as hashes: two transactions whose write sets share a hash may conflict and are
/// applied in commit order; others may be applied in parallel.
///
/// A row change adds one hash per unique key of its table (before and after image), so that two transactions
/// touching the same row, or one freeing a unique value another takes, share one. A table in a foreign-key
/// relation adds one hash shared by all such tables (a child row's check reads its parent). Every change also names
/// its table; a table the target's schema does not describe, or an image without every key column, makes the change
/// one on the whole table, ordered after every earlier transaction on that table and before every later one. A hash
/// collision only orders two transactions that could have run in parallel.
struct WriteSet: Sendable {
    /// Row (unique key value) hashes.
    private(set) var rows: Set<Int> = []
    /// The tables changed.
    private(set) var tables: Set<Int> = []
    /// The tables changed as a whole (their rows cannot be told apart).
    private(set) var wholeTables: Set<Int> = []

    init() {}

    /// A write set given by its hashes (tests).
    init(rows: Set<Int>, tables: Set<Int>, wholeTables: Set<Int> = []) {
        self.rows = rows
        self.tables = tables.union(wholeTables)
        self.wholeTables = wholeTables
    }

    static let foreignKeyTables: Int = {
        var hasher = Hasher()
        hasher.combine("foreign-key tables")
        return hasher.finalize()
    }()

    static func table(_ database: String, _ table: String) -> Int {
        var hasher = Hasher()
        hasher.combine(database)
        hasher.combine(table)
        return hasher.finalize()
    }

    /// Adds the rows of `event` on `table` (named as on the target: `database`).
    mutating func add(_ event: RowsEvent, table map: TableMapEvent, database: String, keys: TargetKeys) throws {
        let tableHash = Self.table(database, map.table)
        self.tables.insert(tableHash)
        guard let table = keys.table(database: database, table: map.table), !table.uniqueKeys.isEmpty else {
            self.wholeTables.insert(tableHash)
            return
        }
        if table.inForeignKey { self.rows.insert(Self.foreignKeyTables) }
        var wholeTable = false
        try event.forEachRow(table: map) { change in
            guard !wholeTable else { return }
            for image in [change.before, change.after] {
                guard let image else { continue }
                for (number, key) in table.uniqueKeys.enumerated() {
                    var hasher = Hasher()
                    hasher.combine(database)
                    hasher.combine(map.table)
                    hasher.combine(number)
                    for position in key {
                        guard position < image.values.count, let value = image.values[position] else {
                            wholeTable = true
                            return
                        }
                        hasher.combine(value)
                    }
                    self.rows.insert(hasher.finalize())
                }
            }
        }
        if wholeTable { self.wholeTables.insert(tableHash) }
    }
}
