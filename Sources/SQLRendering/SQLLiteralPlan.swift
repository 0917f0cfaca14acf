import BinlogFormat

/// How the literals of one column are written from row bytes, worked out once per table: how its values are
/// stored (``VerboseColumn``) and which form its literals take. A trivial value (no references), so the
/// per-value loop of ``SQLLiteral/append(raw:plan:column:to:)`` copies it for free.
package struct SQLLiteralPlan: Sendable {
    /// The literal form of a string value of a column's character set.
    package enum StringStyle: Sendable, Equatable {
        /// `0x…`: binary strings, and text of an unknown collation.
        case hex
        /// `0x…` padded with 0x00 to `width` bytes: BINARY(n), whose row images drop the padding.
        case fixedBinary(width: Int)
        /// `'…'` when the bytes are plain UTF-8, else hex with the introducer (`_utf8mb4`, `_utf8mb3`).
        case utf8(collation: UInt32)
        /// Hex with the introducer of the collation's character set (`_latin1 0xE9`).
        case introduced(collation: UInt32)

        /// The style for a string of `collation` in `column`.
        init(collation: UInt32?, column: ColumnDescriptor) {
            guard let collation, let charset = MySQLCharset.name(forCollation: collation) else {
                self = .hex
                return
            }
            if charset == "binary" {
                let isFixedBinary = column.type == .string && column.realType == .string
                self = isFixedBinary ? .fixedBinary(width: column.realMaxLength) : .hex
            } else if MySQLCharset.isUTF8(collation: collation) {
                self = .utf8(collation: collation)
            } else {
                self = .introduced(collation: collation)
            }
        }
    }

    /// How its values are stored.
    package let storage: VerboseColumn
    /// The form of its string values (geometry: hex).
    package let strings: StringStyle
    /// Integers: whether the column is UNSIGNED.
    package let isUnsigned: Bool
    /// BIT(n): `n`; `nil` for other types.
    package let bitCount: Int?

    package init(_ column: ColumnDescriptor) {
        self.storage = VerboseColumn(column)
        self.strings = column.type == .geometry ? .hex : StringStyle(collation: column.collation, column: column)
        self.isUnsigned = column.isUnsigned == true
        self.bitCount = column.type == .bit ? Int(column.metadata >> 8) * 8 + Int(column.metadata & 0xFF) : nil
    }

    /// The column type, for messages.
    var type: ColumnType { ColumnType(rawValue: self.storage.typeCode) }
}
