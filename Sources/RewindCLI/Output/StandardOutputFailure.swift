import Foundation

/// The first error met writing standard output (a full disk, a closed pipe, an I/O error). Results are never lost
/// silently: once one write fails, later ones are not attempted, and ``exitIfRecorded()`` ends the command with
/// status 1 and the reason on standard error (a closed pipe with 141, quietly, as SIGPIPE would).
enum StandardOutputFailure {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var code: Int32?

    static func record(_ code: Int32) {
        self.lock.lock()
        defer { self.lock.unlock() }
        if self.code == nil { self.code = code }
    }

    static var recorded: Int32? {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.code
    }

    /// Flushes what `print` buffered, then exits when a write to standard output failed.
    static func exitIfRecorded() {
        // Every stream: C's `stdout` (where `print` writes) cannot be named in Swift 6 code (not concurrency-safe).
        if fflush(nil) != 0 { self.record(errno == 0 ? EIO : errno) }
        guard let code = self.recorded else { return }
        if code == EPIPE { exit(141) }
        Diagnostics.print(
            "rewind: cannot write standard output: \(String(cString: strerror(code))); the output is incomplete")
        exit(1)
    }
}
