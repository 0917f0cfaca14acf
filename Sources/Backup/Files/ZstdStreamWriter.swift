import BackupStorage
import CZstd
import NIOCore

/// Compresses a stream with zstd into a ``BackupObjectWriter`` (a file or an S3 object): the compressed bytes
/// gather in a buffer and go to the writer about every ``flushBytes``, so memory stays the compressor's window plus
/// that buffer whatever the stream's size. ``finish()`` ends the frame and makes the object whole.
final class ZstdStreamWriter {
    /// Compressed bytes handed to the writer at a time.
    static let flushBytes = 1 << 20

    /// The object's name, for messages.
    let name: String
    private let sink: any BackupObjectWriter
    private let context: OpaquePointer
    private var pending = ByteBuffer()
    private(set) var compressedBytes: UInt64 = 0

    /// - Throws: ``BackupError`` when zstd cannot be set up.
    init(sink: any BackupObjectWriter, name: String, level: Int32 = 3) throws {
        guard let context = ZSTD_createCCtx() else {
            throw BackupError(.io, "cannot set up zstd compression for \(name)")
        }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        self.name = name
        self.sink = sink
        self.context = context
        self.pending.reserveCapacity(Self.flushBytes + ZSTD_CStreamOutSize())
    }

    deinit {
        ZSTD_freeCCtx(self.context)
    }

    /// Compresses `bytes` and passes on what is ready.
    func write(_ bytes: [UInt8]) async throws {
        try bytes.withUnsafeBytes { try self.compress($0, directive: ZSTD_e_continue) }
        if self.pending.readableBytes >= Self.flushBytes { try await self.flush() }
    }

    /// Ends the zstd frame and makes the object whole and durable.
    ///
    /// - Returns: The compressed size.
    @discardableResult
    func finish() async throws -> UInt64 {
        try self.compress(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end)
        try await self.flush()
        return try await self.sink.finish()
    }

    /// Gives the object up after a failure.
    func abort() async {
        await self.sink.abort()
    }

    private func flush() async throws {
        guard self.pending.readableBytes > 0 else { return }
        try await self.sink.write(self.pending)
        self.pending.clear()
    }

    private func compress(_ bytes: UnsafeRawBufferPointer, directive: ZSTD_EndDirective) throws {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        let outSize = ZSTD_CStreamOutSize()
        while true {
            var remaining = 0
            let produced = self.pending.writeWithUnsafeMutableBytes(minimumWritableBytes: outSize) { out in
                var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let result = ZSTD_compressStream2(self.context, &buffer, &input, directive)
                remaining = ZSTD_isError(result) != 0 ? -1 : result
                return remaining < 0 ? 0 : buffer.pos
            }
            guard remaining >= 0 else { throw BackupError(.io, "zstd compression failed for \(self.name)") }
            self.compressedBytes += UInt64(produced)
            let done = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size
            if done { return }
        }
    }
}
