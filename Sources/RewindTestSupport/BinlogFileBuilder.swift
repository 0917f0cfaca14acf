import BinlogFormat
import Foundation
import NIOCore

/// Builds binlog files in memory, event by event, for tests that need exact events rather than the external
/// corpus: the magic number, a FORMAT_DESCRIPTION (MySQL 8 or MariaDB 10.11, with or without CRC32), then the
/// events added, each with its v4 header (timestamp, type, server id, size, next position) and trailer.
///
/// ```swift
/// var file = BinlogFileBuilder(flavor: .mysql)
/// file.gtid(sequence: 1); file.query("BEGIN"); file.tableMap(id: 1, "db", "t"); file.writeRows(id: 1, [7]); file.xid()
/// file.insertTransaction(gtid: 2, tableID: 1, "db", "t", rows: [8, 9])  // the same five events in one call
/// try file.write(to: path)
/// ```
package struct BinlogFileBuilder {
    package enum Flavor: Sendable {
        case mysql, mariadb
    }

    package let flavor: Flavor
    package let checksums: Bool
    /// The file's bytes so far.
    package private(set) var bytes: [UInt8] = [0xFE, 0x62, 0x69, 0x6E]
    /// The byte offset of each event added (the format description's first).
    package private(set) var positions: [UInt64] = []
    /// The timestamp of the next event; each event adds one second.
    package var timestamp: UInt32 = 1_700_000_000
    package var serverID: UInt32 = 1

    /// The source id of MySQL GTIDs the builder writes.
    package static let uuid: [UInt8] = Array(0x10...0x1F)

    package init(flavor: Flavor, checksums: Bool = true) {
        self.flavor = flavor
        self.checksums = checksums
        var lengths = [UInt8](repeating: 0, count: flavor == .mariadb ? 168 : 41)
        lengths[Int(BinlogEventType.query.rawValue) - 1] = 13
        lengths[Int(BinlogEventType.rotate.rawValue) - 1] = 8
        lengths[Int(BinlogEventType.formatDescription.rawValue) - 1] = 84
        lengths[Int(BinlogEventType.tableMap.rawValue) - 1] = 8
        lengths[Int(BinlogEventType.writeRowsV2.rawValue) - 1] = 10
        lengths[Int(BinlogEventType.updateRowsV2.rawValue) - 1] = 10
        lengths[Int(BinlogEventType.gtid.rawValue) - 1] = 42
        lengths[Int(BinlogEventType.anonymousGTID.rawValue) - 1] = 42
        if flavor == .mariadb { lengths[Int(BinlogEventType.mariadbGTID.rawValue) - 1] = 19 }
        var body: [UInt8] = []
        body.append(littleEndian: UInt16(4))
        let version = Array((flavor == .mariadb ? "10.11.6-MariaDB-log" : "8.0.36").utf8)
        body += version + [UInt8](repeating: 0, count: 50 - version.count)
        body.append(littleEndian: self.timestamp)
        body.append(19)
        body += lengths
        body.append(checksums ? 1 : 0)
        // The format description always ends with the algorithm byte and 4 checksum bytes (zero when it is off).
        if !checksums { body += [0, 0, 0, 0] }
        self.append(type: .formatDescription, body: body)
    }

    /// Adds an event of `type` with `body` (header and trailer added here).
    package mutating func append(type: BinlogEventType, body: [UInt8], flags: UInt16 = 0, trailer: Bool? = nil) {
        let position = UInt64(self.bytes.count)
        let withTrailer = trailer ?? self.checksums
        let size = 19 + body.count + (withTrailer && self.checksums ? 4 : 0)
        var event: [UInt8] = []
        event.append(littleEndian: self.timestamp)
        event.append(type.rawValue)
        event.append(littleEndian: self.serverID)
        event.append(littleEndian: UInt32(size))
        event.append(littleEndian: UInt32(position + UInt64(size)))
        event.append(littleEndian: flags)
        event += body
        if withTrailer && self.checksums {
            let crc = event.withUnsafeBytes { BinlogChecksum.crc32($0) }
            event.append(littleEndian: crc)
        }
        self.positions.append(position)
        self.bytes += event
        self.timestamp += 1
    }

    /// A QUERY event: `sql` with default database `database`.
    package mutating func query(_ sql: String, database: String = "db") {
        var body: [UInt8] = []
        body.append(littleEndian: UInt32(1))  // thread id
        body.append(littleEndian: UInt32(0))  // exec time
        body.append(UInt8(database.utf8.count))
        body.append(littleEndian: UInt16(0))  // error code
        body.append(littleEndian: UInt16(0))  // status variables length
        body += Array(database.utf8) + [0] + Array(sql.utf8)
        self.append(type: .query, body: body)
    }

    /// An XID event (a transactional engine's commit).
    package mutating func xid(_ id: UInt64 = 1) {
        var body: [UInt8] = []
        body.append(littleEndian: id)
        self.append(type: .xid, body: body)
    }

    /// A MySQL GTID event (`uuid:sequence`, ``uuid``), or ANONYMOUS_GTID when `sequence` is `nil`.
    package mutating func gtid(sequence: UInt64?) {
        var body: [UInt8] = [1]  // flags: may commit alone
        body += sequence == nil ? [UInt8](repeating: 0, count: 16) : Self.uuid
        body.append(littleEndian: sequence ?? 0)
        self.append(type: sequence == nil ? .anonymousGTID : .gtid, body: body)
    }

    /// A MariaDB GTID event `domain-serverID-sequence`; `standalone` for DDL (no BEGIN implied).
    package mutating func mariadbGTID(sequence: UInt64, domain: UInt32 = 0, standalone: Bool) {
        var body: [UInt8] = []
        body.append(littleEndian: sequence)
        body.append(littleEndian: domain)
        body.append(standalone ? MariaDBGTIDEvent.flagStandalone : MariaDBGTIDEvent.flagTransactional)
        body += [UInt8](repeating: 0, count: 6)
        self.append(type: .mariadbGTID, body: body)
    }

    /// A TABLE_MAP event mapping `id` to `database.table` with one INT column (its primary key with `primaryKey`, in
    /// the optional metadata of `binlog_row_metadata=FULL`).
    package mutating func tableMap(id: UInt64, _ database: String, _ table: String, primaryKey: Bool = false) {
        var body: [UInt8] = []
        body += Self.tableID(id)
        body.append(littleEndian: UInt16(1))  // flags
        body.append(UInt8(database.utf8.count))
        body += Array(database.utf8) + [0]
        body.append(UInt8(table.utf8.count))
        body += Array(table.utf8) + [0]
        body += [1, 3, 0, 0]  // one column, of type LONG, no metadata, nullable bitmap
        if primaryKey { body += [8, 1, 0] }  // SIMPLE_PRIMARY_KEY: column 0
        self.append(type: .tableMap, body: body)
    }

    /// An UPDATE_ROWS (v2) event of table `id`: each pair is a row's value before and after.
    package mutating func updateRows(id: UInt64, _ pairs: [(before: Int32, after: Int32)]) {
        var body: [UInt8] = []
        body += Self.tableID(id)
        body.append(littleEndian: UInt16(1))  // flags: end of statement
        body.append(littleEndian: UInt16(2))  // extra data length (none)
        body += [1, 0x01, 0x01]  // one column, present before and after
        for pair in pairs {
            body.append(0)
            body.append(littleEndian: UInt32(bitPattern: pair.before))
            body.append(0)
            body.append(littleEndian: UInt32(bitPattern: pair.after))
        }
        self.append(type: .updateRowsV2, body: body)
    }

    /// A WRITE_ROWS (v2) event of table `id`, one row per value (the table maps one INT column).
    package mutating func writeRows(id: UInt64, _ values: [Int32]) {
        var body: [UInt8] = []
        body += Self.tableID(id)
        body.append(littleEndian: UInt16(1))  // flags: end of statement
        body.append(littleEndian: UInt16(2))  // extra data length (none)
        body += [1, 0x01]  // one column, present
        for value in values {
            body.append(0)  // null bitmap
            body.append(littleEndian: UInt32(bitPattern: value))
        }
        self.append(type: .writeRowsV2, body: body)
    }

    /// A ROTATE event naming `next`.
    package mutating func rotate(to next: String) {
        var body: [UInt8] = []
        body.append(littleEndian: UInt64(4))
        body += Array(next.utf8)
        self.append(type: .rotate, body: body)
    }

    /// Writes the file to `path`.
    package func write(to path: String) throws {
        try Data(self.bytes).write(to: URL(fileURLWithPath: path))
    }

    private static func tableID(_ id: UInt64) -> [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: id >> (8 * $0)) }
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func append<I: FixedWidthInteger>(littleEndian value: I) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self.append(contentsOf: $0) }
    }
}
