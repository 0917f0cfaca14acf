import NIOCore

/// One change of a partial JSON update (`PARTIAL_UPDATE_ROWS_EVENT`, `binlog_row_value_options=PARTIAL_JSON`):
/// MySQL's `Json_diff`.
///
/// A JSON column of the after image holds, instead of the document, the list of changes to apply to the
/// before image's document:
///
///     ┌───────────────────────┬──────────────────────────────────────────────────────────────────┐
///     │ byte length (4, LE)   │ diffs…                                                           │
///     └───────────────────────┴──────────────────────────────────────────────────────────────────┘
///     diff: operation (1) | path length (length-encoded) | path | [value length (length-encoded) | binary JSON]
///           (no value for remove)
package struct JSONDiff: Hashable, Sendable {
    /// What a diff does (`enum_json_diff_operation`).
    package enum Operation: UInt8, Hashable, Sendable {
        /// `JSON_REPLACE` (0)
        case replace = 0
        /// `JSON_INSERT`, or appending to an array (1)
        case insert = 1
        /// `JSON_REMOVE` (2)
        case remove = 2

        /// The SQL function that performs it.
        package var functionName: String {
            switch self {
            case .replace: "JSON_REPLACE"
            case .insert: "JSON_INSERT"
            case .remove: "JSON_REMOVE"
            }
        }
    }

    package var operation: Operation
    /// A JSON path such as `$.a[2]`, as MySQL wrote it.
    package var path: String
    /// The new value; `nil` for ``Operation/remove``.
    package var value: JSONValue?

    package init(operation: Operation, path: String, value: JSONValue?) {
        self.operation = operation
        self.path = path
        self.value = value
    }

    /// Reads the diff list of one JSON column of a partial after image: a 4-byte little-endian byte length,
    /// then the diffs.
    ///
    /// - Parameter buffer: The row image at the column's value; advanced past the list.
    /// - Returns: The diffs in order of application.
    /// - Throws: ``BinlogDecodingError`` `.truncated` when the list or a diff ends early, `.malformed` for an
    ///   unknown operation, a non-UTF-8 path or a bad binary JSON value.
    package static func decodeList(from buffer: inout ByteBuffer) throws -> [JSONDiff] {
        let length = Int(try buffer.readLittleEndian(UInt32.self, field: "JSON diff list length"))
        var list = try buffer.readSlice(length: length, field: "JSON diff list")
        var diffs: [JSONDiff] = []
        while list.readableBytes > 0 {
            let rawOperation = try list.readLittleEndian(UInt8.self, field: "JSON diff operation")
            guard let operation = Operation(rawValue: rawOperation) else {
                throw BinlogDecodingError.malformed("JSON diff operation", reason: "unknown operation \(rawOperation)")
            }
            let pathLength = try list.readLengthEncodedLength(field: "JSON diff path length")
            let path = try list.readUTF8String(length: pathLength, field: "JSON diff path")
            var value: JSONValue?
            if operation != .remove {
                let valueLength = try list.readLengthEncodedLength(field: "JSON diff value length")
                value = try JSONBinary.decode(try list.readSlice(length: valueLength, field: "JSON diff value"))
            }
            diffs.append(JSONDiff(operation: operation, path: path, value: value))
        }
        return diffs
    }
}
