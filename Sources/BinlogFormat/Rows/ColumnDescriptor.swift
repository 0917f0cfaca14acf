/// Everything the decoder knows about one column of a mapped table: from the TABLE_MAP event's type and
/// metadata arrays and, where the server wrote it (`binlog_row_metadata=FULL`/MINIMAL, MariaDB ≥ 10.5),
/// its optional metadata.
public struct ColumnDescriptor: Hashable, Sendable {
    /// Type code as written in the TABLE_MAP (for CHAR/ENUM/SET this is ``ColumnType/string``).
    public var type: ColumnType
    /// The per-type metadata word (0 for types without metadata), as MySQL's `Table_map_log_event` keeps it:
    /// FLOAT/DOUBLE/BLOB/GEOMETRY/JSON/VECTOR: byte size of the length or value; VARCHAR: max length;
    /// NEWDECIMAL: precision << 8 | scale; BIT: bytes << 8 | bits; TIME2/DATETIME2/TIMESTAMP2: fsp;
    /// STRING: real type << 8 | length byte (with MySQL's length-high-bits folding).
    public var metadata: UInt16
    /// Whether the column may be NULL (TABLE_MAP null bitmap).
    public var isNullable: Bool
    /// `true`/`false` from SIGNEDNESS metadata for numeric columns; `nil` when the binlog does not say.
    public var isUnsigned: Bool?
    /// Collation id (e.g. 33 utf8mb3_general_ci, 63 binary, 255 utf8mb4_0900_ai_ci); `nil` when unknown.
    public var collation: UInt32?
    /// Column name, from COLUMN_NAME metadata.
    public var name: String?
    /// ENUM member names (1-based indexes in rows), from ENUM_STR_VALUE metadata.
    public var enumValues: [[UInt8]]?
    /// SET member names (bit i = member i), from SET_STR_VALUE metadata.
    public var setValues: [[UInt8]]?
    /// Geometry subtype, from GEOMETRY_TYPE metadata.
    public var geometryType: UInt32?
    /// Number of dimensions of a VECTOR column, from VECTOR_DIMENSIONALITY metadata.
    public var vectorDimensions: UInt32?
    /// Whether the column is part of the primary key (SIMPLE_PRIMARY_KEY / PRIMARY_KEY_WITH_PREFIX).
    public var isPrimaryKey: Bool
    /// `false` for an INVISIBLE column (COLUMN_VISIBILITY); `nil` when unknown.
    public var isVisible: Bool?

    public init(
        type: ColumnType, metadata: UInt16 = 0, isNullable: Bool = true, isUnsigned: Bool? = nil,
        collation: UInt32? = nil, name: String? = nil, enumValues: [[UInt8]]? = nil, setValues: [[UInt8]]? = nil,
        geometryType: UInt32? = nil, vectorDimensions: UInt32? = nil, isPrimaryKey: Bool = false,
        isVisible: Bool? = nil
    ) {
        self.type = type
        self.metadata = metadata
        self.isNullable = isNullable
        self.isUnsigned = isUnsigned
        self.collation = collation
        self.name = name
        self.enumValues = enumValues
        self.setValues = setValues
        self.geometryType = geometryType
        self.vectorDimensions = vectorDimensions
        self.isPrimaryKey = isPrimaryKey
        self.isVisible = isVisible
    }
}
