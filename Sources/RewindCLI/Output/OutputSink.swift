#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to standard output (listings of large binlogs print millions of lines), or to memory for tests.
struct OutputSink: ~Copyable {
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// `nil`: keep everything in memory (``captured``).
    private let descriptor: Int32?

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        self.descriptor = 1
        self.buffer.reserveCapacity(capacity + 4096)
    }

    /// A sink that keeps the output in memory.
    static func capturing(reserving: Int = 0) -> OutputSink { OutputSink(capturing: reserving) }

    private init(capturing reserve: Int) {
        self.capacity = Int.max
        self.descriptor = nil
        self.buffer.reserveCapacity(reserve)
    }

    deinit {
        if let descriptor, !self.buffer.isEmpty { FileDescriptorWriter.writeAll(descriptor, self.buffer) }
    }

    /// Hands over what a capturing sink received.
    mutating func takeCaptured() -> [UInt8] {
        let bytes = self.buffer
        self.buffer = []
        return bytes
    }

    /// What a capturing sink received, as text.
    var captured: String { String(decoding: self.buffer, as: UTF8.self) }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { self.buffer.append(contentsOf: $0) }
        if self.buffer.count >= self.capacity { self.flush() }
    }

    mutating func write(bytes: some Sequence<UInt8>) {
        self.buffer.append(contentsOf: bytes)
        if self.buffer.count >= self.capacity { self.flush() }
    }

    /// Writes a large block without copying it into the buffer (what is buffered goes first).
    mutating func writeDirectly(_ bytes: [UInt8]) {
        guard let descriptor, bytes.count >= self.capacity / 4 else {
            self.write(bytes: bytes)
            return
        }
        self.flush()
        FileDescriptorWriter.writeAll(descriptor, bytes)
    }

    /// Appends in place (values render straight into the buffer).
    mutating func append(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&self.buffer)
        if self.buffer.count >= self.capacity { self.flush() }
    }

    mutating func flush() {
        guard let descriptor else { return }
        FileDescriptorWriter.writeAll(descriptor, self.buffer)
        self.buffer.removeAll(keepingCapacity: true)
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

/// Unbuffered writes to a file descriptor, retrying partial writes; a closed pipe ends the output quietly.
enum FileDescriptorWriter {
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
