/// What the server would do of its own accord when an undo statement changes a table's rows, which the binlog does
/// not show: a trigger runs again (SQL fires triggers; the row events the original change was logged as do not), and
/// a foreign key's ON DELETE or ON UPDATE CASCADE or SET NULL reaches into another table's rows.
public enum ServerSideEffect: Sendable, Equatable {
    /// A trigger on the table: its name, `BEFORE`/`AFTER`, and the statement it fires on (`INSERT`, `UPDATE`,
    /// `DELETE`).
    case trigger(name: String, timing: String, event: String)
    /// A foreign key of `child` (`db.table`) that references the table, with its ON DELETE rule (`CASCADE`,
    /// `SET NULL`, `SET DEFAULT`).
    case cascade(constraint: String, child: String, onDelete: String)
    /// A foreign key of `child` (`db.table`) that references `columns` of the table, with its ON UPDATE rule
    /// (`CASCADE`, `SET NULL`, `SET DEFAULT`): an UPDATE that changes those columns changes the child's rows too.
    case updateCascade(constraint: String, child: String, onUpdate: String, columns: [String])
}
