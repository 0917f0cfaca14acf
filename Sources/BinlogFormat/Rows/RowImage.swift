/// One row image: a value per table column, `nil` for a column the image leaves out
/// (`binlog_row_image=MINIMAL|NOBLOB`). SQL NULL is ``MySQLValue/null``.
public struct RowImage: Hashable, Sendable {
    public var values: [MySQLValue?]
    /// JSON columns of a partial update's after image that hold diffs instead of whole documents.
    package var jsonDiffs: [Int: [JSONDiff]]

    public init(values: [MySQLValue?]) {
        self.values = values
        self.jsonDiffs = [:]
    }

    package init(values: [MySQLValue?], jsonDiffs: [Int: [JSONDiff]]) {
        self.values = values
        self.jsonDiffs = jsonDiffs
    }
}

/// One changed row: INSERT has only `after`, DELETE only `before`, UPDATE both.
public struct RowChange: Hashable, Sendable {
    public var before: RowImage?
    public var after: RowImage?

    public init(before: RowImage?, after: RowImage?) {
        self.before = before
        self.after = after
    }
}
