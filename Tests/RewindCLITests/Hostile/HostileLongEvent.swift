import RewindTestSupport

/// The long row event a hostile server sends after the FORMAT_DESCRIPTION
/// (``HostileServerTests/longEventServer(sending:)``): whole, with a wrong CRC32, or claiming more bytes than the
/// server sends before it closes the connection. Its body is made as it is sent (``HostileBinlog/sendLongEvent``).
struct HostileLongEvent: Sendable {
    /// The size its header claims.
    var size: Int
    var header: [UInt8]
    /// The CRC32 in its trailer.
    var crc: UInt32
    /// How many bytes of its dump packet are sent before the connection is closed; `nil`: all of them.
    var cutAfter: Int?

    /// A good event of `size` bytes.
    static func whole(size: Int) -> Self {
        let (header, crc) = HostileBinlog.longEvent(size: size)
        return Self(size: size, header: header, crc: crc, cutAfter: nil)
    }

    /// An event of `size` bytes whose CRC32 trailer does not match its bytes.
    static func badChecksum(size: Int) -> Self {
        var event = Self.whole(size: size)
        event.crc ^= 1
        return event
    }

    /// An event whose header claims `size` bytes, cut after `cutAfter` bytes (so never checked, and no CRC32 made).
    static func cut(claiming size: Int, after cutAfter: Int) -> Self {
        Self(size: size, header: HostileBinlog.longEventHeader(size: size), crc: 0, cutAfter: cutAfter)
    }

    /// Sends it on `connection` as the dump packets from sequence id 3; returns the sequence id after them.
    func send(on connection: HostileConnection) throws -> UInt8 {
        try HostileBinlog.sendLongEvent(
            connection,
            size: self.size,
            header: self.header,
            crc: self.crc,
            cutAfter: self.cutAfter,
            firstSequenceID: 3
        )
    }

    /// Whether the file at `path` holds this event at ``HostileBinlog/longEventStart``, byte for byte.
    func isHeld(in path: String) -> Bool {
        HostileBinlog.fileHoldsLongEvent(
            path,
            at: HostileBinlog.longEventStart,
            size: self.size,
            header: self.header,
            crc: self.crc
        )
    }
}
