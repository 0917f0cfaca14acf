import Testing

@testable import SQLRendering

@Suite struct TextValueLiteralTests {
    @Test func rendersEachKind() {
        #expect(TextValueLiteral.string(nil, kind: .integer) == "NULL")
        #expect(TextValueLiteral.string(Array("-12".utf8), kind: .integer) == "-12")
        #expect(TextValueLiteral.string(Array("1e-300".utf8), kind: .double) == "1e-300")
        #expect(TextValueLiteral.string([0x01, 0x05], kind: .bit) == "b'0000000100000101'")
        #expect(TextValueLiteral.string(Array("it's\\\n".utf8), kind: .text(charset: "utf8mb4")) == "'it\\'s\\\\\\n'")
        var binary: [UInt8] = []
        [UInt8]([0x00, 0xFF, 0x1A]).withUnsafeBytes { TextValueLiteral.append($0, kind: .binary, to: &binary) }
        #expect(binary == Array("_binary'\\0".utf8) + [0xFF] + Array("\\Z'".utf8))
        #expect(TextValueLiteral.string([0xE9], kind: .text(charset: "latin1")).hasPrefix("_latin1'"))
        #expect(TextValueLiteral.string([0x82, 0x5C], kind: .text(charset: "sjis")) == "_sjis X'825C'")
        #expect(
            TextValueLiteral.string(Array("2024-02-29 10:00:00.5".utf8), kind: .temporal) == "'2024-02-29 10:00:00.5'")
    }

    @Test func aNumberThatIsNotDigitsIsQuoted() {
        #expect(TextValueLiteral.string(Array("1;DROP".utf8), kind: .integer) == "'1;DROP'")
    }

    /// Every byte value, in every kind, reads back as the same bytes.
    @Test(arguments: [
        SQLValueKind.binary, .text(charset: "utf8mb4"), .text(charset: "latin1"), .text(charset: "sjis"), .json,
        .temporal,
    ])
    func everyByteRoundTrips(kind: SQLValueKind) throws {
        let values: [[UInt8]?] = [(0...255).map { UInt8($0) }, [], nil, Array("'\\\"`;".utf8)]
        var statement = Array("INSERT INTO `t` (`a`) VALUES ".utf8)
        for (index, value) in values.enumerated() {
            if index > 0 { statement.append(0x2C) }
            statement.append(0x28)
            if let value {
                value.withUnsafeBytes { TextValueLiteral.append($0, kind: kind, to: &statement) }
            } else {
                TextValueLiteral.append(nil, kind: kind, to: &statement)
            }
            statement.append(0x29)
        }
        var parsed: [[UInt8]?] = []
        try statement.withUnsafeBytes { bytes in
            try TextValueLiteralParser.forEachRow(in: bytes, columnCount: 1) { row in
                row.forEachValue { _, value in parsed.append(value.map { Array($0) }) }
            }
        }
        #expect(parsed == values)
    }

    @Test func numbersAndBitsRoundTrip() throws {
        let statement = Array("INSERT INTO t VALUES (-1.50,b'101',1e-300,NULL)".utf8)
        var parsed: [[UInt8]?] = []
        try statement.withUnsafeBytes { bytes in
            try TextValueLiteralParser.forEachRow(in: bytes, columnCount: 4) { row in
                parsed = []
                row.forEachValue { _, value in parsed.append(value.map { Array($0) }) }
            }
        }
        #expect(parsed == [Array("-1.50".utf8), [5], Array("1e-300".utf8), nil])
    }

    @Test func aDamagedStatementNamesTheOffset() {
        let statement = Array("INSERT INTO t VALUES (1,'abc)".utf8)
        let error = #expect(throws: TextValueLiteralParser.Failure.self) {
            try statement.withUnsafeBytes { try TextValueLiteralParser.forEachRow(in: $0, columnCount: 2) { _ in } }
        }
        #expect(error?.offset == 24)
    }

    @Test func aWrongValueCountIsAnError() {
        let statement = Array("INSERT INTO t VALUES (1,2)".utf8)
        #expect(throws: TextValueLiteralParser.Failure.self) {
            try statement.withUnsafeBytes { try TextValueLiteralParser.forEachRow(in: $0, columnCount: 3) { _ in } }
        }
    }
}
