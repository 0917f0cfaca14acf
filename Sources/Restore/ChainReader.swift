import BinlogFormat
import NIOCore
import Recovery

/// Reads the events of a ``RestoreChain`` in order, from a position (the backup's coordinates, or where an
/// interrupted restore stopped) to where the chain breaks, in constant memory. The planner and the applier both read
/// through it, so they see the same events.
final class ChainReader {
    /// What the reader hands over for each event.
    struct Event {
        var position: ChainPosition
        var record: BinlogEventRecord
        /// The event's bytes as read (header to checksum trailer).
        var bytes: ByteBuffer
        /// The decoding state after the event (table maps for ROWS events).
        var context: BinlogDecodingContext
    }

    /// A file being read (a box, since the file reader cannot be copied).
    private final class Open {
        var file: LocalBinlogFile
        init(_ file: consuming LocalBinlogFile) { self.file = file }
    }

    let chain: RestoreChain
    /// Where reading starts: events before it are passed over (format descriptions excepted).
    let start: ChainPosition
    let verifyChecksums: Bool
    private var index: Int
    private var open: Open?
    private var rotatedTo: String?
    /// Whether an event was found to start exactly at ``start`` (or the start file to end there).
    private var startFound = false

    init(chain: RestoreChain, start: ChainPosition, verifyChecksums: Bool) {
        self.chain = chain
        self.start = start
        self.verifyChecksums = verifyChecksums
        self.index = start.file
        self.startFound = start.offset <= 4  // the start of the file (0 stands for it too)
    }

    /// Refuses a start that is not where an event of the start file begins: the first event at or after it must
    /// start exactly there. A position inside an event, or in another server's file of the same name, would replay
    /// garbage or nothing.
    private func checkStart(eventAt position: UInt64, file: String) throws {
        guard position == self.start.offset else {
            throw RestoreError(
                .refused,
                "\(file): no event starts at byte \(self.start.offset), where reading must begin (an event starts "
                    + "at \(position)): this is not the binlog the backup's coordinates (or the progress record) "
                    + "point into; give the binlogs of the server the backup was taken from"
            )
        }
        self.startFound = true
    }

    /// Refuses a start file that ends before the start: the binlogs are another server's, or were cut.
    private func checkStart(endingAt end: UInt64, file: String, isOpen: Bool) throws {
        if isOpen, end < self.start.offset {
            throw RestoreError(
                .refused,
                "the archive holds \(file), the file the archiver is still writing, only up to byte \(end), before "
                    + "byte \(self.start.offset), where reading must begin: wait until the archiver has caught up "
                    + "(`rewind binlog archive-health`), then run the restore again"
            )
        }
        guard end == self.start.offset else {
            throw RestoreError(
                .refused,
                "\(file) ends at byte \(end), "
                    + (end < self.start.offset ? "before" : "without an event starting at")
                    + " byte \(self.start.offset), where reading must begin: this is not the binlog the backup's "
                    + "coordinates point into (another server's, or cut short); give the binlogs of the server the "
                    + "backup was taken from"
            )
        }
        self.startFound = true
    }

    /// The next event, or `nil` at the end of the chain (or at its break).
    ///
    /// - Throws: ``RestoreError/Code/refused`` for a gap between files, or the decoding error naming file and byte.
    func next() throws -> Event? {
        while self.index < self.chain.files.count {
            let file = self.chain.files[self.index]
            if self.open == nil {
                if self.index > self.start.file {
                    do {
                        try BinlogFileSequence.checkContinuity(
                            previous: self.chain.files[self.index - 1].name, rotatedTo: self.rotatedTo, next: file.name)
                    } catch {
                        throw RestoreError(.refused, "the binlog chain has a gap: \(error)")
                    }
                }
                self.rotatedTo = nil
                self.open = Open(try LocalBinlogFile(path: file.path, verifyChecksums: self.verifyChecksums))
            }
            let limit = self.chain.breakPoint.flatMap { $0.file == file.name ? $0.offset : nil }
            while let reader = self.open {
                let next: (record: BinlogEventRecord, bytes: ByteBuffer)?
                do {
                    next = try reader.file.nextWithBytes()
                } catch let error as BinlogDecodingError where error.code == .truncated && file.state == .open {
                    next = nil  // the archiver may be writing the file's tail right now: a partial last event ends it
                }
                guard let (record, bytes) = next, limit.map({ record.position < $0 }) ?? true else {
                    if self.index == self.start.file, !self.startFound, next == nil {
                        try self.checkStart(
                            endingAt: reader.file.position, file: file.name, isOpen: file.state == .open)
                    }
                    if limit != nil { self.index = self.chain.files.count }
                    break
                }
                if self.index == self.start.file, !self.startFound, record.position >= self.start.offset {
                    try self.checkStart(eventAt: record.position, file: file.name)
                }
                if case .rotate(let rotate) = record.event { self.rotatedTo = rotate.nextFileName }
                if case .formatDescription = record.event {
                } else if self.index == self.start.file, record.position < self.start.offset {
                    continue
                }
                return Event(
                    position: ChainPosition(file: self.index, offset: record.position), record: record, bytes: bytes,
                    context: reader.file.context)
            }
            self.open = nil
            self.index += 1
        }
        return nil
    }

    /// Calls `body` with every event until it returns `false` or the chain ends.
    func walk(_ body: (Event) throws -> Bool) throws {
        while let event = try self.next() {
            guard try body(event) else { return }
        }
    }
}
