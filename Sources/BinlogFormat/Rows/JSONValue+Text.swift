extension JSONValue {
    /// The document as MySQL prints it (`SELECT CAST(j AS CHAR)`): `{"k": 1, "l": [true, null]}` with `", "`
    /// and `": "` separators, members in stored order, DECIMAL as a bare number (`123.456`), temporal values
    /// as strings with six fraction digits (`"2012-03-18 11:30:45.000000"`, `"87:31:46.654321"`,
    /// `"2012-03-18"`), other opaque values as `"base64:type15:VQ=="`.
    package var canonicalText: String {
        var output: [UInt8] = []
        self.appendCanonicalText(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``canonicalText`` as UTF-8.
    package func appendCanonicalText(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true): output.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false): output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .int(let value): TextBytes.appendSigned(value, to: &output)
        case .uint(let value): TextBytes.appendUnsigned(value, to: &output)
        case .double(let value): TextBytes.appendJSONDouble(value, to: &output)
        case .string(let value): TextBytes.appendJSONString(value.utf8, to: &output)
        case .decimal(let value): output.append(contentsOf: value.utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                element.appendCanonicalText(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                TextBytes.appendJSONString(member.key.utf8, to: &output)
                output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                member.value.appendCanonicalText(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .date(let date):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendDate(date, to: &output)
            output.append(UInt8(ascii: "\""))
        case .time(let time):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendTime(time, to: &output)
            output.append(UInt8(ascii: "\""))
        case .datetime(let value), .timestamp(let value):
            output.append(UInt8(ascii: "\""))
            TextBytes.appendDateTime(value, to: &output)
            output.append(UInt8(ascii: "\""))
        case .opaque(let type, let bytes):
            output.append(contentsOf: Array("\"base64:type".utf8))
            TextBytes.appendUnsigned(UInt64(type.rawValue), to: &output)
            output.append(UInt8(ascii: ":"))
            TextBytes.appendBase64(bytes, to: &output)
            output.append(UInt8(ascii: "\""))
        }
    }
}
