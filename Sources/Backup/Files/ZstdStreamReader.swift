import BackupStorage
import CZstd
import NIOCore

/// Decompresses a zstd stream (one or more frames) read from a ``BackupObjectReader`` (a file or an S3 object),
/// piece by piece through a fixed output buffer: memory stays flat whatever the object's size.
final class ZstdStreamReader {
    /// The object's name, for messages.
    let name: String
    private let source: any BackupObjectReader
    private let context: OpaquePointer
    private var input = ByteBuffer()
    private var output: [UInt8]
    private var compressedOffset: UInt64 = 0
    /// Where the frame being decompressed starts (a damage is found at the frame's end, by its checksum).
    private var frameStart: UInt64 = 0
    private var frameOpen = false
    private var sourceEnded = false

    /// - Throws: ``BackupError`` when zstd cannot be set up.
    init(source: any BackupObjectReader, name: String) throws {
        guard let context = ZSTD_createDCtx() else {
            throw BackupError(.io, "cannot set up zstd decompression for \(name)")
        }
        self.name = name
        self.source = source
        self.context = context
        self.output = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
    }

    deinit {
        ZSTD_freeDCtx(self.context)
    }

    /// Reads and decompresses one piece's worth, calling `body` with what came out (maybe nothing).
    ///
    /// - Returns: `false` at the end of the stream.
    /// - Throws: ``BackupError`` (``BackupError/Code/damagedChunk``) naming the object and the compressed byte
    ///   offset when the data is not zstd, is damaged or ends inside a frame; the store's error when it cannot be
    ///   read.
    func step(_ body: (UnsafeRawBufferPointer) throws -> Void) async throws -> Bool {
        if self.input.readableBytes == 0 && !self.sourceEnded {
            if let next = try await self.source.read() {
                self.input = next
            } else {
                self.sourceEnded = true
            }
        }
        if self.sourceEnded && !self.frameOpen { return false }
        if !self.frameOpen { self.frameStart = self.compressedOffset }
        let (result, produced, consumed) = self.input.withUnsafeReadableBytes { inBytes in
            self.output.withUnsafeMutableBytes { outBytes -> (Int, Int, Int) in
                var inBuffer = ZSTD_inBuffer(src: inBytes.baseAddress, size: inBytes.count, pos: 0)
                var outBuffer = ZSTD_outBuffer(dst: outBytes.baseAddress, size: outBytes.count, pos: 0)
                let result = ZSTD_decompressStream(self.context, &outBuffer, &inBuffer)
                return (result, outBuffer.pos, inBuffer.pos)
            }
        }
        if ZSTD_isError(result) != 0 {
            let reason = String(cString: ZSTD_getErrorName(result))
            throw BackupError(
                .damagedChunk,
                "\(self.name) is damaged in the zstd frame that starts at compressed byte \(self.frameStart) (found "
                    + "by byte \(self.compressedOffset + UInt64(consumed))): \(reason); the backup cannot be loaded "
                    + "from this file (take a new backup)"
            )
        }
        self.compressedOffset += UInt64(consumed)
        self.input.moveReaderIndex(forwardBy: consumed)
        self.frameOpen = result != 0
        if self.sourceEnded && produced == 0 && self.frameOpen {
            // Nothing more comes in and nothing came out: the frame was never finished.
            throw BackupError(
                .damagedChunk,
                "\(self.name) ends inside a zstd frame at byte \(self.compressedOffset): the file is cut short; take a "
                    + "new backup"
            )
        }
        if produced > 0 {
            try self.output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
        }
        return true
    }
}
