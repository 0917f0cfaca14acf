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
    /// Whether the column is part of the primary key (SIMPLE_PRIMARY_KEY / PRIMARY_KEY_WITH_PREFIX).
    public var isPrimaryKey: Bool
    /// The rarely present metadata, boxed so that copying a descriptor in the row-decoding loop costs at most
    /// one reference count (the box is immutable: setters replace it).
    private var details: Details?

    private final class Details: Hashable, Sendable {
        let name: String?
        let enumValues: [[UInt8]]?
        let setValues: [[UInt8]]?
        let geometryType: UInt32?
        let vectorDimensions: UInt32?
        let isVisible: Bool?

        init(
            name: String?, enumValues: [[UInt8]]?, setValues: [[UInt8]]?, geometryType: UInt32?,
            vectorDimensions: UInt32?, isVisible: Bool?
        ) {
            self.name = name
            self.enumValues = enumValues
            self.setValues = setValues
            self.geometryType = geometryType
            self.vectorDimensions = vectorDimensions
            self.isVisible = isVisible
        }

        static func == (lhs: Details, rhs: Details) -> Bool {
            lhs.name == rhs.name && lhs.enumValues == rhs.enumValues && lhs.setValues == rhs.setValues
                && lhs.geometryType == rhs.geometryType && lhs.vectorDimensions == rhs.vectorDimensions
                && lhs.isVisible == rhs.isVisible
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.name)
            hasher.combine(self.enumValues)
            hasher.combine(self.setValues)
        }

        var isEmpty: Bool {
            self.name == nil && self.enumValues == nil && self.setValues == nil && self.geometryType == nil
                && self.vectorDimensions == nil && self.isVisible == nil
        }
    }

    private mutating func update(
        name: String?? = nil, enumValues: [[UInt8]]?? = nil, setValues: [[UInt8]]?? = nil,
        geometryType: UInt32?? = nil, vectorDimensions: UInt32?? = nil, isVisible: Bool?? = nil
    ) {
        let new = Details(
            name: name ?? self.name, enumValues: enumValues ?? self.enumValues, setValues: setValues ?? self.setValues,
            geometryType: geometryType ?? self.geometryType,
            vectorDimensions: vectorDimensions ?? self.vectorDimensions,
            isVisible: isVisible ?? self.isVisible)
        self.details = new.isEmpty ? nil : new
    }

    /// The same column without its boxed metadata (name, ENUM/SET members, …): copying it costs no
    /// reference counting, which matters in per-value loops that only need the type and metadata.
    package var withoutDetails: ColumnDescriptor {
        var copy = self
        copy.details = nil
        return copy
    }

    /// Column name, from COLUMN_NAME metadata.
    public var name: String? {
        get { self.details?.name }
        set { self.update(name: .some(newValue)) }
    }
    /// ENUM member names (1-based indexes in rows), from ENUM_STR_VALUE metadata.
    public var enumValues: [[UInt8]]? {
        get { self.details?.enumValues }
        set { self.update(enumValues: .some(newValue)) }
    }
    /// SET member names (bit i = member i), from SET_STR_VALUE metadata.
    public var setValues: [[UInt8]]? {
        get { self.details?.setValues }
        set { self.update(setValues: .some(newValue)) }
    }
    /// Geometry subtype, from GEOMETRY_TYPE metadata.
    public var geometryType: UInt32? {
        get { self.details?.geometryType }
        set { self.update(geometryType: .some(newValue)) }
    }
    /// Number of dimensions of a VECTOR column, from VECTOR_DIMENSIONALITY metadata.
    public var vectorDimensions: UInt32? {
        get { self.details?.vectorDimensions }
        set { self.update(vectorDimensions: .some(newValue)) }
    }
    /// `false` for an INVISIBLE column (COLUMN_VISIBILITY); `nil` when unknown.
    public var isVisible: Bool? {
        get { self.details?.isVisible }
        set { self.update(isVisible: .some(newValue)) }
    }

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
        self.isPrimaryKey = isPrimaryKey
        let details = Details(
            name: name, enumValues: enumValues, setValues: setValues, geometryType: geometryType,
            vectorDimensions: vectorDimensions, isVisible: isVisible)
        self.details = details.isEmpty ? nil : details
    }
}

extension ColumnDescriptor {
    /// Whether the column holds text compared under a collation (CHAR, VARCHAR, TEXT; not ENUM, SET or a binary
    /// string): `'a' = 'A '` may hold for it, so an exact comparison must compare its bytes. A column whose
    /// collation the binlog does not give counts as text.
    package var comparesByCollation: Bool {
        OptionalMetadata.isCharacter(self) && self.collation != 63
    }
}
