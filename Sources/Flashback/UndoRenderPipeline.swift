import Dispatch
import Foundation

/// Renders the undo script on every core while the caller goes on reading the plan, keeping the order:
/// items (comment and `BEGIN`/`COMMIT` text, row events to undo) are collected into batches of about
/// ``batchWeight`` bytes of events, each batch renders into its own buffer on a worker thread, and finished
/// batches are written in order. At most two batches per worker are pending, so memory stays flat whatever
/// the size of the undo. (The same shape as `binlog show`'s parallel renderer.)
final class UndoRenderPipeline {
    enum Item {
        case text([UInt8])
        case rows(UndoRowsReference)
    }

    private let renderer: UndoEventRenderer
    private let output: ([UInt8]) throws -> Void
    /// Threads (`nil`: one per core, asked when the first batch is handed to a worker).
    private let workers: Int?
    /// Batches pending at most: two per worker.
    private lazy var maximumInFlight = max(1, self.workers ?? ProcessInfo.processInfo.activeProcessorCount) * 2
    private let batchWeight: Int
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private var batch: [Item] = []
    private var weight = 0
    /// Batches handed to workers, oldest first.
    private var pending: [UndoRenderJob] = []
    /// Finished jobs kept for reuse (their buffers keep their capacity).
    private var spare: [UndoRenderJob] = []

    init(
        renderer: UndoEventRenderer,
        workers: Int?,
        batchWeight: Int = 1 << 20,
        output: @escaping ([UInt8]) throws -> Void
    ) {
        self.renderer = renderer
        self.output = output
        self.workers = workers
        self.batchWeight = batchWeight
    }

    func add(_ item: Item) throws {
        switch item {
        case .text(let text):
            self.weight += text.count
            // Text items in a row are one item.
            if case .text(var last) = self.batch.last {
                self.batch.removeLast()
                last.append(contentsOf: text)
                self.batch.append(.text(last))
                return
            }
        case .rows(let reference):
            self.weight += Int(reference.size)
        }
        self.batch.append(item)
        if self.weight >= self.batchWeight { try self.submit() }
    }

    /// Renders what is collected and writes every pending batch, in order.
    func finish() throws {
        if self.pending.isEmpty {
            // A small undo: one batch, rendered right here.
            let job = UndoRenderJob()
            job.items = self.batch
            self.batch = []
            job.run(self.renderer)
            try self.write(job)
            return
        }
        try self.submit()
        while !self.pending.isEmpty { try self.writeOldest() }
    }

    private func submit() throws {
        guard !self.batch.isEmpty else { return }
        while self.pending.count >= self.maximumInFlight { try self.writeOldest() }
        let job = self.spare.popLast() ?? UndoRenderJob()
        job.items = self.batch
        self.batch.removeAll(keepingCapacity: true)
        self.weight = 0
        self.pending.append(job)
        let renderer = self.renderer
        self.queue.async { job.run(renderer) }
    }

    private func writeOldest() throws {
        let job = self.pending.removeFirst()
        job.done.wait()
        do {
            try self.write(job)
        } catch {
            // Nothing after a failed batch is written.
            for later in self.pending { later.done.wait() }
            self.pending.removeAll()
            self.batch.removeAll()
            throw error
        }
        job.reset()
        self.spare.append(job)
    }

    private func write(_ job: UndoRenderJob) throws {
        if !job.output.isEmpty { try self.output(job.output) }
        if let error = job.error { throw error }
    }
}

/// One batch and what rendering it produced. The items are written only before the job is handed to a worker
/// (by the reading thread), the output and error only by that worker until it signals `done`; the reading
/// thread reads them only after waiting on `done`. The semaphore orders the accesses, so the job is never
/// used by two threads at once.
final class UndoRenderJob: @unchecked Sendable {
    var items: [UndoRenderPipeline.Item] = []
    var output: [UInt8] = []
    /// The error that ended the batch (the output ends before the event that failed).
    var error: (any Error)?
    let done = DispatchSemaphore(value: 0)
    private let scratch = UndoRenderScratch()

    init() {
        self.output.reserveCapacity(2 << 20)
    }

    func run(_ renderer: UndoEventRenderer) {
        for item in self.items {
            switch item {
            case .text(let text):
                self.output.append(contentsOf: text)
            case .rows(let reference):
                let mark = self.output.count
                do {
                    try renderer.appendScript(reference, to: &self.output, scratch: self.scratch)
                } catch {
                    self.output.removeSubrange(mark...)
                    self.error = error
                    self.items.removeAll(keepingCapacity: true)
                    self.done.signal()
                    return
                }
            }
        }
        self.items.removeAll(keepingCapacity: true)
        self.done.signal()
    }

    func reset() {
        self.output.removeAll(keepingCapacity: true)
        self.error = nil
    }
}
