import BinlogFormat

extension TableMapEvent {
    /// Whether `other` maps the same table with the same columns (the table id may differ: a server gives a
    /// table a new id each time it opens it again).
    func sameDefinition(as other: TableMapEvent) -> Bool {
        self.database == other.database && self.table == other.table && self.columns == other.columns
    }
}
