import BinlogFormat

/// Reads files on disk for ``BinlogEventSource``, on the consumer's thread, one batch per call.
final class LocalBatchReader: BinlogBatchReader {
    /// A file being read (a box, since the file reader cannot be copied).
    private final class Open {
        var file: LocalBinlogFile
        init(_ file: consuming LocalBinlogFile) { self.file = file }
    }

    private let inputs: [BinlogEventSource.LocalInput]
    private let names: [String]
    private let source: BinlogEventSource
    private var index = 0
    private var open: Open?
    private var skipsRest = false

    init(inputs: [BinlogEventSource.LocalInput], source: BinlogEventSource) {
        self.inputs = inputs
        self.names = source.fileNames
        self.source = source
    }

    func endFile() { self.skipsRest = true }

    func next() async throws -> BinlogEventBatch? {
        try self.nextBatch()
    }

    private func nextBatch() throws -> BinlogEventBatch? {
        guard self.index < self.inputs.count else { return nil }
        let input = self.inputs[self.index]
        let file = BinlogEventBatch.File(name: self.names[self.index], index: self.index, count: self.inputs.count)
        let open: Open
        if let current = self.open {
            open = current
        } else {
            open = Open(
                try LocalBinlogFile(
                    path: input.path, forceRead: self.source.forceRead,
                    verifyChecksums: self.source.verifyChecksums, limit: input.limit))
            self.open = open
            self.skipsRest = false
        }
        var events: [BinlogSourceEvent] = []
        events.reserveCapacity(self.source.batchEventLimit)
        if self.skipsRest { return self.finish(file, open, events: events, error: nil) }
        do {
            let full = try open.file.appendEvents(
                to: &events, fileName: file.name, byteLimit: self.source.batchByteLimit,
                eventLimit: self.source.batchEventLimit)
            if full { return BinlogEventBatch(file: file, events: events) }
        } catch let error as BinlogDecodingError {
            return self.finish(file, open, events: events, error: error)
        }
        return self.finish(file, open, events: events, error: nil)
    }

    private func finish(
        _ file: BinlogEventBatch.File, _ open: Open, events: [BinlogSourceEvent], error: BinlogDecodingError?
    ) -> BinlogEventBatch {
        let end = BinlogEventBatch.FileEnd(
            bytesRead: open.file.position, skippedErrors: open.file.skippedErrors, error: error)
        self.open = nil
        self.index += 1
        return BinlogEventBatch(file: file, events: events, end: end)
    }
}
