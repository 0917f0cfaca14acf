import NIOCore

/// The events of a binlog dump, each one whole (header, body and checksum) as the server's binlog file holds it.
///
/// The sequence pulls packets from the connection one at a time, so a slow consumer slows the socket (NIO's
/// backpressure) instead of filling memory. It ends after the last event in ``BinlogDumpRequest/Mode/stopAtEnd``
/// mode; in ``BinlogDumpRequest/Mode/follow`` mode it only ends with an error or cancellation. Besides the file's
/// events the server sends artificial ones (a Rotate naming the file first, heartbeats): their header has the
/// `LOG_EVENT_ARTIFICIAL_F` flag (0x20), or they are heartbeats (types 27 and 41), and they are not in any file.
/// Iterate it once. The dump takes the connection over: the server closes the session when the dump ends, so
/// open another connection for queries.
public struct BinlogEventStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    let connection: MySQLConnection
    /// Whether the events carry a CRC32 trailer (the server's `binlog_checksum`, negotiated for this stream).
    public let hasCRC32: Bool

    public struct AsyncIterator: AsyncIteratorProtocol {
        let connection: MySQLConnection
        var isFinished = false

        public mutating func next() async throws -> ByteBuffer? {
            guard !self.isFinished else { return nil }
            do {
                let event = try await self.connection.nextBinlogEvent()
                if event == nil { self.isFinished = true }
                return event
            } catch {
                self.isFinished = true
                throw error
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(connection: self.connection)
    }
}

extension BinlogEventStream {
    /// The same events decoded by `BinlogFormat`, as a file reader would decode them.
    ///
    /// Positions come from the headers (`next position − size`); artificial events (the first Rotate, heartbeats)
    /// get their own header's value, usually 0. Decoding errors are `BinlogDecodingError`s with the event's type and
    /// position; connection errors stay ``MySQLError``s.
    public func decoded() -> DecodedBinlogEventStream {
        DecodedBinlogEventStream(events: self)
    }
}
