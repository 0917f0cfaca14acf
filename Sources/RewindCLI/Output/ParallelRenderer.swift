import Dispatch
import Foundation
import Recovery

/// Renders events on every core while keeping their order: items are collected into a batch, the batch is
/// cut into one contiguous slice per core, each slice renders into its own buffer, and the buffers are
/// written in order. Row decoding and value printing are pure, so slices do not depend on each other.
final class ParallelRenderer {
    private let render: @Sendable (BinlogInspector.Item, inout OutputSink) throws -> Void
    private let workers: Int
    private var batch: [BinlogInspector.Item] = []
    private var batchBytes = 0
    /// A batch is rendered when its events reach this many bytes.
    private let batchByteLimit: Int

    init(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, batchByteLimit: Int = 1 << 20,
        render: @escaping @Sendable (BinlogInspector.Item, inout OutputSink) throws -> Void
    ) {
        self.workers = max(1, workers)
        self.batchByteLimit = batchByteLimit
        self.render = render
    }

    func add(_ item: BinlogInspector.Item, into out: inout OutputSink) throws {
        self.batch.append(item)
        self.batchBytes += Int(item.record.header.eventSize)
        if self.batchBytes >= self.batchByteLimit { try self.flush(into: &out) }
    }

    func flush(into out: inout OutputSink) throws {
        defer {
            self.batch.removeAll(keepingCapacity: true)
            self.batchBytes = 0
        }
        guard !self.batch.isEmpty else { return }
        if self.workers == 1 || self.batch.count < 2 {
            for item in self.batch { try self.render(item, &out) }
            return
        }
        // Cut the batch into slices of about equal bytes.
        let items = self.batch
        let share = max(1, self.batchBytes / self.workers)
        var bounds: [Int] = [0]
        var running = 0
        for (index, item) in items.enumerated() {
            running += Int(item.record.header.eventSize)
            if running >= share * bounds.count && bounds.count < self.workers && index + 1 < items.count {
                bounds.append(index + 1)
            }
        }
        bounds.append(items.count)
        let cuts = bounds
        let slices = cuts.count - 1
        let results = ResultSlots(count: slices)
        let render = self.render
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var sink = OutputSink.capturing(reserving: 4 * share)
            do {
                for index in cuts[slice]..<cuts[slice + 1] { try render(items[index], &sink) }
                results.store(slice, .success(sink.takeCaptured()))
            } catch {
                results.store(slice, .failure(error))
            }
        }
        for slice in 0..<slices {
            switch results.take(slice) {
            case .success(let bytes): out.writeDirectly(bytes)
            case .failure(let error): throw error
            case nil: break
            }
        }
    }
}

/// One result slot per slice. Each slot is written by exactly one `concurrentPerform` iteration and read only
/// after `concurrentPerform` returned, so the slots never race; the lock makes that visible to the checker.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[UInt8], any Error>?]
    private let lock = NSLock()

    init(count: Int) { self.slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<[UInt8], any Error>) {
        self.lock.lock()
        self.slots[index] = result
        self.lock.unlock()
    }

    func take(_ index: Int) -> Result<[UInt8], any Error>? {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.slots[index]
    }
}
