import BinlogFormat
import Logging
import MySQLWire

/// Decoded binlog events in order, each with its file name, byte offset and raw bytes, from local files, an archive
/// directory or a server: the one way Rewind reads binlogs forward. `binlog show`, `binlog stats` and the timeline
/// read through it (``BinlogInspector`` and ``BinlogStatistics`` consume it).
///
/// The events come in batches (``BinlogEventBatch``), each within one file, the last of each file saying how the
/// file ended (``BinlogEventBatch/FileEnd``): a file that is cut short or does not decode ends there, with the error
/// naming file and byte, and the source goes on with the next file; the consumer decides whether to stop. Memory
/// stays flat: a batch holds about ``batchByteLimit`` bytes of events, and nothing is read ahead of the consumer
/// by more than one batch.
///
/// ```swift
/// for try await batch in BinlogEventSource.files(paths) {
///     for event in batch.events { … event.fileName, event.position, event.record.event, event.bytes … }
///     if let error = batch.end?.error { … }
/// }
/// ```
public struct BinlogEventSource: AsyncSequence, Sendable {
    public typealias Element = BinlogEventBatch

    /// Where the events come from.
    enum Origin: Sendable {
        /// Files on disk, in order; each read up to `limit` bytes when given.
        case files([LocalInput])
        /// A server's files over binlog dumps, one connection per file.
        case server(ServerInput)
    }

    /// A file on disk to read.
    struct LocalInput: Sendable {
        var path: String
        /// Read this many bytes at most (an archive's open file: the size its index records).
        var limit: UInt64?
    }

    /// A server's files to read.
    struct ServerInput: Sendable {
        var files: [String]
        var configuration: MySQLConnection.Configuration
        var serverID: UInt32
        var logger: Logger
    }

    let origin: Origin
    /// Go past events that do not decode, where the framing allows (`--force-read`): they are reported in
    /// ``BinlogEventBatch/FileEnd/skippedErrors``.
    public var forceRead: Bool
    /// Check CRC32 trailers.
    public var verifyChecksums: Bool
    /// A batch is handed on when its events reach this many bytes (or ``batchEventLimit`` events).
    public var batchByteLimit = 256 << 10
    /// A batch is handed on when it holds this many events.
    public var batchEventLimit = 256

    init(origin: Origin, forceRead: Bool, verifyChecksums: Bool) {
        self.origin = origin
        self.forceRead = forceRead
        self.verifyChecksums = verifyChecksums
    }

    /// The binlog files at `paths`, in the order given.
    public static func files(_ paths: [String], forceRead: Bool = false, verifyChecksums: Bool = true) -> Self {
        Self(
            origin: .files(paths.map { LocalInput(path: $0, limit: nil) }), forceRead: forceRead,
            verifyChecksums: verifyChecksums)
    }

    /// A server's binlog files `files`, each over its own non-blocking binlog dump from its first event to its end
    /// (`mysqlbinlog --read-from-remote-server`). The dump's artificial events (its first ROTATE, heartbeats) are not
    /// handed on; connection errors (``MySQLError``, e.g. 1236 for a file the server does not have) are thrown.
    public static func server(
        files: [String], configuration: MySQLConnection.Configuration, serverID: UInt32, logger: Logger,
        forceRead: Bool = false, verifyChecksums: Bool = true
    ) -> Self {
        Self(
            origin: .server(
                ServerInput(files: files, configuration: configuration, serverID: serverID, logger: logger)),
            forceRead: forceRead, verifyChecksums: verifyChecksums)
    }

    /// The file names the source reads, in order.
    public var fileNames: [String] {
        switch self.origin {
        case .files(let inputs): inputs.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }
        case .server(let input): input.files
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch self.origin {
        case .files(let inputs): AsyncIterator(reader: LocalBatchReader(inputs: inputs, source: self))
        case .server(let input): AsyncIterator(reader: ServerBatchReader(input: input, source: self))
        }
    }

    /// Hands on the batches; ``endFile()`` passes over the rest of the current file.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: any BinlogBatchReader

        /// The next batch, `nil` after the last file's end.
        ///
        /// - Throws: ``RecoveryError`` when a file cannot be opened or read; ``MySQLError`` when the server cannot
        ///   be reached or refuses the dump.
        public mutating func next() async throws -> BinlogEventBatch? {
            try await self.reader.next()
        }

        /// Reads nothing more of the current file: the next batch is its end (``BinlogEventBatch/end``), with
        /// what was read of it.
        public func endFile() {
            self.reader.endFile()
        }
    }
}

/// What reads batches for an iterator of ``BinlogEventSource``.
protocol BinlogBatchReader: AnyObject {
    func next() async throws -> BinlogEventBatch?
    func endFile()
}
