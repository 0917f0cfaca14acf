/// Runs a program under a small wrapper that reports the program's peak resident memory: tests that bound the
/// memory of `rewind` start it through ``command(_:)`` and read the figure with ``peakResidentBytes(in:)``.
package enum PeakMemory {
    /// Starts the program in argv[1:] with fork + exec (not posix_spawn: a vfork-style spawn makes the kernel count
    /// the test runner's own memory in the child's peak), forwards SIGTERM to it, and reports its peak resident
    /// memory (`wait4`'s `ru_maxrss`) on a last stderr line.
    static let wrapper = """
        import os, signal, sys
        pid = os.fork()
        if pid == 0:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
            os.execv(sys.argv[1], sys.argv[1:])
        def stop(*_):
            os.kill(pid, signal.SIGTERM)
            signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))  # a hang fails, never blocks
            signal.alarm(10)
        signal.signal(signal.SIGTERM, stop)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])  # the test runner's thread may block it
        _, status, usage = os.wait4(pid, 0)
        sys.stderr.write("\\nrewind-peak-rss-kb=%d\\n" % usage.ru_maxrss)
        sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
        """

    /// The argv that runs `arguments` (`arguments[0]` a path) under the wrapper, for ``ChildProcess``.
    package static func command(_ arguments: [String]) -> [String] {
        ["/usr/bin/python3", "-c", Self.wrapper] + arguments
    }

    /// The peak resident memory, in bytes, that the wrapper reported in the program's output; `nil` when it did not
    /// report one (the wrapper was killed).
    package static func peakResidentBytes(in output: String) -> Int? {
        let line = output.split(separator: "\n").last { $0.hasPrefix("rewind-peak-rss-kb=") }
        return line.flatMap { Int($0.dropFirst("rewind-peak-rss-kb=".count)) }.map { $0 * 1024 }
    }
}
