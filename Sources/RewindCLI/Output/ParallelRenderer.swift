import BinlogFormat
import Dispatch
import Foundation
import Recovery

/// Renders events on every core while the caller goes on reading, keeping their order: items are collected
/// into batches of about ``batchByteLimit`` bytes of events, each batch renders into its own buffer on a
/// worker thread, and finished batches are written in order. At most ``maximumInFlight`` batches are pending,
/// so memory stays flat whatever the input's size. Row decoding and value printing are pure, so batches do
/// not depend on each other.
///
/// An event that fails to render leaves nothing of itself in the output: the output ends at the event before it
/// (the error is thrown as a ``RenderingError``), or, with `continuePastErrors` (`--force-read`), goes on with the
/// next event and the error is kept in ``errors``.
final class ParallelRenderer {
    /// One event to render, with the default database the text output has set with `use` before it (the only
    /// state text output carries from event to event, worked out in order by the reading thread).
    struct Entry: Sendable {
        var item: BinlogInspector.Item
        var defaultDatabase: [UInt8]
    }

    /// Events that could not be rendered and were left out (with `continuePastErrors`), in output order.
    private(set) var errors: [any Error] = []
    /// How many of ``errors`` are huge events shown cut short (written as they rendered) rather than left out.
    private(set) var cutShort = 0
    private let continuePastErrors: Bool
    private let render: @Sendable (Entry, inout OutputSink) throws -> Void
    private let maximumInFlight: Int
    /// A batch is handed to a worker when its events reach this many bytes.
    private let batchByteLimit: Int
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private var batch: [Entry] = []
    private var batchBytes = 0
    /// Batches handed to workers, oldest first.
    private var pending: [RenderJob] = []
    /// Finished jobs kept for reuse (their buffers keep their capacity).
    private var spare: [RenderJob] = []

    /// Events at least this large are rendered by the reading thread straight to a sink that writes through.
    private let directEventBytes: Int

    init(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        batchByteLimit: Int = 512 << 10,
        directEventBytes: Int = EventTextRenderer.streamedEventBytes,
        continuePastErrors: Bool = false,
        render: @escaping @Sendable (Entry, inout OutputSink) throws -> Void
    ) {
        self.directEventBytes = directEventBytes
        self.continuePastErrors = continuePastErrors
        self.maximumInFlight = max(1, workers) * 2
        self.batchByteLimit = batchByteLimit
        self.render = render
    }

    func add(_ item: BinlogInspector.Item, defaultDatabase: [UInt8] = [], into out: inout OutputSink) throws {
        if Int(item.record.header.eventSize) >= self.directEventBytes && out.writesThrough {
            // One huge event: not held in a batch's buffer (its text can be several times its size, up to gigabytes)
            // but rendered here, after everything before it, straight to the output in pieces. If it fails, what
            // it wrote is out: the output then ends inside it, and says so.
            try self.flush(into: &out)
            do {
                try self.render(Entry(item: item, defaultDatabase: defaultDatabase), &out)
            } catch {
                out.flush()
                if self.continuePastErrors {
                    out.write("\n# rewind: the event above is cut short here: \(error)\n")
                    self.errors.append(error)
                    self.cutShort += 1
                    return
                }
                throw RenderingError(underlying: error, endsInsideTheEvent: true)
            }
            return
        }
        self.batch.append(Entry(item: item, defaultDatabase: defaultDatabase))
        self.batchBytes += Int(item.record.header.eventSize)
        if self.batchBytes >= self.batchByteLimit { try self.submit(into: &out) }
    }

    /// Renders what is collected and writes every pending batch, in order.
    func flush(into out: inout OutputSink) throws {
        try self.submit(into: &out)
        while !self.pending.isEmpty { try self.writeOldest(into: &out) }
    }

    private func submit(into out: inout OutputSink) throws {
        guard !self.batch.isEmpty else { return }
        while self.pending.count >= self.maximumInFlight { try self.writeOldest(into: &out) }
        let job = self.spare.popLast() ?? RenderJob()
        job.items = self.batch
        self.batch.removeAll(keepingCapacity: true)
        self.batchBytes = 0
        self.pending.append(job)
        let render = self.render
        let goOn = self.continuePastErrors
        self.queue.async { job.run(render, continuePastErrors: goOn) }
    }

    private func writeOldest(into out: inout OutputSink) throws {
        let job = self.pending.removeFirst()
        job.done.wait()
        defer {
            job.reset()
            self.spare.append(job)
        }
        job.sink.withCapturedBytes { out.writeDirectly($0) }
        if self.continuePastErrors {
            self.errors += job.skipped
            return
        }
        if let error = job.error {
            // Later events are not written: the output stops where the bad event is.
            for later in self.pending {
                later.done.wait()
                later.reset()
                self.spare.append(later)
            }
            self.pending.removeAll()
            self.batch.removeAll(keepingCapacity: true)
            self.batchBytes = 0
            throw RenderingError(underlying: error)
        }
    }
}

/// One batch and what rendering it produced. The items and sink are written only before the job is handed to
/// a worker (by the reading thread) and by that worker until it signals `done`; the reading thread reads them
/// only after waiting on `done`. The semaphore orders the accesses, so the job is never used by two threads at
/// once.
private final class RenderJob: @unchecked Sendable {
    var items: [ParallelRenderer.Entry] = []
    var sink = OutputSink.capturing(reserving: 4 << 20)
    /// The error that ended the batch (the sink ends at the event before it).
    var error: (any Error)?
    /// Errors of events left out while going on past them.
    var skipped: [any Error] = []
    let done = DispatchSemaphore(value: 0)

    func run(_ render: (ParallelRenderer.Entry, inout OutputSink) throws -> Void, continuePastErrors: Bool) {
        for item in self.items {
            let mark = self.sink.capturedCount
            do {
                try render(item, &self.sink)
            } catch {
                self.sink.truncate(to: mark)  // nothing of a half-rendered event
                if continuePastErrors {
                    self.skipped.append(error)
                    continue
                }
                self.error = error
                break
            }
        }
        self.items.removeAll(keepingCapacity: true)
        self.done.signal()
    }

    func reset() {
        self.sink.removeAll()
        self.error = nil
        self.skipped.removeAll()
    }
}
