extension MySQLValue {
    /// The collation id MySQL and MariaDB give binary strings (`binary`, 63).
    private static let binaryCollation: UInt32 = 63
    /// Integers beyond ±2^53 are written as strings: JSON readers that parse numbers as doubles would round them.
    private static let largestExactInteger: UInt64 = 1 << 53

    /// The value as a JSON value (for `--format json`).
    ///
    ///     integers, YEAR, BIT     numbers; beyond ±2^53 as decimal strings ("18446744073709551615")
    ///     FLOAT, DOUBLE           numbers (shortest form that reads back the same)
    ///     DECIMAL                 strings ("-123.4500"), to keep every digit
    ///     DATE, TIME              "2012-03-18", "-838:59:59.999"
    ///     DATETIME                "2012-03-18T11:30:45.123" (no zone: DATETIME has none)
    ///     TIMESTAMP               "2012-03-18T11:30:45Z" (UTC)
    ///     text                    strings when the bytes are UTF-8 and the collation is not binary (63),
    ///                             else {"base64": "…"}; GEOMETRY always {"base64": "…"}
    ///     ENUM, SET               member names when the TABLE_MAP carried them ("b", "a,c"), else the number
    ///     JSON                    the document itself; VECTOR an array of numbers; NULL null
    package func jsonRepresentation(column: ColumnDescriptor) -> String {
        var output: [UInt8] = []
        self.appendJSONRepresentation(to: &output, column: column)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``jsonRepresentation(column:)`` as UTF-8.
    package func appendJSONRepresentation(to output: inout [UInt8], column: ColumnDescriptor) {
        switch self {
        case .null:
            output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .signed(let value):
            Self.appendJSONInteger(magnitude: value.magnitude, isNegative: value < 0, to: &output)
        case .unsigned(let value):
            Self.appendJSONInteger(magnitude: value, isNegative: false, to: &output)
        case .float(let value):
            // Float's shortest digits, printed through Double so that 1.1 stays 1.1.
            TextBytes.appendJSONDouble(Double(value.description) ?? Double(value), to: &output)
        case .double(let value):
            TextBytes.appendJSONDouble(value, to: &output)
        case .decimal(let text):
            TextBytes.appendJSONString(text.utf8, to: &output)
        case .year(let year):
            TextBytes.appendUnsigned(UInt64(year), to: &output)
        case .date(let date):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendDate(date, to: &output)
            output.append(UInt8(ascii: "\""))
        case .time(let time):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendTime(time, to: &output)
            output.append(UInt8(ascii: "\""))
        case .datetime(let value):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendDateTime(value, separator: UInt8(ascii: "T"), to: &output)
            output.append(UInt8(ascii: "\""))
        case .timestamp(let seconds, let microseconds, let precision):
            output.append(UInt8(ascii: "\""))
            let value = TextBytes.utcDateTime(epochSeconds: seconds, microseconds: microseconds, precision: precision)
            TextBytes.appendDateTime(value, separator: UInt8(ascii: "T"), to: &output)
            output.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
        case .string(let bytes, let collation):
            if collation != Self.binaryCollation, Self.isUTF8(bytes) {
                TextBytes.appendJSONString(bytes, to: &output)
            } else {
                Self.appendBase64Object(bytes, to: &output)
            }
        case .enumeration(let index):
            if let names = column.enumValues, index == 0 || Int(index) <= names.count {
                let name = index == 0 ? [] : names[Int(index) - 1]
                if Self.isUTF8(name) {
                    TextBytes.appendJSONString(name, to: &output)
                    return
                }
            }
            TextBytes.appendUnsigned(UInt64(index), to: &output)
        case .set(let mask):
            if let names = column.setValues, names.count >= 64 || mask >> UInt64(names.count) == 0 {
                var joined: [UInt8] = []
                for (bit, name) in names.enumerated() where bit < 64 && mask & (1 << UInt64(bit)) != 0 {
                    if !joined.isEmpty { joined.append(UInt8(ascii: ",")) }
                    joined.append(contentsOf: name)
                }
                if Self.isUTF8(joined) {
                    TextBytes.appendJSONString(joined, to: &output)
                    return
                }
            }
            Self.appendJSONInteger(magnitude: mask, isNegative: false, to: &output)
        case .bit(let bytes, _):
            var value: UInt64 = 0
            for byte in bytes.suffix(8) { value = value << 8 | UInt64(byte) }
            Self.appendJSONInteger(magnitude: value, isNegative: false, to: &output)
        case .json(let value):
            value.appendCanonicalText(to: &output)
        case .geometry(let bytes):
            Self.appendBase64Object(bytes, to: &output)
        case .vector(let floats):
            output.append(UInt8(ascii: "["))
            for (index, float) in floats.enumerated() {
                if index > 0 { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                TextBytes.appendJSONDouble(Double(float.description) ?? Double(float), to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    /// Appends ``jsonRepresentation(column:)`` to an output that hands its bytes on as it goes (the rows of one huge
    /// event): a string or geometry value, which may be up to 1 GiB, is escaped or encoded straight into it instead
    /// of being held as a second text; other values are short and go through the `[UInt8]` rendering.
    package func appendJSONRepresentation(to output: inout FlushingTextBuffer, column: ColumnDescriptor) {
        switch self {
        case .string(let bytes, let collation) where collation == Self.binaryCollation || !Self.isUTF8(bytes):
            Self.appendBase64Object(bytes, to: &output)
        case .string(let bytes, _):
            TextBytes.appendJSONString(bytes, to: &output)
        case .geometry(let bytes):
            Self.appendBase64Object(bytes, to: &output)
        default:
            var text: [UInt8] = []
            self.appendJSONRepresentation(to: &text, column: column)
            text.withUnsafeBytes { output.appendBytes($0) }
        }
    }

    private static func appendJSONInteger(magnitude: UInt64, isNegative: Bool, to output: inout [UInt8]) {
        let isExact = magnitude <= Self.largestExactInteger
        if !isExact { output.append(UInt8(ascii: "\"")) }
        if isNegative { output.append(UInt8(ascii: "-")) }
        TextBytes.appendUnsigned(magnitude, to: &output)
        if !isExact { output.append(UInt8(ascii: "\"")) }
    }

    private static func appendBase64Object(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: Array(#"{"base64": ""#.utf8))
        TextBytes.appendBase64(bytes, to: &output)
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "}")])
    }

    private static func appendBase64Object(_ bytes: [UInt8], to output: inout FlushingTextBuffer) {
        let opening: StaticString = #"{"base64": ""#
        output.appendBytes(UnsafeRawBufferPointer(start: opening.utf8Start, count: opening.utf8CodeUnitCount))
        bytes.withUnsafeBytes { Base64.append($0, to: &output) }
        TextBytes.appendPair(UInt8(ascii: "\""), UInt8(ascii: "}"), to: &output)
    }

    /// ASCII fast path, then full validation.
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
