import BinlogFormat
import NIOCore

/// `COM_BINLOG_DUMP_GTID` (0x1E), MySQL: stream binlog events after a GTID set (the transactions the client has).
///
///     ┌──────┬───────────┬───────────────┬───────────────┬───────────┬──────────────┬───────────────┬────────────────┐
///     │ 0x1E │ flags (2) │ server id (4) │ name size (4) │ file name │ position (8) │ data size (4) │ GTID set (SID) │
///     └──────┴───────────┴───────────────┴───────────────┴───────────┴──────────────┴───────────────┴────────────────┘
///
/// The GTID set is MySQL's binary encoding: the number of sources (8), then per source its UUID (16), the number of
/// intervals (8) and each interval as start and exclusive end (8 + 8).
package struct ComBinlogDumpGTID: Hashable, Sendable {
    /// `BINLOG_THROUGH_GTID` (4): the GTID set follows.
    package static let throughGTIDFlag: UInt16 = 0x0004

    package var flags: UInt16
    package var serverID: UInt32
    package var fileName: String
    package var position: UInt64
    package var gtidSet: GTIDSet

    package init(flags: UInt16, serverID: UInt32, fileName: String = "", position: UInt64 = 4, gtidSet: GTIDSet) {
        self.flags = flags
        self.serverID = serverID
        self.fileName = fileName
        self.position = position
        self.gtidSet = gtidSet
    }

    /// - Throws: ``MySQLError`` (``MySQLError/Code-swift.struct/unsupported``) for tagged GTIDs (MySQL 8.3+), whose
    ///   encoding this client does not write yet.
    package func encode(into buffer: inout ByteBuffer) throws {
        var set = ByteBuffer()
        let sources = self.gtidSet.intervals.keys.sorted()
        set.writeInteger(UInt64(sources.count), endianness: .little)
        for source in sources {
            guard source.tag == nil else {
                throw MySQLError(code: .unsupported, reason: "tagged GTIDs (\(source.tag ?? "")) are not supported yet")
            }
            guard source.uuid.bytes.count == 16 else {
                throw MySQLError(code: .unsupported, reason: "GTID source \(source.uuid) is not 16 bytes")
            }
            let ranges = self.gtidSet.intervals[source] ?? []
            set.writeBytes(source.uuid.bytes)
            set.writeInteger(UInt64(ranges.count), endianness: .little)
            for range in ranges {
                set.writeInteger(range.lowerBound, endianness: .little)
                set.writeInteger(range.upperBound, endianness: .little)
            }
        }
        buffer.writeInteger(UInt8(0x1E))
        buffer.writeInteger(self.flags | Self.throughGTIDFlag, endianness: .little)
        buffer.writeInteger(self.serverID, endianness: .little)
        let name = Array(self.fileName.utf8)
        buffer.writeInteger(UInt32(name.count), endianness: .little)
        buffer.writeBytes(name)
        buffer.writeInteger(self.position, endianness: .little)
        buffer.writeInteger(UInt32(set.readableBytes), endianness: .little)
        buffer.writeBuffer(&set)
    }
}
