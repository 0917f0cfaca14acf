extension HostileConnection {
    /// What a scripted server answers to one query.
    package enum Reply: Sendable, Equatable {
        /// An OK packet.
        case ok
        /// A text result set of string columns; `nil` is SQL NULL.
        case rows(columns: [String], rows: [[String?]])
        /// An ERR packet: error number, SQLSTATE (5 characters) and message.
        case error(code: UInt16, sqlState: String, message: String)
    }

    /// Greets as a server of `version`, accepts any login, then answers every `COM_QUERY` with `answer(sql)` until
    /// the client quits (`COM_QUIT`) or leaves; other commands (`COM_PING`, …) get an OK packet.
    package func serveQueries(version: String, connectionID: UInt32, _ answer: (String) -> Reply) throws {
        try self.packet(Self.greeting(version: version, connectionID: connectionID), sequenceID: 0)
        _ = try self.receive()
        try self.packet(Self.ok, sequenceID: 2)
        while true {
            let (payload, _) = try self.receive()
            switch payload.first {
            case 0x03: try self.reply(answer(String(decoding: payload.dropFirst(), as: UTF8.self)))
            case 0x01: return
            default: try self.packet(Self.ok, sequenceID: 1)
            }
        }
    }

    /// Sends `reply` as the answer to a command (sequence ids from 1).
    package func reply(_ reply: Reply) throws {
        switch reply {
        case .ok:
            try self.packet(Self.ok, sequenceID: 1)
        case .rows(let columns, let rows):
            try self.resultSet(columns: columns, nullableRows: rows)
        case .error(let code, let sqlState, let message):
            let payload = [0xFF, UInt8(code & 0xFF), UInt8(code >> 8)] + Array(("#" + sqlState + message).utf8)
            try self.packet(payload, sequenceID: 1)
        }
    }

    /// A text result set of string columns (NULL where a value is `nil`), with EOF packets (the greeting offers
    /// no CLIENT_DEPRECATE_EOF).
    package func resultSet(columns: [String], nullableRows rows: [[String?]]) throws {
        var sequenceID: UInt8 = 1
        func next(_ payload: [UInt8]) throws {
            try self.packet(payload, sequenceID: sequenceID)
            sequenceID &+= 1
        }
        try next(Self.lengthEncoded(UInt64(columns.count)))
        for column in columns {
            var definition: [UInt8] = []
            for part in ["def", "", "", "", column, column] { definition += Self.lengthEncoded(part) }
            definition += [0x0C, 45, 0, 255, 0, 0, 0, 253, 0, 0, 0, 0, 0]
            try next(definition)
        }
        try next(Self.eof)
        for row in rows { try next(row.flatMap { $0.map(Self.lengthEncoded) ?? [0xFB] }) }
        try next(Self.eof)
    }

    /// A length-encoded string.
    static func lengthEncoded(_ text: String) -> [UInt8] {
        Self.lengthEncoded(UInt64(text.utf8.count)) + Array(text.utf8)
    }

    /// A length-encoded integer.
    static func lengthEncoded(_ value: UInt64) -> [UInt8] {
        func little(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(value >> (8 * UInt64($0)) & 0xFF) } }
        switch value {
        case ..<251: return [UInt8(value)]
        case ..<(1 << 16): return [0xFC] + little(2)
        case ..<(1 << 24): return [0xFD] + little(3)
        default: return [0xFE] + little(8)
        }
    }
}
