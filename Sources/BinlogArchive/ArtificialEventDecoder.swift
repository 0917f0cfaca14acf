import BinlogFormat
import NIOCore

/// Decodes the artificial events a dump sends outside any file (the ROTATE naming the file), with the negotiated
/// checksum setting.
struct ArtificialEventDecoder {
    private var decoder: BinlogEventDecoder

    init(hasCRC32: Bool) {
        var context = BinlogDecodingContext()
        context.formatDescription.checksumAlgorithm = hasCRC32 ? .crc32 : .off
        self.decoder = BinlogEventDecoder(context: context)
    }

    /// The ROTATE in `event`, or `nil` for any other event.
    mutating func rotate(_ event: ByteBuffer) throws -> RotateEvent? {
        guard let header = BinlogEventHeader(peekingAt: event), header.type == .rotate else { return nil }
        guard case .rotate(let rotate) = try self.decoder.decode(event, position: 0).event else { return nil }
        return rotate
    }
}
