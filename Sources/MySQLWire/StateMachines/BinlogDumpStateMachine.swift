import NIOCore

/// Reads the answer to `COM_BINLOG_DUMP`: each event in a packet of its own behind an OK byte (`0x00`), until EOF
/// (non-blocking mode, at the end of the last binlog) or ERR. Pure: the connection feeds packets, or the pieces of
/// long packets when the decoder streams them (``MySQLPacket/continues``).
struct BinlogDumpStateMachine {
    enum Action: Equatable {
        /// One whole binlog event: header, body and checksum, exactly as in the file.
        case event(ByteBuffer)
        /// A piece of a long event handed on as it arrived; the first holds the event's header.
        case chunk(BinlogEventChunk)
        /// The server has sent everything it had (non-blocking mode).
        case end
        case fail(MySQLError)
    }

    private var isFinished = false
    /// The pieces of an event are arriving: the next packet goes on with it.
    private var isInEvent = false

    /// The largest binlog event a server writes (`max_allowed_packet`'s ceiling, 1 GiB).
    static let maximumEventSize = 1 << 30

    /// The payload length the first fragment of a long dump packet announces: the OK byte and the event's
    /// `event_size`. An event over ``maximumEventSize`` is refused here, before its bytes are buffered.
    static func declaredLength(firstFragment: ByteBuffer) throws -> Int? {
        let start = firstFragment.readerIndex
        guard firstFragment.getInteger(at: start, as: UInt8.self) == 0x00,
            let size = firstFragment.getInteger(at: start + 10, endianness: .little, as: UInt32.self)
        else { return nil }
        guard Int(size) <= Self.maximumEventSize else {
            throw MySQLError.protocolViolation(
                "the server announced a binlog event of \(size) bytes; no server writes one over "
                    + "\(Self.maximumEventSize) (the max_allowed_packet ceiling): the stream is damaged or the peer is not a MySQL server"
            )
        }
        return 1 + Int(size)
    }

    /// Takes a packet, or a piece of one when `continues` says more of it follows.
    mutating func packetReceived(_ payload: ByteBuffer, continues: Bool = false) -> Action {
        guard !self.isFinished else {
            return .fail(.protocolViolation("packet after the end of the binlog stream"))
        }
        if self.isInEvent {
            self.isInEvent = continues
            return .chunk(BinlogEventChunk(bytes: payload, isFirst: false, isLast: !continues))
        }
        var payload = payload
        switch payload.getInteger(at: payload.readerIndex, as: UInt8.self) {
        case 0x00:
            payload.moveReaderIndex(forwardBy: 1)
            guard payload.readableBytes >= 19 else {
                self.isFinished = true
                return .fail(
                    .protocolViolation("binlog event of \(payload.readableBytes) bytes, shorter than a header")
                )
            }
            guard continues else { return .event(payload) }
            self.isInEvent = true
            return .chunk(BinlogEventChunk(bytes: payload, isFirst: true, isLast: false))
        case 0xFE where payload.readableBytes < 9:
            self.isFinished = true
            return .end
        case 0xFF:
            self.isFinished = true
            do {
                return .fail(.server(try ERRPacket.decode(from: &payload).serverError))
            } catch {
                return .fail(error as? MySQLError ?? .protocolViolation("ERR packet", cause: error))
            }
        default:
            self.isFinished = true
            return .fail(
                .protocolViolation(
                    "binlog stream packet starts with \(payload.readableBytesView.first.map(String.init) ?? "nothing")"
                )
            )
        }
    }
}
