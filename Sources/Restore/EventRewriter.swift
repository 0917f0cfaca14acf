import BinlogFormat
import NIOCore

/// Changes binlog events for replay as `BINLOG` statements: a table map under another database name, a rows event
/// marked as the end of its statement, a rows event cut into smaller ones of whole rows. Each result is a valid
/// event: its size field and CRC32 trailer are written anew.
enum EventRewriter {
    static let headerLength = 19

    /// `event` (a TABLE_MAP) naming `database` instead of its own.
    static func renamingTableMap(_ event: ByteBuffer, to database: String, checksummed: Bool) throws -> ByteBuffer {
        let bytes = Array(event.readableBytesView)
        let databaseAt = Self.headerLength + 8  // table_id (6) + flags (2)
        guard bytes.count > databaseAt + 1 else { throw Self.malformed("TABLE_MAP", bytes.count) }
        let oldLength = Int(bytes[databaseAt])
        let name = Array(database.utf8)
        guard name.count < 256, bytes.count > databaseAt + 2 + oldLength else {
            throw Self.malformed("TABLE_MAP", bytes.count)
        }
        var body = Array(bytes[..<databaseAt])
        body.append(UInt8(name.count))
        body += name
        body += bytes[(databaseAt + 1 + oldLength)..<(bytes.count - (checksummed ? 4 : 0))]
        return Self.sealed(body, checksummed: checksummed)
    }

    /// `event` (a rows event) with `STMT_END_F` set: the server closes the statement's tables after it.
    static func endingStatement(_ event: ByteBuffer, checksummed: Bool) -> ByteBuffer {
        var bytes = Array(event.readableBytesView)
        let flagsAt = Self.headerLength + 6
        guard bytes.count > flagsAt + 2 else { return event }
        bytes[flagsAt] |= UInt8(RowsEvent.flagStatementEnd & 0xFF)
        if checksummed { bytes.removeLast(4) }
        return Self.sealed(bytes, checksummed: checksummed)
    }

    /// `event` cut into events of whole rows, each at most about `limit` bytes (a row bigger than that is an event
    /// by itself); only the last keeps the original's `STMT_END_F`.
    static func splitting(
        _ event: ByteBuffer, rows: RowsEvent, table: TableMapEvent, limit: Int, checksummed: Bool
    ) throws -> [ByteBuffer] {
        let bytes = Array(event.readableBytesView)
        let trailer = checksummed ? 4 : 0
        let prefixLength = bytes.count - trailer - rows.rowData.readableBytes
        guard prefixLength > Self.headerLength + 8 else { throw Self.malformed("ROWS", bytes.count) }
        let prefix = Array(bytes[..<prefixLength])
        let ends = try rows.rowEndOffsets(table: table)
        var pieces: [ByteBuffer] = []
        var start = 0
        var index = 0
        while index < ends.count {
            var end = ends[index]
            index += 1
            while index < ends.count, ends[index] - start + prefixLength <= limit {
                end = ends[index]
                index += 1
            }
            var piece = prefix
            let flagsAt = Self.headerLength + 6
            if index < ends.count { piece[flagsAt] &= ~UInt8(RowsEvent.flagStatementEnd & 0xFF) }
            piece += bytes[(prefixLength + start)..<(prefixLength + end)]
            pieces.append(Self.sealed(piece, checksummed: checksummed))
            start = end
        }
        return pieces
    }

    /// `bytes` (an event without its trailer) with its size field set and, when `checksummed`, a new CRC32.
    static func sealed(_ bytes: [UInt8], checksummed: Bool) -> ByteBuffer {
        var event = bytes
        let size = UInt32(event.count + (checksummed ? 4 : 0))
        event[9] = UInt8(size & 0xFF)
        event[10] = UInt8((size >> 8) & 0xFF)
        event[11] = UInt8((size >> 16) & 0xFF)
        event[12] = UInt8(size >> 24)
        var buffer = ByteBuffer(bytes: event)
        if checksummed {
            let crc = event.withUnsafeBytes { BinlogChecksum.crc32($0) }
            buffer.writeInteger(crc, endianness: .little)
        }
        return buffer
    }

    static func malformed(_ what: String, _ size: Int) -> RestoreError {
        RestoreError(.failed, "a \(what) event of \(size) bytes is too short to rewrite; the binlog is damaged")
    }
}
