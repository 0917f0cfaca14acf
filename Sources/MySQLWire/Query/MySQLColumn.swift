import BinlogFormat

/// A column of a result set, from its `ColumnDefinition41`.
public struct MySQLColumn: Hashable, Sendable {
    /// The column's name or alias.
    public var name: String
    /// The table (or alias) it comes from; empty for expressions.
    public var table: String
    public var schema: String
    /// The wire type (`MYSQL_TYPE_*`); ENUM and SET arrive as ``ColumnType/string`` with ``isEnum``/``isSet``.
    public var type: ColumnType
    /// `*_FLAG` bits of MySQL's `mysql_com.h`.
    public var flags: UInt16
    /// Character set and collation id of the values; 63 is `binary`.
    public var characterSet: UInt16
    /// Fractional digits (DECIMAL, temporal types, FLOAT/DOUBLE).
    public var decimals: UInt8
    /// Maximum display length.
    public var columnLength: UInt32

    public init(
        name: String,
        table: String = "",
        schema: String = "",
        type: ColumnType,
        flags: UInt16 = 0,
        characterSet: UInt16 = 63,
        decimals: UInt8 = 0,
        columnLength: UInt32 = 0
    ) {
        self.name = name
        self.table = table
        self.schema = schema
        self.type = type
        self.flags = flags
        self.characterSet = characterSet
        self.decimals = decimals
        self.columnLength = columnLength
    }

    init(_ definition: ColumnDefinition41) {
        self.init(
            name: definition.name,
            table: definition.table,
            schema: definition.schema,
            type: definition.type,
            flags: definition.flags,
            characterSet: definition.characterSet,
            decimals: definition.decimals,
            columnLength: definition.columnLength
        )
    }

    /// `UNSIGNED_FLAG` (32)
    public var isUnsigned: Bool { self.flags & 0x0020 != 0 }
    /// `BINARY_FLAG` (128)
    public var isBinary: Bool { self.flags & 0x0080 != 0 }
    /// `ENUM_FLAG` (256)
    public var isEnum: Bool { self.flags & 0x0100 != 0 }
    /// `SET_FLAG` (2048)
    public var isSet: Bool { self.flags & 0x0800 != 0 }
    /// `NOT_NULL_FLAG` (1)
    public var isNotNull: Bool { self.flags & 0x0001 != 0 }
}
