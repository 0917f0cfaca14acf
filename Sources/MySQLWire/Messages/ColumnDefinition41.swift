import BinlogFormat
import NIOCore

/// One column of a text result set (`Protocol::ColumnDefinition41`).
///
///     ┌─────────┬────────┬───────┬───────────┬──────┬──────────┬──────────────────┐
///     │ catalog │ schema │ table │ org_table │ name │ org_name │ 0x0C (lenenc)    │   (all lenenc strings)
///     ├─────────┴────────┼───────┴───────────┼──────┴──────────┼──────────┬───────┴──────┬───────────┐
///     │ character set (2)│ column length (4) │ type (1)        │ flags (2)│ decimals (1) │ 0 0 (2)   │
///     └──────────────────┴───────────────────┴─────────────────┴──────────┴──────────────┴───────────┘
package struct ColumnDefinition41: Hashable, Sendable {
    package var schema: String
    package var table: String
    package var name: String
    package var characterSet: UInt16
    package var columnLength: UInt32
    package var type: ColumnType
    package var flags: UInt16
    package var decimals: UInt8

    package init(
        schema: String = "",
        table: String = "",
        name: String,
        characterSet: UInt16 = 63,
        columnLength: UInt32 = 0,
        type: ColumnType,
        flags: UInt16 = 0,
        decimals: UInt8 = 0
    ) {
        self.schema = schema
        self.table = table
        self.name = name
        self.characterSet = characterSet
        self.columnLength = columnLength
        self.type = type
        self.flags = flags
        self.decimals = decimals
    }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("ColumnDefinition41") {
            _ = try payload.readLengthEncodedBytes(field: "catalog")
            let schema = try payload.readLengthEncodedUTF8(field: "schema")
            let table = try payload.readLengthEncodedUTF8(field: "table")
            _ = try payload.readLengthEncodedBytes(field: "org_table")
            let name = try payload.readLengthEncodedUTF8(field: "name")
            _ = try payload.readLengthEncodedBytes(field: "org_name")
            let fixedLength = try payload.readLengthEncodedLength(field: "length of fixed fields")
            guard fixedLength >= 10 else {
                throw MySQLError.protocolViolation("length of fixed fields is \(fixedLength), expected 12")
            }
            var fixed = try payload.readSlice(length: fixedLength, field: "fixed fields")
            let characterSet = try fixed.readLittleEndian(UInt16.self, field: "character set")
            let columnLength = try fixed.readLittleEndian(UInt32.self, field: "column length")
            let type = try fixed.readLittleEndian(UInt8.self, field: "type")
            let flags = try fixed.readLittleEndian(UInt16.self, field: "flags")
            let decimals = try fixed.readLittleEndian(UInt8.self, field: "decimals")
            return Self(
                schema: schema,
                table: table,
                name: name,
                characterSet: characterSet,
                columnLength: columnLength,
                type: ColumnType(rawValue: type),
                flags: flags,
                decimals: decimals
            )
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        for text in ["def", self.schema, self.table, self.table, self.name, self.name] {
            buffer.writeLengthEncodedBytes(Array(text.utf8))
        }
        buffer.writeLengthEncodedInteger(0x0C)
        buffer.writeInteger(self.characterSet, endianness: .little)
        buffer.writeInteger(self.columnLength, endianness: .little)
        buffer.writeInteger(self.type.rawValue)
        buffer.writeInteger(self.flags, endianness: .little)
        buffer.writeInteger(self.decimals)
        buffer.writeInteger(UInt16(0))
    }
}
