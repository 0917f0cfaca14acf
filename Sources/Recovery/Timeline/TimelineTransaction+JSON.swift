#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TimelineTransaction {
    /// The transaction as one line of `rewind timeline --format json` (keys sorted by name, no trailing newline).
    ///
    /// Written directly as bytes: statements can be megabytes of SQL, and `JSONEncoder` costs more than reading
    /// the binlog. ``init(from:)`` reads it back.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"commit_time":"#.utf8)
        Self.appendString(self.commitTimeRFC3339, to: &out)
        out.append(contentsOf: #","commit_time_source":"#.utf8)
        Self.appendString(self.commitTimeSource.rawValue, to: &out)
        out.append(contentsOf: #","end_position":"#.utf8)
        out.append(contentsOf: String(self.endPosition).utf8)
        out.append(contentsOf: #","file":"#.utf8)
        Self.appendString(self.file, to: &out)
        out.append(contentsOf: #","gtid":"#.utf8)
        if let gtid { Self.appendString(gtid, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","repair":"#.utf8)
        Self.appendArray(self.repair, to: &out)
        out.append(contentsOf: #","start_position":"#.utf8)
        out.append(contentsOf: String(self.startPosition).utf8)
        out.append(contentsOf: #","statements":"#.utf8)
        Self.appendArray(self.statements, to: &out)
        out.append(contentsOf: #","suspicious":["#.utf8)
        for (index, flag) in self.suspicious.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"detail":"#.utf8)
            Self.appendString(flag.detail, to: &out)
            out.append(contentsOf: #","reason":"#.utf8)
            Self.appendString(flag.reason.rawValue, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"tables":["#.utf8)
        for (index, table) in self.tables.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"columns":"#.utf8)
            if let columns = table.columns {
                Self.appendArray(columns, to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
            out.append(contentsOf: #","database":"#.utf8)
            Self.appendString(table.database, to: &out)
            out.append(contentsOf: #","deleted":"#.utf8)
            out.append(contentsOf: String(table.deleted).utf8)
            out.append(contentsOf: #","inserted":"#.utf8)
            out.append(contentsOf: String(table.inserted).utf8)
            out.append(contentsOf: #","rows_before":"#.utf8)
            out.append(contentsOf: (table.rowsBefore.map { String($0) } ?? "null").utf8)
            out.append(contentsOf: #","table":"#.utf8)
            Self.appendString(table.table, to: &out)
            out.append(contentsOf: #","updated":"#.utf8)
            out.append(contentsOf: String(table.updated).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
    }

    /// ``appendJSON(to:)`` as a string.
    public var jsonLine: String {
        var bytes: [UInt8] = []
        self.appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The commit time as RFC 3339 in UTC, computed with `gmtime_r` (``commitTimeText`` gives the same text).
    var commitTimeRFC3339: String {
        let micros = self.commitTimeMicros
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let fraction = micros - Int64(seconds) * 1_000_000
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return self.commitTimeText }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
        text += "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if self.commitTimeSource == .commitTimestamp {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }

    static func appendArray(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            out.reserveCapacity(out.count + utf8.count + 2)
            out.append(UInt8(ascii: "\""))
            var runStart = 0
            var index = 0
            let count = utf8.count
            let raw = UnsafeRawBufferPointer(utf8)
            while index < count {
                // Eight bytes at a time while none needs escaping (statements are mostly plain text).
                if count - index >= 8 {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    if !Self.mayNeedEscaping(word) {
                        index += 8
                        continue
                    }
                }
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(index - 1)]))
                runStart = index
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case 0x0A: out.append(contentsOf: #"\n"#.utf8)
                case 0x0D: out.append(contentsOf: #"\r"#.utf8)
                case 0x09: out.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Whether one of the eight bytes of `word` may be a quote, a backslash or a control character (no false
    /// negatives; a rare false positive only sends the word through the byte loop).
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word & highs
        return hasZeroByte(quote) || hasZeroByte(backslash) || control != 0
    }
}
