import BinlogFormat
import NIOCore

/// A ``BinlogEventStream`` decoded event by event with `BinlogEventDecoder`; see ``BinlogEventStream/decoded()``.
public struct DecodedBinlogEventStream: AsyncSequence, Sendable {
    public typealias Element = BinlogEventRecord

    let events: BinlogEventStream

    public struct AsyncIterator: AsyncIteratorProtocol {
        var events: BinlogEventStream.AsyncIterator
        var decoder: BinlogEventDecoder

        public mutating func next() async throws -> BinlogEventRecord? {
            guard let bytes = try await self.events.next() else { return nil }
            let size = UInt64(bytes.getInteger(at: bytes.readerIndex + 9, endianness: .little, as: UInt32.self) ?? 0)
            let next = UInt64(bytes.getInteger(at: bytes.readerIndex + 13, endianness: .little, as: UInt32.self) ?? 0)
            return try self.decoder.decode(bytes, position: next >= size ? next - size : 0)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        // Events before the first FORMAT_DESCRIPTION (the artificial Rotate) already carry the negotiated checksum.
        var context = BinlogDecodingContext()
        context.formatDescription.checksumAlgorithm = self.events.hasCRC32 ? .crc32 : .off
        return AsyncIterator(events: self.events.makeAsyncIterator(), decoder: BinlogEventDecoder(context: context))
    }
}
