extension VerboseColumn {
    /// Reads one non-NULL value of a column whose ``kind`` is not ``Kind/general`` and appends its text as
    /// `mariadb-binlog -v` prints it (see ``MySQLValue/appendVerboseText(to:column:)``).
    ///
    /// - Throws: ``BinlogDecodingError`` as ``MySQLValue/decode(_:from:)`` does, the reason starting with the
    ///   column type; `output` may then hold a partial value.
    @inline(__always)
    func print<Output: ByteOutput & ~Copyable>(from bytes: inout RowBytes, to output: inout Output) throws {
        do {
            try self.printValue(from: &bytes, to: &output)
        } catch var error as BinlogDecodingError {
            error.reason = "\(ColumnType(rawValue: self.typeCode)) column: \(error.reason)"
            throw error
        }
    }

    @inline(__always)
    private func printValue<Output: ByteOutput & ~Copyable>(from bytes: inout RowBytes, to output: inout Output) throws
    {
        switch self.kind {
        case .quoted:
            let length = Int(try bytes.littleEndian(self.size, field: "string length"))
            TextBytes.appendQuoted(try bytes.take(length, field: "string value"), to: &output)
        case .integer:
            let bits = try bytes.littleEndian(self.size, field: "integer value")
            MySQLValue.appendIntegerVerbose(bits, bitWidth: self.size &* 8, to: &output)
        case .decimal:
            let raw = try bytes.take(self.size, field: "DECIMAL value")
            try DecimalBinary.append(precision: self.precision, scale: self.scale, bytes: raw, to: &output)
        case .double:
            PrintfG.append(
                Double(bitPattern: try bytes.littleEndian(8, field: "DOUBLE value")),
                precision: 20,
                to: &output
            )
        case .float:
            let bits = UInt32(truncatingIfNeeded: try bytes.littleEndian(4, field: "FLOAT value"))
            PrintfG.append(Double(Float(bitPattern: bits)), precision: 6, width: 20, to: &output)
        case .datetime2:
            let raw = try bytes.bigEndian(5, field: "DATETIME2 value")
            let precision = UInt8(truncatingIfNeeded: self.precision)
            let fraction = self.size == 0 ? 0 : try bytes.bigEndian(self.size, field: "DATETIME2 fraction")
            let microseconds = try TemporalBinary.microseconds(
                fraction: fraction,
                precision: precision,
                field: "DATETIME2 fraction"
            )
            let value = try TemporalBinary.datetime2(raw: raw, microseconds: microseconds, precision: precision)
            output.append(UInt8(ascii: "'"))
            TextBytes.appendDateTime(value, to: &output)
            output.append(UInt8(ascii: "'"))
        case .timestamp2:
            let seconds = try bytes.bigEndian(4, field: "TIMESTAMP2 value")
            let precision = UInt8(truncatingIfNeeded: self.precision)
            let fraction = self.size == 0 ? 0 : try bytes.bigEndian(self.size, field: "TIMESTAMP2 fraction")
            let microseconds = try TemporalBinary.microseconds(
                fraction: fraction,
                precision: precision,
                field: "TIMESTAMP2 fraction"
            )
            TextBytes.appendSigned(Int64(Int32(truncatingIfNeeded: seconds)), to: &output)
            TextBytes.appendFraction(microseconds, precision: precision, to: &output)
        case .time2:
            let integer = try bytes.bigEndian(3, field: "TIME2 value")
            let fraction = self.size == 0 ? 0 : try bytes.bigEndian(self.size, field: "TIME2 fraction")
            let time = try TemporalBinary.time2(
                integer: integer,
                fraction: fraction,
                precision: UInt8(truncatingIfNeeded: self.precision)
            )
            output.append(UInt8(ascii: "'"))
            TextBytes.appendTime(time, to: &output)
            output.append(UInt8(ascii: "'"))
        case .year:
            TextBytes.appendUnsigned(1900 + (try bytes.littleEndian(1, field: "YEAR value")), width: 4, to: &output)
        case .date:
            let raw = try bytes.littleEndian(3, field: "DATE value")
            let date = MySQLDate(
                year: UInt16(truncatingIfNeeded: raw >> 9),
                month: UInt8(truncatingIfNeeded: (raw >> 5) & 0x0F),
                day: UInt8(truncatingIfNeeded: raw & 0x1F)
            )
            output.append(UInt8(ascii: "'"))
            TextBytes.appendDate(date, separator: UInt8(ascii: ":"), to: &output)
            output.append(UInt8(ascii: "'"))
        case .enumeration:
            TextBytes.appendUnsigned(try bytes.littleEndian(self.size, field: "ENUM value"), to: &output)
        case .set:
            // The stored bytes in order, each as eight bits, most significant first.
            let raw = try bytes.take(self.size, field: "SET value")
            TextBytes.appendPair(UInt8(ascii: "b"), UInt8(ascii: "'"), to: &output)
            for byte in raw { TextBytes.appendBits(byte, to: &output) }
            output.append(UInt8(ascii: "'"))
        case .general:
            preconditionFailure("general columns are printed through MySQLValue")
        }
    }
}

extension VerboseColumn {
    /// Steps over one non-NULL value of a column whose ``kind`` is not ``Kind/general``, reading only its length.
    @inline(__always)
    func skip(from bytes: inout RowBytes) throws {
        do {
            switch self.kind {
            case .quoted:
                let length = Int(try bytes.littleEndian(self.size, field: "string length"))
                try bytes.skip(length, field: "string value")
            case .integer, .float, .double, .decimal, .year, .date, .enumeration, .set:
                try bytes.skip(self.size, field: "value")
            case .datetime2: try bytes.skip(5 &+ self.size, field: "DATETIME2 value")
            case .timestamp2: try bytes.skip(4 &+ self.size, field: "TIMESTAMP2 value")
            case .time2: try bytes.skip(3 &+ self.size, field: "TIME2 value")
            case .general: preconditionFailure("general columns are decoded through MySQLValue")
            }
        } catch var error as BinlogDecodingError {
            error.reason = "\(ColumnType(rawValue: self.typeCode)) column: \(error.reason)"
            throw error
        }
    }
}
