import BinlogFormat
import Logging
import MySQLWire
import NIOCore

/// Reads a server's binlog files for ``BinlogEventSource``: one binlog dump per file, each on its own connection
/// (connections are scoped, so a task holds them), handing on one batch per ``next()``. The task reads a batch only
/// when the consumer asks for one, so the socket's backpressure reaches the server.
final class ServerBatchReader: BinlogBatchReader {
    private var batches: AsyncThrowingStream<BinlogEventBatch, any Error>.Iterator
    private let demand: AsyncStream<Demand>.Continuation
    private let task: Task<Void, Never>
    private var skipsRest = false

    init(input: BinlogEventSource.ServerInput, source: BinlogEventSource) {
        let (batches, output) = AsyncThrowingStream.makeStream(of: BinlogEventBatch.self)
        let (demands, demand) = AsyncStream.makeStream(of: Demand.self)
        self.batches = batches.makeAsyncIterator()
        self.demand = demand
        self.task = Task {
            do {
                try await ServerBatchProducer.produce(input: input, source: source, demands: demands, output: output)
                output.finish()
            } catch {
                output.finish(throwing: error)
            }
        }
    }

    deinit {
        self.demand.finish()
        self.task.cancel()
    }

    func endFile() { self.skipsRest = true }

    func next() async throws -> BinlogEventBatch? {
        self.demand.yield(self.skipsRest ? .endOfFile : .batch)
        let batch = try await self.batches.next()
        if batch?.end != nil { self.skipsRest = false }
        return batch
    }

}

/// What the consumer of a ``ServerBatchReader`` asks for: the next batch, or the end of the current file.
enum Demand: Sendable {
    case batch
    case endOfFile
}

/// The task side of a ``ServerBatchReader``.
enum ServerBatchProducer {
    /// Reads the files in order, one batch per request; returns when the files are read or no more requests come.
    static func produce(
        input: BinlogEventSource.ServerInput, source: BinlogEventSource, demands: AsyncStream<Demand>,
        output: AsyncThrowingStream<BinlogEventBatch, any Error>.Continuation
    ) async throws {
        var requests = demands.makeAsyncIterator()
        for (index, name) in input.files.enumerated() {
            let file = BinlogEventBatch.File(name: name, index: index, count: input.files.count)
            guard var request = await requests.next() else { return }
            var events: [BinlogSourceEvent] = []
            var end = BinlogEventBatch.FileEnd(bytesRead: 0)
            let goOn = try await MySQLConnection.withConnection(
                configuration: input.configuration, logger: input.logger
            ) { connection in
                // From the file's start: the server refuses a position that is not an event boundary, and "the
                // first event at or after N" is for the consumer to judge, as for files.
                let stream = try await connection.binlogEvents(
                    BinlogDumpRequest(
                        start: .position(file: name, position: 4), mode: .stopAtEnd, serverID: input.serverID)
                )
                var context = BinlogDecodingContext(verifiesChecksums: source.verifyChecksums)
                context.formatDescription.checksumAlgorithm = stream.hasCRC32 ? .crc32 : .off
                var decoder = BinlogEventDecoder(context: context)
                var bytes = 0
                for try await raw in stream {
                    if request == .endOfFile { return true }
                    guard let header = BinlogEventHeader(peekingAt: raw) else { continue }
                    if header.type == .heartbeat || header.type == .heartbeatV2 { continue }
                    let isArtificial = header.isArtificial
                    let position = UInt64(header.nextPosition) &- UInt64(header.eventSize)
                    let record: BinlogEventRecord
                    do {
                        record = try decoder.decode(raw, position: isArtificial ? 0 : position)
                    } catch var error as BinlogDecodingError {
                        error.position = error.position ?? position
                        error.fileName = error.fileName ?? name
                        guard source.forceRead else {
                            end.error = error
                            return true
                        }
                        end.skippedErrors.append(error)
                        continue
                    }
                    if isArtificial {
                        // The dump names the file it reads first; naming another one means this file is done.
                        if case .rotate(let rotate) = record.event, rotate.nextFileName != name { return true }
                        continue
                    }
                    end.bytesRead += UInt64(header.eventSize)
                    events.append(
                        BinlogSourceEvent(fileName: name, record: record, bytes: raw, context: decoder.context))
                    bytes += raw.readableBytes
                    if header.type == .rotate || header.type == .stop { return true }
                    if bytes >= source.batchByteLimit || events.count >= source.batchEventLimit {
                        output.yield(BinlogEventBatch(file: file, events: events))
                        events.removeAll(keepingCapacity: true)
                        bytes = 0
                        guard let next = await requests.next() else { return false }
                        request = next
                    }
                }
                return true
            }
            guard goOn else { return }
            output.yield(BinlogEventBatch(file: file, events: events, end: end))
        }
    }
}
