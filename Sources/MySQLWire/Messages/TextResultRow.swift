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
