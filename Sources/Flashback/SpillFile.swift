import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only temporary file of records that is read back newest first, so that undo statements come
/// out in reverse order in constant memory, whatever the number of rows.
///
///     record: payload │ kind (1) │ payload length (4, little-endian)
///
/// The file is unlinked as soon as it is created: it disappears with the process, also on a crash.
final class SpillFile {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var size: UInt64 = 0
    private static let flushThreshold = 1 << 20

    /// Creates the file in `directory` (the system's temporary directory by default).
    ///
    /// - Throws: ``FlashbackError`` `.input` when it cannot be created.
    init(directory: String? = nil) throws {
        let base = directory ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        var template = Array("\(base)/rewind-flashback-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw FlashbackError(
                code: .input,
                reason: "cannot create a temporary file in \(base): \(String(cString: strerror(errno))) "
                    + "(set TMPDIR to a writable directory)")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit { close(self.descriptor) }

    /// Appends one record.
    func append(kind: UInt8, payload: [UInt8]) throws {
        self.buffer.append(contentsOf: payload)
        self.buffer.append(kind)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: payload.count).littleEndian) {
            self.buffer.append(contentsOf: $0)
        }
        self.size += UInt64(payload.count + 5)
        if self.buffer.count >= Self.flushThreshold { try self.flush() }
    }

    /// Writes what is buffered.
    func flush() throws {
        var offset = 0
        while offset < self.buffer.count {
            let written = self.buffer.withUnsafeBytes { raw in
                write(self.descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FlashbackError(
                    code: .input, reason: "cannot write the temporary undo file: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Reads `count` bytes at `offset`.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { raw in
                pread(self.descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                throw FlashbackError(
                    code: .input, reason: "cannot read the temporary undo file at byte \(offset + UInt64(done))")
            }
            done += result
        }
        return bytes
    }
}

/// Reads a ``SpillFile``'s records from the last to the first, through a window of the file.
struct SpillReverseReader {
    private let file: SpillFile
    private var position: UInt64
    private var window: [UInt8] = []
    /// File offset of `window[0]`.
    private var windowStart: UInt64 = 0
    private static let windowSize = 1 << 20

    init(file: SpillFile) throws {
        try file.flush()
        self.file = file
        self.position = file.size
        self.windowStart = file.size
    }

    /// The record before the last one returned, or `nil` at the start of the file.
    mutating func previous() throws -> (kind: UInt8, payload: [UInt8])? {
        try self.previous { kind, payload in (kind, Array(payload)) }
    }

    /// Hands the record before the last one returned to `body` (its payload valid only during the call);
    /// `nil` at the start of the file.
    mutating func previous<Result>(_ body: (UInt8, UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        guard self.position >= 5 else { return nil }
        try self.load(from: self.position - 5, count: 5)
        let low = Int(self.position - 5 - self.windowStart)
        let kind = self.window[low]
        let length =
            UInt64(self.window[low + 1]) | UInt64(self.window[low + 2]) << 8 | UInt64(self.window[low + 3]) << 16
            | UInt64(self.window[low + 4]) << 24
        guard self.position >= 5 + length else {
            throw FlashbackError(code: .input, reason: "the temporary undo file is damaged at byte \(self.position)")
        }
        let start = self.position - 5 - length
        self.position = start
        if Int(length) > Self.windowSize / 2 {
            let payload = try self.file.read(at: start, count: Int(length))
            return try payload.withUnsafeBytes { try body(kind, $0) }
        }
        try self.load(from: start, count: Int(length))
        let offset = Int(start - self.windowStart)
        return try self.window.withUnsafeBytes { raw in
            try body(kind, UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + Int(length))]))
        }
    }

    /// Makes the window hold the `count` bytes at `offset` (`count` at most half a window).
    private mutating func load(from offset: UInt64, count: Int) throws {
        let end = offset + UInt64(count)
        if offset >= self.windowStart, end <= self.windowStart + UInt64(self.window.count) { return }
        // Refill the window so that it ends at `end`: records before this one come next.
        let start = end > UInt64(Self.windowSize) ? end - UInt64(Self.windowSize) : 0
        self.window = try self.file.read(at: start, count: Int(end - start))
        self.windowStart = start
    }
}
