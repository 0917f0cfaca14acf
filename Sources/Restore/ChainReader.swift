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

    init(chain: RestoreChain, start: ChainPosition, verifyChecksums: Bool) {
        self.chain = chain
        self.start = start
        self.verifyChecksums = verifyChecksums
        self.index = start.file
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
                    if limit != nil { self.index = self.chain.files.count }
                    break
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
