extension BinlogFileBuilder {
    /// One transaction of inserted rows as the server logs it: its GTID event (MySQL `uuid:sequence` followed by
    /// `BEGIN`; MariaDB `0-1-sequence`, transactional, which implies the BEGIN), a TABLE_MAP of `database.table` as
    /// table `tableID`, one WRITE_ROWS event with a row per value, and the XID that commits it.
    ///
    /// ```swift
    /// file.insertTransaction(gtid: 1, tableID: 1, "shop", "orders", rows: [1, 2, 3])  // 5 events (MariaDB: 4)
    /// ```
    package mutating func insertTransaction(
        gtid sequence: UInt64, tableID: UInt64, _ database: String, _ table: String, rows values: [Int32]
    ) {
        switch self.flavor {
        case .mysql:
            self.gtid(sequence: sequence)
            self.query("BEGIN")
        case .mariadb:
            self.mariadbGTID(sequence: sequence, standalone: false)
        }
        self.tableMap(id: tableID, database, table)
        self.writeRows(id: tableID, values)
        self.xid()
    }
}
