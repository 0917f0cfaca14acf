import NIOCore

/// The start of one row image, shared by the value decoder and the direct `-v` printer:
///
///     ┌──────────────────────────────────────────────────────────┬──────────────────────────────────────┐
///     │ PARTIAL_UPDATE after image only: value_options (lenenc), │ NULL bitmap: one bit per present     │
///     │ and if bit 0 (PARTIAL_JSON): one bit per present JSON col │ column, least significant bit first  │
///     └──────────────────────────────────────────────────────────┴──────────────────────────────────────┘
struct RowImageHeader {
    private var partialJSON: [UInt8]
    private let nulls: ByteBuffer
    private var jsonPosition = 0

    /// Whether bit `index` of a little-endian-bit-order bitmap is set.
    @inline(__always)
    static func isSet(_ bitmap: [UInt8], _ index: Int) -> Bool { bitmap[index >> 3] & (1 << UInt8(index & 7)) != 0 }

    static func read(
        from data: inout ByteBuffer, columns: [ColumnDescriptor], present: [UInt8], count: Int, partial: Bool
    ) throws -> Self {
        var partialJSON: [UInt8] = []
        if partial {
            let options = try data.readLengthEncodedInteger(field: "value_options") ?? 0
            if options & 1 != 0 {  // PARTIAL_JSON_UPDATES
                var jsonCount = 0
                for index in 0..<count where isSet(present, index) && columns[index].type == .json { jsonCount += 1 }
                partialJSON = try data.readBytes(length: (jsonCount + 7) / 8, field: "partial_bits")
            }
        }
        var presentCount = 0
        for index in 0..<count where isSet(present, index) { presentCount += 1 }
        let nulls = try data.readSlice(length: (presentCount + 7) / 8, field: "null_bitmap")
        return Self(partialJSON: partialJSON, nulls: nulls)
    }

    /// Whether the `position`-th present column is NULL.
    @inline(__always)
    func isNull(position: Int) -> Bool {
        let byte = self.nulls.getInteger(at: self.nulls.readerIndex + position >> 3, as: UInt8.self) ?? 0
        return byte & (1 << UInt8(position & 7)) != 0
    }

    /// Whether a present column of `type` holds a JSON diff list; call once per present column, in order.
    @inline(__always)
    mutating func holdsJSONDiff(_ type: ColumnType) -> Bool {
        guard !self.partialJSON.isEmpty, type == .json else { return false }
        defer { self.jsonPosition += 1 }
        return Self.isSet(self.partialJSON, self.jsonPosition)
    }
}
