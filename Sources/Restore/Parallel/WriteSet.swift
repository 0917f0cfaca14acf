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
    ///
    /// Key values are hashed as logged (no decoding); a string's bytes are hashed with ASCII letters folded to lower
    /// case and trailing spaces dropped, as case-insensitive, PAD SPACE collations compare them, so that `'A'` and
    /// `'a '` meet. (Other equalities of a collation, e.g. accents under `utf8mb4_general_ci`, are not folded: two
    /// such transactions in the wrong order make the target refuse one, duplicate key or row not found, and the
    /// restore fails loudly; it never applies them silently out of order.)
    mutating func add(_ event: RowsEvent, table map: TableMapEvent, database: String, keys: TargetKeys) throws {
        let tableHash = Self.table(database, map.table)
        self.tables.insert(tableHash)
        guard let table = keys.table(database: database, table: map.table), !table.uniqueKeys.isEmpty else {
            self.wholeTables.insert(tableHash)
            return
        }
        if table.inForeignKey { self.rows.insert(Self.foreignKeyTables) }
        let plans = map.columns.map(VerboseColumn.init)
        // Strings (CHAR, VARCHAR) are folded, after their length prefix.
        let foldedFrom = map.columns.indices.map { index -> Int? in
            [ColumnType.varchar, .varString, .string].contains(map.columns[index].type) && plans[index].kind == .quoted
                ? plans[index].size : nil
        }
        var wholeTable = false
        var rows = self.rows
        try event.forEachRawRow(table: map, plans: plans) { raw, before, after in
            for image in [before, after] {
                guard let image, !wholeTable else { continue }
                for (number, key) in table.uniqueKeys.enumerated() {
                    var hasher = Hasher()
                    hasher.combine(tableHash)
                    hasher.combine(number)
                    for position in key {
                        guard position < image.slots.count else {
                            wholeTable = true
                            return
                        }
                        let slot = image.slots[position]
                        switch slot.state {
                        case .absent, .jsonDiff:
                            wholeTable = true
                            return
                        case .null:
                            hasher.combine(-1)
                        case .value:
                            if let prefix = foldedFrom[position] {
                                Self.combineFolded(
                                    UnsafeRawBufferPointer(rebasing: raw[slot.start + prefix..<slot.end]), into: &hasher
                                )
                            } else {
                                hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw[slot.start..<slot.end]))
                            }
                        }
                    }
                    rows.insert(hasher.finalize())
                }
            }
        }
        self.rows = rows
        if wholeTable { self.wholeTables.insert(tableHash) }
    }

    private static func combineFolded(_ bytes: UnsafeRawBufferPointer, into hasher: inout Hasher) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        hasher.combine(end)
        for index in 0..<end {
            let byte = bytes[index]
            hasher.combine(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
    }
}
