import Foundation
import RewindTestSupport
import Testing

/// Seeded mutants of corpus binlogs (CRC32 recomputed) through the real `rewind binlog show` and `stats`: every run
/// either exits 0 with complete output, or exits 1 with a message naming the file and byte; never a crash, never
/// output cut inside an event. `REWIND_FUZZ_SEED` replays a run, `REWIND_FUZZ_MUTANTS` sets its size.
@Suite struct DecoderFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["REWIND_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0015
    static let mutants = environment["REWIND_FUZZ_MUTANTS"].flatMap { Int($0) } ?? 240

    /// Corpus files that are whole binlogs of a size that keeps the run short.
    static func sources() throws -> [(name: String, binlog: MutantBinlog)] {
        try Fixtures.allBinlogFiles().compactMap { relative in
            let path = Fixtures.path(relative)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= 256 * 1024 else { return nil }
            guard let binlog = MutantBinlog(try Fixtures.data(relative)) else { return nil }
            return (relative, binlog)
        }
    }

    /// One run of `rewind` on a mutant of at most 256 KiB takes milliseconds of CPU; more than `cpuLimit` of CPU
    /// time is a hang (a loop), and so is more than `wallLimit` (a wait). Time on a machine that the other suites
    /// starve counts against neither the first: a run is judged by the CPU it used, looked at every `checkEvery`.
    static let cpuLimit = 20.0
    static let wallLimit = Duration.seconds(300)
    static let checkEvery = Duration.seconds(10)

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `rewind ARGS` and waits for it without blocking a thread (the concurrency pool has one per core, and
    /// other suites' connections need them).
    static func rewind(_ arguments: [String]) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory
        let out = directory.appendingPathComponent("rewind-fuzz-\(UUID()).out")
        let err = directory.appendingPathComponent("rewind-fuzz-\(UUID()).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ChildProcess.rewindExecutable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in
                continuation.yield()
                continuation.finish()
            }
        }
        try process.run()
        // A hang is a failure of its own: killed, reported as status 124 (as timeout(1) does).
        let pid = process.processIdentifier
        let started = ContinuousClock.now
        let hang: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await _ in exited { return nil }
                return nil
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.checkEvery)
                    if Task.isCancelled || !process.isRunning { return nil }
                    let cpu = Self.cpuSeconds(pid: pid) ?? 0
                    if cpu > Self.cpuLimit { return "used \(cpu) s of CPU (a loop?)" }
                    if ContinuousClock.now - started > Self.wallLimit {
                        return "no exit after \(Self.wallLimit) (a wait?)"
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let hang {
            process.terminate()
            return Run(status: 124, stdout: "", stderr: hang)
        }
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Run(
            status: status,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }

    /// User plus system CPU seconds of a running process (`/proc/PID/stat`, fields 14 and 15, in clock ticks).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Hangs are caught per run (``cpuLimit``, ``wallLimit``); the whole run only has a limit that a machine loaded by the other
    /// suites cannot reach (480 processes, about 1 minute on an idle machine).
    @Test(.timeLimit(.minutes(15)))
    func mutatedBinlogsEndInCompleteOutputOrAnErrorNamingFileAndByte() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("the binlog corpus is missing at \(Fixtures.root.path)") }
            print("SKIPPED: no binlog corpus at \(Fixtures.root.path)")
            return
        }
        let sources = try Self.sources()
        try #require(sources.count >= 10, "too few corpus files to mutate")
        var random = SplitMix64(seed: Self.seed)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var outcomes: [Int32: Int] = [:]
        for number in 0..<Self.mutants {
            let (name, original) = sources[Int.random(in: 0..<sources.count, using: &random)]
            var mutant = original
            let what = mutant.mutate(using: &random)
            let fileName = "mutant-\(number).bin"
            let path = directory.appendingPathComponent(fileName).path
            try Data(mutant.bytes).write(to: URL(fileURLWithPath: path))
            let context = "seed \(Self.seed), mutant \(number): \(name), \(what)"

            let show = try await Self.rewind(["binlog", "show", "-v", "--format", "json", path])
            outcomes[show.status, default: 0] += 1
            #expect(
                show.status == 0 || show.status == 1, "show exit \(show.status) (crash?): \(context)\n\(show.stderr)")
            // Never cut inside an event: every line of the JSON output is one whole event.
            #expect(show.stdout.isEmpty || show.stdout.hasSuffix("\n"), "output cut mid-line: \(context)")
            let lines = show.stdout.split(separator: "\n", omittingEmptySubsequences: true)
            for line in lines where (try? JSONSerialization.jsonObject(with: Data(line.utf8))) == nil {
                Issue.record("not a whole JSON event: \(line.prefix(200)) — \(context)")
                break
            }
            if show.status == 0 {
                // Complete: one line per event that the (mutated) framing holds, and no error.
                let events = MutantBinlog.walk(mutant.bytes)
                #expect(events != nil, "exit 0 but the framing does not reach the end of the file: \(context)")
                if let events {
                    #expect(lines.count == events.count, "\(lines.count) events shown of \(events.count): \(context)")
                }
                #expect(!show.stderr.contains("error"), "\(context)\n\(show.stderr)")
            } else {
                Self.expectNamesFileAndByte(show.stderr, fileName: fileName, context: context)
            }

            let stats = try await Self.rewind(["binlog", "stats", path])
            #expect(
                stats.status == 0 || stats.status == 1,
                "stats exit \(stats.status) (crash?): \(context)\n\(stats.stderr)")
            if stats.status == 1 { Self.expectNamesFileAndByte(stats.stderr, fileName: fileName, context: context) }
        }
        print(
            "fuzz: \(Self.mutants) mutants of \(sources.count) corpus files, seed \(Self.seed); exit statuses \(outcomes)"
        )
    }

    static func expectNamesFileAndByte(_ stderr: String, fileName: String, context: String) {
        let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("rewind: error:") }
        #expect(!errors.isEmpty, "non-zero exit without an error line: \(context)\n\(stderr)")
        for error in errors {
            #expect(error.contains(fileName) && error.contains("byte "), "\(error) — \(context)")
            for internalName in ["notABinlog", "badChecksum", "malformed:", "truncated:", "unsupported:"] {
                #expect(!error.contains(internalName), "internal name in \(error) — \(context)")
            }
        }
    }
}
