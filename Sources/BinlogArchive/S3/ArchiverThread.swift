import Foundation

/// A task executor with one thread of its own, on which an archiver writing to object storage runs.
///
/// The ``ArchiveStore`` seam is synchronous (the archiver calls it between events, and a local directory is
/// synchronous I/O), while the S3 client is async. ``S3ArchiveStore`` bridges the two by blocking the calling thread
/// until a request finishes (``blocking(_:)``). Blocking a thread of Swift's cooperative pool could starve it (the
/// pool has one thread per core, here two, and tests run in parallel), so the archiver runs with a preference for
/// this executor (`withTaskExecutorPreference`), the requests run on the global pool and on async-http-client's
/// event loops, and only this thread ever waits. ``blocking(_:)`` refuses to run anywhere else.
final class ArchiverThread: TaskExecutor, @unchecked Sendable {
    // Invariant for @unchecked Sendable: `jobs` and `isStopping` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isStopping = false
    private var thread: Thread?
    private static let marker = "rewind.archiver-thread"

    init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = Self.marker
        thread.threadDictionary[Self.marker] = true
        self.thread = thread
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.condition.lock()
        self.jobs.append(job)
        self.condition.signal()
        self.condition.unlock()
    }

    /// Lets the thread end once its queue is empty.
    func stop() {
        self.condition.lock()
        self.isStopping = true
        self.condition.signal()
        self.condition.unlock()
    }

    private func loop() {
        Thread.current.threadDictionary[Self.marker] = true
        while true {
            self.condition.lock()
            while self.jobs.isEmpty && !self.isStopping { self.condition.wait() }
            if self.jobs.isEmpty && self.isStopping {
                self.condition.unlock()
                return
            }
            let job = self.jobs.removeFirst()
            self.condition.unlock()
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Whether the calling thread is an archiver thread.
    static var isCurrent: Bool { Thread.current.threadDictionary[Self.marker] as? Bool == true }

    /// Runs `operation` on the global concurrent executor and waits for it on the calling thread, which must be an
    /// archiver thread (never one of the cooperative pool).
    ///
    /// - Throws: what `operation` throws; an ``ArchiveError`` when called off an archiver thread (a programming
    ///   error that would otherwise risk a deadlock).
    static func blocking<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        guard Self.isCurrent else {
            throw ArchiveError("internal: an object-storage call blocked a thread that is not the archiver's")
        }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: globalConcurrentExecutor) {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    /// Runs `body` with this kind of thread preferred for its task (and its child tasks), then ends the thread.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        let executor = ArchiverThread()
        defer { executor.stop() }
        return try await withTaskExecutorPreference(executor) { try await body() }
    }
}

/// One result handed from the task that computed it to the thread that waits for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // Invariant: `set` happens before the semaphore is signalled and `get` after it is waited for.
    private var result: Result<T, any Error>?
    func set(_ result: Result<T, any Error>) { self.result = result }
    func get() throws -> T {
        guard let result else { throw ArchiveError("internal: an object-storage call ended without a result") }
        return try result.get()
    }
}
