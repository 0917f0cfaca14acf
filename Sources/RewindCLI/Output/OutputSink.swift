import BinlogFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered writes to standard output (listings of large binlogs print millions of lines), or to memory for tests.
struct OutputSink: ~Copyable {
    private var buffer: TextBuffer
    private let capacity: Int
    /// `nil`: keep everything in memory (``captured``).
    private let descriptor: Int32?

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        self.descriptor = 1
        self.buffer = TextBuffer(capacity: capacity + 4096)
    }

    /// A sink that keeps the output in memory.
    static func capturing(reserving: Int = 0) -> OutputSink { OutputSink(capturing: reserving) }

    private init(capturing reserve: Int) {
        self.capacity = Int.max
        self.descriptor = nil
        self.buffer = TextBuffer(capacity: reserve)
    }

    deinit {
        if let descriptor, self.buffer.count > 0 {
            self.buffer.withUnsafeBytes { FileDescriptorWriter.writeAll(descriptor, $0) }
        }
    }

    /// What a capturing sink received so far (forgotten by ``removeAll()``).
    func withCapturedBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try self.buffer.withUnsafeBytes(body)
    }

    /// Forgets what a capturing sink received, keeping its memory.
    mutating func removeAll() { self.buffer.removeAll() }

    /// Bytes a capturing sink holds (a mark for ``truncate(to:)``).
    var capturedCount: Int { self.buffer.count }

    /// Drops what a capturing sink received after `count` bytes (a half-rendered event).
    mutating func truncate(to count: Int) { self.buffer.truncate(to: count) }

    /// What a capturing sink received, as text.
    var captured: String { self.buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { self.buffer.appendBytes(UnsafeRawBufferPointer($0)) }
        if self.buffer.count >= self.capacity { self.flush() }
    }

    mutating func write(bytes: [UInt8]) {
        self.buffer.appendBytes(bytes)
        if self.buffer.count >= self.capacity { self.flush() }
    }

    /// Writes `bytes` with every newline followed by `prefix` (statement text shown as a comment block), copying
    /// runs between newlines rather than byte by byte.
    mutating func write(bytes: [UInt8], continuingLinesWith prefix: StaticString) {
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count, let found = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) {
                let newline = raw.baseAddress!.distance(to: UnsafeRawPointer(found))
                self.buffer.appendBytes(UnsafeRawBufferPointer(rebasing: raw[start...newline]))
                self.buffer.appendBytes(
                    UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
                start = newline + 1
            }
            self.buffer.appendBytes(UnsafeRawBufferPointer(rebasing: raw[start...]))
        }
        if self.buffer.count >= self.capacity { self.flush() }
    }

    /// Writes a large block without copying it into the buffer (what is buffered goes first).
    mutating func writeDirectly(_ bytes: UnsafeRawBufferPointer) {
        guard let descriptor, bytes.count >= self.capacity / 4 else {
            self.buffer.appendBytes(bytes)
            if self.buffer.count >= self.capacity { self.flush() }
            return
        }
        self.flush()
        FileDescriptorWriter.writeAll(descriptor, bytes)
    }

    /// Appends in place (values render straight into the buffer).
    mutating func append(_ body: (inout TextBuffer) throws -> Void) rethrows {
        try body(&self.buffer)
        if self.buffer.count >= self.capacity { self.flush() }
    }

    /// Whether the sink writes to its descriptor (not to memory): only then can ``streaming(_:)`` bound the memory.
    var writesThrough: Bool { self.descriptor != nil }

    /// Lets `body` write straight to the descriptor in pieces of about ``capacity`` bytes (the rows of one huge
    /// event), after what is buffered. What `body` wrote before a throw is out, in whole pieces and the rest.
    /// Precondition: ``writesThrough``.
    mutating func streaming<Result>(_ body: (inout FlushingTextBuffer) throws -> Result) rethrows -> Result {
        guard let descriptor else { preconditionFailure("streaming(_:) needs a sink that writes through") }
        self.flush()
        var stream = FlushingTextBuffer(limit: self.capacity) { FileDescriptorWriter.writeAll(descriptor, $0) }
        defer { stream.drain() }
        return try body(&stream)
    }

    mutating func flush() {
        guard let descriptor else { return }
        self.buffer.withUnsafeBytes { FileDescriptorWriter.writeAll(descriptor, $0) }
        self.buffer.removeAll()
    }
}

/// Messages for people: standard error, never mixed into results.
enum Diagnostics {
    static func print(_ line: String) {
        FileDescriptorWriter.writeAll(2, Array((line + "\n").utf8))
    }

    /// Whether standard error is a terminal (progress is shown only then).
    static var isTerminal: Bool { isatty(2) != 0 }
}

/// Unbuffered writes to a file descriptor, retrying partial writes. A failed write to standard output is recorded
/// (``StandardOutputFailure``) and ends the command with an error.
enum FileDescriptorWriter {
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { Self.writeAll(descriptor, $0) }
    }

    static func writeAll(_ descriptor: Int32, _ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress else { return }
        if descriptor == 1, StandardOutputFailure.recorded != nil { return }  // the output is already incomplete
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, base + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if descriptor == 1 { StandardOutputFailure.record(errno) }
                return
            }
            offset += written
        }
    }
}
