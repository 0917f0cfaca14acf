import BinlogFormat
import NIOCore

/// One row of a text result set (`ProtocolText::ResultsetRow`): each value a length-encoded string, or `0xFB`
/// for NULL.
///
///     ┌────────────────────┬────────────────────┬─────┐
///     │ value 1 (lenenc)   │ value 2 or 0xFB    │ …   │
///     └────────────────────┴────────────────────┴─────┘
package struct TextResultRow: Hashable, Sendable {
    /// The values as the server sent them (text), `nil` for NULL.
    package var values: [ByteBuffer?]

    package init(values: [ByteBuffer?]) { self.values = values }

    package static func decode(from payload: inout ByteBuffer, columnCount: Int) throws -> Self {
        try decodingMessage("text result row") {
            var values: [ByteBuffer?] = []
            values.reserveCapacity(columnCount)
            for _ in 0..<columnCount {
                if let length = try payload.readLengthEncodedInteger(field: "value length") {
                    guard length <= UInt64(payload.readableBytes) else {
                        throw MySQLError.protocolViolation(
                            "value length \(length) exceeds the \(payload.readableBytes) bytes left"
                        )
                    }
                    values.append(try payload.readSlice(length: Int(length), field: "value"))
                } else {
                    values.append(nil)
                }
            }
            guard payload.readableBytes == 0 else {
                throw MySQLError.protocolViolation("\(payload.readableBytes) bytes left after \(columnCount) values")
            }
            return Self(values: values)
        }
    }

    /// Checks that `payload` holds exactly `columnCount` values, each within the packet, without copying them:
    /// afterwards ``forEachValue(in:columnCount:_:)`` walks it without failing.
    ///
    /// - Throws: ``MySQLError/Code-swift.struct/protocolViolation`` naming the value that does not fit.
    package static func validate(_ payload: ByteBuffer, columnCount: Int) throws {
        try payload.withUnsafeReadableBytes { bytes in
            try self.forEachValue(in: bytes, columnCount: columnCount) { _, _ in }
        }
    }

    /// Calls `body` with each value's bytes in place (`nil` for NULL), in column order: no copy, no allocation.
    ///
    /// - Throws: ``MySQLError/Code-swift.struct/protocolViolation`` when the values do not fill the payload exactly,
    ///   or what `body` throws.
    package static func forEachValue(
        in bytes: UnsafeRawBufferPointer,
        columnCount: Int,
        _ body: (Int, UnsafeRawBufferPointer?) throws -> Void
    ) throws {
        var offset = 0
        for index in 0..<columnCount {
            guard offset < bytes.count else {
                throw MySQLError.protocolViolation("text result row: value \(index + 1): the row ends early")
            }
            let first = bytes[offset]
            offset += 1
            let width: Int
            switch first {
            case ..<0xFB:
                width = 0
            case 0xFB:
                try body(index, nil)
                continue
            case 0xFC: width = 2
            case 0xFD: width = 3
            case 0xFE: width = 8
            default:
                throw MySQLError.protocolViolation("text result row: value \(index + 1): 0xFF is not a length prefix")
            }
            guard bytes.count - offset >= width else {
                throw MySQLError.protocolViolation("text result row: value \(index + 1): the length is cut off")
            }
            var length = width == 0 ? UInt64(first) : 0
            for shift in 0..<width { length |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
            offset += width
            guard length <= UInt64(bytes.count - offset) else {
                throw MySQLError.protocolViolation(
                    "text result row: value length \(length) exceeds the \(bytes.count - offset) bytes left"
                )
            }
            let end = offset + Int(length)
            try body(index, UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            offset = end
        }
        guard offset == bytes.count else {
            throw MySQLError.protocolViolation(
                "text result row: \(bytes.count - offset) bytes left after \(columnCount) values"
            )
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        for value in self.values {
            if var value {
                buffer.writeLengthEncodedInteger(UInt64(value.readableBytes))
                buffer.writeBuffer(&value)
            } else {
                buffer.writeInteger(UInt8(0xFB))
            }
        }
    }
}
