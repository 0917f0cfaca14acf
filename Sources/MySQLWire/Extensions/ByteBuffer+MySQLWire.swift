import BinlogFormat
import NIOCore

// Reads shared with BinlogFormat (`readLittleEndian`, `readLengthEncodedInteger`, …) throw `BinlogDecodingError`;
// ``decodingMessage(_:_:)`` turns those into ``MySQLError`` with the message name. The few protocol-only
// helpers live here.
extension ByteBuffer {
    /// Bytes up to (not including) the next NUL, which is consumed; throws when there is no NUL.
    package mutating func readNullTerminatedBytes(field: StaticString) throws -> [UInt8] {
        guard let end = self.readableBytesView.firstIndex(of: 0) else {
            throw MySQLError.protocolViolation("\(field): missing NUL terminator")
        }
        let bytes = self.readBytes(length: end - self.readerIndex) ?? []
        self.moveReaderIndex(forwardBy: 1)
        return bytes
    }

    /// A NUL-terminated UTF-8 string (user, plugin and server names); throws on invalid UTF-8.
    package mutating func readNullTerminatedUTF8(field: StaticString) throws -> String {
        let bytes = try self.readNullTerminatedBytes(field: field)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw MySQLError.protocolViolation("\(field): not valid UTF-8")
        }
        return string
    }

    /// A length-encoded string as UTF-8 (column metadata); throws on invalid UTF-8.
    package mutating func readLengthEncodedUTF8(field: StaticString) throws -> String {
        let bytes = try self.readLengthEncodedBytes(field: field)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw MySQLError.protocolViolation("\(field): not valid UTF-8")
        }
        return string
    }

    /// Writes a length-encoded integer (1, 3, 4 or 9 bytes).
    package mutating func writeLengthEncodedInteger(_ value: UInt64) {
        switch value {
        case ..<0xFB: self.writeInteger(UInt8(value))
        case ..<0x1_0000:
            self.writeInteger(UInt8(0xFC))
            self.writeInteger(UInt16(value), endianness: .little)
        case ..<0x100_0000:
            self.writeInteger(UInt8(0xFD))
            self.writeInteger(UInt16(truncatingIfNeeded: value), endianness: .little)
            self.writeInteger(UInt8(truncatingIfNeeded: value >> 16))
        default:
            self.writeInteger(UInt8(0xFE))
            self.writeInteger(value, endianness: .little)
        }
    }

    /// Writes a length-encoded string.
    package mutating func writeLengthEncodedBytes(_ bytes: some Collection<UInt8>) {
        self.writeLengthEncodedInteger(UInt64(bytes.count))
        self.writeBytes(bytes)
    }
}

/// Runs a message decoder and reports any decoding failure as a ``MySQLError`` that names the message.
func decodingMessage<T>(_ name: StaticString, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BinlogDecodingError {
        throw MySQLError.protocolViolation("\(name): \(error.reason)", cause: error)
    } catch var error as MySQLError {
        error.reason = "\(name): \(error.reason)"
        throw error
    }
}
