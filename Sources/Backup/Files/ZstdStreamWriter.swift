import CZstd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a zstd stream to a new file through a fixed 128 KiB output buffer; ``finish()`` ends the frame and
/// fsyncs. Memory stays the compressor's window whatever the file size.
final class ZstdFileWriter {
    let path: String
    private let descriptor: Int32
    private let context: OpaquePointer
    private var output: [UInt8]
    private(set) var compressedBytes: UInt64 = 0
    private var closed = false

    /// Creates (or truncates) `path`, owner-only (``DurableFiles/fileMode``).
    ///
    /// - Throws: ``BackupError`` naming the file when it cannot be created.
    init(path: String, level: Int32 = 3) throws {
        self.path = path
        let descriptor = try DurableFiles.create(path)
        guard let context = ZSTD_createCCtx() else {
            close(descriptor)
            throw BackupError(.io, "cannot set up zstd compression for \(path)")
        }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        self.descriptor = descriptor
        self.context = context
        self.output = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
    }

    deinit {
        ZSTD_freeCCtx(self.context)
        if !self.closed { close(self.descriptor) }
    }

    /// Compresses and writes `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try self.compress(bytes, directive: ZSTD_e_continue)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try self.write($0) }
    }

    /// Ends the zstd frame, fsyncs and closes the file.
    func finish() throws {
        try self.compress(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end)
        guard fsync(self.descriptor) == 0 else { throw BackupError.io("cannot fsync", path: self.path) }
        close(self.descriptor)
        self.closed = true
    }

    private func compress(_ bytes: UnsafeRawBufferPointer, directive: ZSTD_EndDirective) throws {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            let (remaining, produced) = self.output.withUnsafeMutableBytes { out -> (Int, Int) in
                var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let result = ZSTD_compressStream2(self.context, &buffer, &input, directive)
                if ZSTD_isError(result) != 0 { return (-1, 0) }
                return (result, buffer.pos)
            }
            guard remaining >= 0 else { throw BackupError(.io, "zstd compression failed for \(self.path)") }
            if produced > 0 {
                try self.output.withUnsafeBytes { try Self.writeAll(self.descriptor, UnsafeRawBufferPointer(rebasing: $0[0..<produced]), path: self.path) }
                self.compressedBytes += UInt64(produced)
            }
            let done = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size
            if done { return }
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw BackupError.io("cannot write", path: path)
            }
            offset += written
        }
    }
}
