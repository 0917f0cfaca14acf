#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress display on standard error, drawn only when it is a terminal and at most 10 times a second.
final class Progress {
    private let enabled: Bool
    private var lastDraw: timespec = timespec()
    private var drawn = false

    init(enabled: Bool = Diagnostics.isTerminal) {
        self.enabled = enabled
    }

    func update(_ text: @autoclosure () -> String) {
        guard self.enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = Double(now.tv_sec - self.lastDraw.tv_sec) + Double(now.tv_nsec - self.lastDraw.tv_nsec) / 1e9
        guard elapsed >= 0.1 else { return }
        self.lastDraw = now
        FileDescriptorWriter.writeAll(2, Array(("\r\u{1B}[K" + text()).utf8))
        self.drawn = true
    }

    func finish() {
        guard self.enabled, self.drawn else { return }
        FileDescriptorWriter.writeAll(2, Array("\r\u{1B}[K".utf8))
        self.drawn = false
    }
}
