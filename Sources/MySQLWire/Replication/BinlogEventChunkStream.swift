import NIOCore

/// The events of a binlog dump as they arrive: short events whole, long ones in chunks (see ``BinlogEventChunk``),
/// handed on in batches, a batch being the chunks that one read of the socket brought (never empty).
///
/// A consumer takes a batch at a time instead of an event at a time: one hop to the connection per read, not per
/// event, and a natural point to write out what the batch held before waiting for the network. Otherwise as
/// ``BinlogEventStream``: packets are pulled from the connection a read at a time, so a slow consumer slows the
/// socket; the sequence ends after the last event in ``BinlogDumpRequest/Mode/stopAtEnd`` mode, and with an error
/// or cancellation in ``BinlogDumpRequest/Mode/follow`` mode; a connection that fails inside an event ends it with an
/// error (after the chunks that arrived before the failure), never with a short last chunk. Iterate it once.
public struct BinlogEventChunkStream: AsyncSequence, Sendable {
    public typealias Element = [BinlogEventChunk]

    /// Events at least this long (with the packet's OK byte) arrive in chunks; no chunk holds more than a network
    /// read, plus the start of the packet that straddled it.
    public static let chunkingThreshold = 64 * 1024

    let connection: MySQLConnection
    /// Whether the events carry a CRC32 trailer (the server's `binlog_checksum`, negotiated for this stream).
    public let hasCRC32: Bool

    public struct AsyncIterator: AsyncIteratorProtocol {
        let connection: MySQLConnection
        var isFinished = false

        public mutating func next() async throws -> [BinlogEventChunk]? {
            guard !self.isFinished else { return nil }
            do {
                let chunks = try await self.connection.nextBinlogEventChunks()
                if chunks == nil { self.isFinished = true }
                return chunks
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
