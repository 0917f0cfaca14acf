/// How the `-v` printer (and flashback's SQL renderer) reads the values of one column, worked out once per event
/// from its ``ColumnDescriptor``: a plain value (no reference counting when copied), so the per-value loop only
/// switches over ``kind``. Columns whose metadata is impossible, and the rare types, take the general path
/// (``MySQLValue/decode(_:from:)``), which also reports their errors.
package struct VerboseColumn: Sendable {
    package enum Kind: UInt8, Sendable {
        /// TINY SHORT INT24 LONG LONGLONG: ``size`` bytes.
        case integer
        case float, double
        /// NEWDECIMAL(``precision``, ``scale``) in ``size`` bytes.
        case decimal
        case year, date
        /// DATETIME2 / TIMESTAMP2 / TIME2 with ``precision`` fraction digits in ``size`` fraction bytes.
        case datetime2, timestamp2, time2
        /// Strings, BLOBs, GEOMETRY: a length of ``size`` bytes, then the bytes, printed quoted.
        case quoted
        /// ENUM / SET stored in ``size`` bytes.
        case enumeration, set
        /// Everything else: decoded to a ``MySQLValue`` first.
        case general
    }

    package var kind: Kind
    package var size: Int
    package var precision: Int
    package var scale: Int
    /// The type code, for error messages.
    package var typeCode: UInt8

    package init(_ column: ColumnDescriptor) {
        self.kind = .general
        self.size = 0
        self.precision = 0
        self.scale = 0
        self.typeCode = column.type.rawValue
        switch column.type.rawValue {
        case 1: self.fixed(.integer, size: 1)  // TINY
        case 2: self.fixed(.integer, size: 2)  // SHORT
        case 9: self.fixed(.integer, size: 3)  // INT24
        case 3: self.fixed(.integer, size: 4)  // LONG
        case 8: self.fixed(.integer, size: 8)  // LONGLONG
        case 4: self.fixed(.float, size: 4)
        case 5: self.fixed(.double, size: 8)
        case 13: self.fixed(.year, size: 1)
        case 10, 14: self.fixed(.date, size: 3)  // DATE, NEWDATE
        case 246:  // NEWDECIMAL
            let precision = Int(column.metadata >> 8)
            let scale = Int(column.metadata & 0xFF)
            guard let size = try? DecimalBinary.checkedByteCount(precision: precision, scale: scale) else { return }
            self.fixed(.decimal, size: size)
            self.precision = precision
            self.scale = scale
        case 17, 18, 19:  // TIMESTAMP2, DATETIME2, TIME2
            let precision = Int(column.metadata & 0xFF)
            guard precision <= 6 else { return }
            self.fixed(
                column.type.rawValue == 17 ? .timestamp2 : column.type.rawValue == 18 ? .datetime2 : .time2,
                size: (precision + 1) / 2
            )
            self.precision = precision
        case 15, 253:  // VARCHAR, VAR_STRING
            self.fixed(.quoted, size: column.metadata > 255 ? 2 : 1)
        case 249...252, 255:  // BLOB, TEXT, GEOMETRY
            guard (1...4).contains(Int(column.metadata)) else { return }
            self.fixed(.quoted, size: Int(column.metadata))
        case 254:  // STRING: CHAR, BINARY, ENUM, SET
            switch column.realType {
            case .enum:
                guard column.realMaxLength == 1 || column.realMaxLength == 2 else { return }
                self.fixed(.enumeration, size: column.realMaxLength)
            case .set:
                guard (1...8).contains(column.realMaxLength) else { return }
                self.fixed(.set, size: column.realMaxLength)
            default:
                self.fixed(.quoted, size: column.realMaxLength > 255 ? 2 : 1)
            }
        default:
            return
        }
    }

    private mutating func fixed(_ kind: Kind, size: Int) {
        self.kind = kind
        self.size = size
    }
}
