import BinlogFormat
import SQLRendering

/// The SQL literals of one row image, rendered once into one buffer: what the undo statements are put
/// together from (a value used twice, in a SET and a guard, is rendered once). Reused from row to row.
struct RowLiterals {
    /// The literals' text, one after the other.
    private(set) var text: [UInt8] = []
    /// Per table column: where its literal is in ``text`` (empty for a column that is not written).
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var nulls: [Bool] = []

    init() {}

    /// Renders the columns of `table` that undo statements write, straight from the bytes of a row image.
    ///
    /// - Throws: ``FlashbackError`` `.refused` when the image lacks a column (`binlog_row_image=MINIMAL` or
    ///   `NOBLOB`, or a JSON diff); ``SQLRenderingError`` (naming the column) for a value with no literal;
    ///   ``BinlogDecodingError`` for impossible bytes.
    ///
    /// - Parameters:
    ///   - at: the binlog file and the event's offset, for the refusal's message.
    ///   - name: `before` or `after`, for the refusal's message.
    mutating func fill(
        raw: UnsafeRawBufferPointer,
        image: RawRowImage,
        table: UndoTable,
        at event: (file: String, position: UInt64),
        name: String
    ) throws {
        let (file, position) = event
        self.reset(count: table.columns.count)
        for index in table.columns.indices {
            let slot = image.slots[index]
            switch slot.state {
            case .null:
                self.nulls[index] = true
                if table.rendered[index] { self.appendNull(index) }
            case .value:
                guard table.rendered[index] else { continue }
                self.starts[index] = self.text.count
                do {
                    try SQLLiteral.append(
                        raw: UnsafeRawBufferPointer(rebasing: raw[slot.start..<slot.end]),
                        plan: table.literals[index],
                        column: table.columns[index],
                        to: &self.text
                    )
                } catch var error as SQLRenderingError {
                    error.column = "`\(table.names[index])` of \(table.displayName)"
                    throw error
                }
                self.ends[index] = self.text.count
            case .absent, .jsonDiff:
                throw Self.missing(index, table: table, image: name, file: file, position: position)
            }
        }
    }

    /// Renders the columns of `table` that undo statements write from decoded values (`nil`: left out).
    ///
    /// - Throws: as ``fill(raw:image:table:at:name:)``.
    mutating func fill(values: [MySQLValue?], table: UndoTable, name: String, file: String, position: UInt64) throws {
        self.reset(count: table.columns.count)
        for index in table.columns.indices {
            guard index < values.count, let value = values[index] else {
                throw Self.missing(index, table: table, image: name, file: file, position: position)
            }
            self.nulls[index] = value == .null
            guard table.rendered[index] else { continue }
            self.starts[index] = self.text.count
            do {
                try SQLLiteral.append(value, column: table.columns[index], to: &self.text)
            } catch var error as SQLRenderingError {
                error.column = "`\(table.names[index])` of \(table.displayName)"
                throw error
            }
            self.ends[index] = self.text.count
        }
    }

    /// Whether column `index` is NULL.
    @inline(__always)
    func isNull(_ index: Int) -> Bool { self.nulls[index] }

    /// Appends the literal of column `index`.
    @inline(__always)
    func append(_ index: Int, to output: inout [UInt8]) {
        self.text.withUnsafeBufferPointer { text in
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[self.starts[index]..<self.ends[index]]))
        }
    }

    /// Whether column `index` has the same literal here and in `other`, i.e. the same value.
    func hasSameValue(_ index: Int, as other: RowLiterals) -> Bool {
        self.text[self.starts[index]..<self.ends[index]] == other.text[other.starts[index]..<other.ends[index]]
    }

    private mutating func reset(count: Int) {
        self.text.removeAll(keepingCapacity: true)
        if self.starts.count != count {
            self.starts = Array(repeating: 0, count: count)
            self.ends = Array(repeating: 0, count: count)
            self.nulls = Array(repeating: false, count: count)
        } else {
            for index in 0..<count {
                self.starts[index] = 0
                self.ends[index] = 0
                self.nulls[index] = false
            }
        }
    }

    private mutating func appendNull(_ index: Int) {
        self.starts[index] = self.text.count
        self.text.append(contentsOf: "NULL".utf8)
        self.ends[index] = self.text.count
    }

    /// The refusal for an image without one of the table's columns.
    static func missing(_ index: Int, table: UndoTable, image: String, file: String, position: UInt64) -> FlashbackError
    {
        FlashbackError.refused(
            "the \(image) image of a row of \(table.displayName) lacks column `\(table.names[index])` "
                + "(binlog_row_image=MINIMAL or NOBLOB): the undo cannot restore or check it; "
                + "use `rewind restore --before` instead, and binlog_row_image=FULL for the binlogs to come",
            file: file,
            position: position
        )
    }
}
