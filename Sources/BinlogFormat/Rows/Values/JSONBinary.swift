import NIOCore

/// MySQL's binary JSON format (`json_binary.h`), as JSON columns store it in row images.
///
/// A document is a type byte followed by the value. Containers come in a small form (2-byte counts and
/// offsets, total size < 64 KiB) and a large form (4-byte); offsets count from the first byte after the
/// container's type byte.
///
///     object:  count | size | key entries (offset, 2-byte length)… | value entries (type, offset or inline)… | keys | values
///     array:   count | size | value entries (type, offset or inline)… | values
///     string:  variable-length byte count (7 bits per byte, low first) | UTF-8 bytes
///     opaque:  field type (1) | variable-length byte count | bytes
///
///     type  0 small object   1 large object   2 small array   3 large array   4 literal (0 null, 1 true, 2 false)
///           5 int16   6 uint16   7 int32   8 uint32   9 int64   10 uint64   11 double   12 string   15 opaque
///
/// Literals and 16-bit integers are always stored inline in the value entry; 32-bit integers are inline in
/// large containers only.
package enum JSONBinary {
    /// MySQL refuses documents nested deeper than 100 levels; deeper input is malformed.
    private static let maximumDepth = 150

    /// Decodes one binary JSON document.
    ///
    /// - Parameter bytes: The document (type byte first). An empty buffer is JSON `null`, as MySQL stores it.
    /// - Returns: The document as a tree, object members in stored order.
    /// - Throws: ``BinlogDecodingError`` `.malformed` for an unknown type, an offset or size outside the
    ///   document, invalid UTF-8 or nesting deeper than 150; `.truncated` when a value ends early.
    package static func decode(_ bytes: ByteBuffer) throws -> JSONValue {
        var document = bytes
        guard let type = document.readInteger(as: UInt8.self) else { return .null }
        return try Self.value(type: type, in: document, depth: 0)
    }

    /// The value of `type` starting at `data`'s reader index; `data` may run on past the value's end.
    private static func value(type: UInt8, in data: ByteBuffer, depth: Int) throws -> JSONValue {
        var data = data
        switch type {
        case 0x00: return try Self.container(data, isObject: true, isLarge: false, depth: depth)
        case 0x01: return try Self.container(data, isObject: true, isLarge: true, depth: depth)
        case 0x02: return try Self.container(data, isObject: false, isLarge: false, depth: depth)
        case 0x03: return try Self.container(data, isObject: false, isLarge: true, depth: depth)
        case 0x04: return try Self.literal(try data.readLittleEndian(UInt8.self, field: "JSON literal"))
        case 0x05: return .int(Int64(try data.readLittleEndian(Int16.self, field: "JSON int16")))
        case 0x06: return .int(Int64(try data.readLittleEndian(UInt16.self, field: "JSON uint16")))
        case 0x07: return .int(Int64(try data.readLittleEndian(Int32.self, field: "JSON int32")))
        case 0x08: return .int(Int64(try data.readLittleEndian(UInt32.self, field: "JSON uint32")))
        case 0x09: return .int(try data.readLittleEndian(Int64.self, field: "JSON int64"))
        case 0x0A: return .uint(try data.readLittleEndian(UInt64.self, field: "JSON uint64"))
        case 0x0B: return .double(Double(bitPattern: try data.readLittleEndian(UInt64.self, field: "JSON double")))
        case 0x0C:
            let length = try data.readJSONVariableLength(field: "JSON string length")
            return .string(try data.readUTF8String(length: length, field: "JSON string"))
        case 0x0F:
            let fieldType = ColumnType(rawValue: try data.readLittleEndian(UInt8.self, field: "JSON opaque type"))
            let length = try data.readJSONVariableLength(field: "JSON opaque length")
            var payload = try data.readSlice(length: length, field: "JSON opaque value")
            return try Self.opaque(type: fieldType, payload: &payload)
        default:
            throw BinlogDecodingError.malformed("JSON value", reason: "unknown value type \(type)")
        }
    }

    private static func literal(_ byte: UInt8) throws -> JSONValue {
        switch byte {
        case 0: return .null
        case 1: return .bool(true)
        case 2: return .bool(false)
        default: throw BinlogDecodingError.malformed("JSON literal", reason: "unknown literal \(byte)")
        }
    }

    private static func container(_ data: ByteBuffer, isObject: Bool, isLarge: Bool, depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else {
            throw BinlogDecodingError.malformed("JSON container", reason: "nested deeper than \(Self.maximumDepth)")
        }
        let width = isLarge ? 4 : 2
        var header = data
        let count = try Self.readOffset(&header, width: width, field: "JSON element count")
        let size = try Self.readOffset(&header, width: width, field: "JSON container size")
        guard size <= data.readableBytes else {
            throw BinlogDecodingError.truncated(
                "JSON container",
                needed: size,
                available: data.readableBytes,
                file: #fileID,
                line: #line
            )
        }
        // From here on every offset must stay within the container's own bytes.
        let container = data.getSlice(at: data.readerIndex, length: size) ?? ByteBuffer()
        let keyEntrySize = width + 2
        let valueEntrySize = 1 + width
        let headerSize = 2 * width + count * ((isObject ? keyEntrySize : 0) + valueEntrySize)
        guard count <= size, headerSize <= size else {
            throw BinlogDecodingError.malformed(
                "JSON container",
                reason: "\(count) elements do not fit in \(size) bytes"
            )
        }
        let valueEntriesStart = 2 * width + (isObject ? count * keyEntrySize : 0)
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        var members: [JSONMember] = []
        if isObject { members.reserveCapacity(count) }
        for index in 0..<count {
            var entry = try Self.slice(
                container,
                at: valueEntriesStart + index * valueEntrySize,
                length: valueEntrySize
            )
            let type = try entry.readLittleEndian(UInt8.self, field: "JSON value entry")
            let element: JSONValue
            switch type {
            case 0x04:
                element = try Self.literal(try entry.readLittleEndian(UInt8.self, field: "JSON literal"))
            case 0x05:
                element = .int(Int64(try entry.readLittleEndian(Int16.self, field: "JSON int16")))
            case 0x06:
                element = .int(Int64(try entry.readLittleEndian(UInt16.self, field: "JSON uint16")))
            case 0x07 where isLarge:
                element = .int(Int64(try entry.readLittleEndian(Int32.self, field: "JSON int32")))
            case 0x08 where isLarge:
                element = .int(Int64(try entry.readLittleEndian(UInt32.self, field: "JSON uint32")))
            default:
                let offset = try Self.readOffset(&entry, width: width, field: "JSON value offset")
                guard offset >= headerSize, offset < size else {
                    throw BinlogDecodingError.malformed(
                        "JSON value offset",
                        reason: "offset \(offset) is outside the container (\(size) bytes)"
                    )
                }
                let valueData = try Self.slice(container, at: offset, length: size - offset)
                element = try Self.value(type: type, in: valueData, depth: depth + 1)
            }
            if isObject {
                var keyEntry = try Self.slice(container, at: 2 * width + index * keyEntrySize, length: keyEntrySize)
                let keyOffset = try Self.readOffset(&keyEntry, width: width, field: "JSON key offset")
                let keyLength = Int(try keyEntry.readLittleEndian(UInt16.self, field: "JSON key length"))
                guard keyOffset >= headerSize else {
                    throw BinlogDecodingError.malformed(
                        "JSON key offset",
                        reason: "offset \(keyOffset) points into the container header"
                    )
                }
                var keyBytes = try Self.slice(container, at: keyOffset, length: keyLength)
                let key = try keyBytes.readUTF8String(length: keyLength, field: "JSON key")
                members.append(JSONMember(key: key, value: element))
            } else {
                elements.append(element)
            }
        }
        return isObject ? .object(members) : .array(elements)
    }

    private static func readOffset(_ buffer: inout ByteBuffer, width: Int, field: StaticString) throws -> Int {
        width == 2
            ? Int(try buffer.readLittleEndian(UInt16.self, field: field))
            : Int(try buffer.readLittleEndian(UInt32.self, field: field))
    }

    private static func slice(_ container: ByteBuffer, at offset: Int, length: Int) throws -> ByteBuffer {
        guard offset >= 0, length >= 0, offset <= container.readableBytes - length,
            let slice = container.getSlice(at: container.readerIndex + offset, length: length)
        else {
            throw BinlogDecodingError.malformed(
                "JSON container",
                reason: "\(length) bytes at offset \(offset) run past the container (\(container.readableBytes) bytes)"
            )
        }
        return slice
    }

    /// Opaque values: DECIMAL (precision, scale, binary decimal) and temporal types (8-byte packed, as
    /// `TIME_to_longlong_packed` writes them) are decoded; the rest keep their bytes.
    private static func opaque(type: ColumnType, payload: inout ByteBuffer) throws -> JSONValue {
        switch type {
        case .newdecimal:
            let precision = Int(try payload.readLittleEndian(UInt8.self, field: "JSON decimal precision"))
            let scale = Int(try payload.readLittleEndian(UInt8.self, field: "JSON decimal scale"))
            return .decimal(try DecimalBinary.decode(precision: precision, scale: scale, from: &payload))
        case .date, .datetime, .timestamp, .datetime2, .timestamp2, .newdate:
            let packed = try payload.readLittleEndian(Int64.self, field: "JSON datetime")
            let value = Self.datetime(packed: packed)
            switch type {
            case .date, .newdate: return .date(value.date)
            case .timestamp, .timestamp2: return .timestamp(value)
            default: return .datetime(value)
            }
        case .time, .time2:
            return .time(Self.time(packed: try payload.readLittleEndian(Int64.self, field: "JSON time")))
        default:
            return .opaque(type: type, bytes: payload.readBytes(length: payload.readableBytes) ?? [])
        }
    }

    /// `((year * 13 + month) << 5 | day) << 17 | hour << 12 | minute << 6 | second`, shifted left 24 and
    /// plus microseconds; negated when negative.
    static func datetime(packed: Int64) -> MySQLDateTime {
        let magnitude = packed.magnitude
        return TemporalBinary.datetime(
            fields: magnitude >> 24,
            microseconds: UInt32(truncatingIfNeeded: magnitude & 0xFF_FFFF),
            precision: 6
        )
    }

    /// `(hour << 12 | minute << 6 | second) << 24 | microseconds`, negated when negative.
    static func time(packed: Int64) -> MySQLTime {
        let magnitude = packed.magnitude
        let hms = magnitude >> 24
        return MySQLTime(
            isNegative: packed < 0,
            hours: UInt32(truncatingIfNeeded: (hms >> 12) & 0x3FF),
            minutes: UInt8(truncatingIfNeeded: (hms >> 6) & 0x3F),
            seconds: UInt8(truncatingIfNeeded: hms & 0x3F),
            microseconds: UInt32(truncatingIfNeeded: magnitude & 0xFF_FFFF),
            precision: 6
        )
    }
}
