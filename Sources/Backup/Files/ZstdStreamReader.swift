import CZstd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a zstd-compressed file (one or more frames) as a stream of decompressed pieces, through fixed buffers.
final class ZstdFileReader {
    let path: String
    private let descriptor: Int32
    private let context: OpaquePointer
    private var input: [UInt8]
    private var inputFill = 0
    private var inputPosition = 0
    private var output: [UInt8]
    private var compressedOffset: UInt64 = 0
    private var frameOpen = false

    /// - Throws: ``BackupError`` naming the file when it cannot be opened.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupError.io("cannot open", path: path) }
        guard let context = ZSTD_createDCtx() else {
            close(descriptor)
            throw BackupError(.io, "cannot set up zstd decompression for \(path)")
        }
        self.descriptor = descriptor
        self.context = context
        self.input = [UInt8](repeating: 0, count: ZSTD_DStreamInSize())
        self.output = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
    }

    deinit {
        ZSTD_freeDCtx(self.context)
        close(self.descriptor)
    }

    /// Calls `body` with each decompressed piece until the end of the file.
    ///
    /// - Throws: ``BackupError`` (``BackupError/Code/damagedChunk``) naming the file and the compressed byte offset
    ///   when the data is not zstd, is damaged or ends inside a frame.
    func forEachPiece(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while try self.step(body) {}
    }

    /// Reads and decompresses one buffer's worth, calling `body` with what came out (maybe nothing).
    ///
    /// - Returns: `false` at the end of the file.
    func step(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        do {
            if self.inputPosition == self.inputFill {
                let count = self.input.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { return true }
                    throw BackupError.io("cannot read", path: self.path)
                }
                if count == 0 {
                    if self.frameOpen {
                        throw BackupError(
                            .damagedChunk,
                            "\(self.path) ends inside a zstd frame at byte \(self.compressedOffset): the file is cut "
                                + "short; take a new backup"
                        )
                    }
                    return false
                }
                self.inputFill = count
                self.inputPosition = 0
            }
            let startPosition = self.inputPosition
            let (result, produced, consumed) = self.input.withUnsafeBytes { inBytes in
                self.output.withUnsafeMutableBytes { outBytes -> (Int, Int, Int) in
                    var inBuffer = ZSTD_inBuffer(src: inBytes.baseAddress, size: self.inputFill, pos: self.inputPosition)
                    var outBuffer = ZSTD_outBuffer(dst: outBytes.baseAddress, size: outBytes.count, pos: 0)
                    let result = ZSTD_decompressStream(self.context, &outBuffer, &inBuffer)
                    return (result, outBuffer.pos, inBuffer.pos)
                }
            }
            if ZSTD_isError(result) != 0 {
                let reason = String(cString: ZSTD_getErrorName(result))
                throw BackupError(
                    .damagedChunk,
                    "\(self.path) is damaged near compressed byte \(self.compressedOffset + UInt64(startPosition)): "
                        + "\(reason); the backup cannot be loaded from this file (take a new backup)"
                )
            }
            self.compressedOffset += UInt64(consumed - startPosition)
            self.inputPosition = consumed
            self.frameOpen = result != 0
            if produced > 0 {
                try self.output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            }
            return true
        }
    }
}
