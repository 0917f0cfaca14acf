import BackupStorage
import BinlogText
import Checksum
import NIOCore

/// Reads a chunk file back: its statements in order and, for each `INSERT`, its rows hashed as the backup hashed
/// them; at the end the rows and hash are checked against the manifest. ``BackupVerifier`` and ``BackupLoader``
/// both read chunks through it. Pull-based, so an async loader reads and sends in one task without blocking.
final class ChunkReader {
    let table: BackupTable
    let chunk: BackupChunk
    /// The chunk's full name (`DIR/<id>/data/…` or `s3://…`), for messages.
    private let path: String
    private let reader: ZstdStreamReader
    private var splitter = SQLScriptSplitter()
    private var hasher: RowHasher
    private var hash = RowSetHash()
    private var ready: [ByteBuffer] = []
    private var readyIndex = 0
    private var statementIndex = 0
    private var ended = false

    /// Opens `chunk` of `table` in the backup's store.
    ///
    /// - Throws: ``BackupError/Code/damagedChunk`` naming the file when it cannot be opened, or
    ///   ``BackupError/Code/notABackup`` for a column kind this version does not know.
    init(store: any BackupStore, table: BackupTable, chunk: BackupChunk) async throws {
        self.table = table
        self.chunk = chunk
        self.path = store.location(of: chunk.file)
        self.hasher = RowHasher(kinds: try Self.kinds(of: table))
        do {
            self.reader = try ZstdStreamReader(source: try await store.makeReader(chunk.file), name: self.path)
        } catch let error as BackupStoreError where error.code == .missing || error.code == .io {
            throw BackupError(.damagedChunk, "chunk \(chunk.file) of \(table.qualifiedName): \(error.message)")
        }
    }

    /// The kinds of the table's columns, from the manifest.
    static func kinds(of table: BackupTable) throws -> [SQLValueKind] {
        try table.columns.map { column in
            guard let kind = SQLValueKind(token: column.kind) else {
                throw BackupError(
                    .notABackup,
                    "the manifest gives column \(table.qualifiedName).\(column.name) the unknown kind "
                        + "\(column.kind): it was written by a newer rewind"
                )
            }
            return kind
        }
    }

    /// The next statement (its rows already hashed), or `nil` after the last one, once the rows and hash have been
    /// checked against the manifest.
    ///
    /// - Throws: ``BackupError/Code/damagedChunk`` naming the file when it is damaged, does not parse, or its rows or
    ///   hash differ from the manifest.
    func next() async throws -> ByteBuffer? {
        while self.readyIndex == self.ready.count {
            self.ready.removeAll(keepingCapacity: true)
            self.readyIndex = 0
            if self.ended { return nil }
            let more = try await self.reader.step { piece in
                try self.splitter.feed(piece) { self.ready.append(ByteBuffer(bytes: $0)) }
            }
            if !more {
                try self.splitter.finish { self.ready.append(ByteBuffer(bytes: $0)) }
                self.ended = true
                if self.ready.isEmpty {
                    try self.check()
                    return nil
                }
            }
        }
        let statement = self.ready[self.readyIndex]
        self.readyIndex += 1
        try self.hashRows(of: statement)
        if self.ended, self.readyIndex == self.ready.count { try self.check() }
        return statement
    }

    /// Reads the whole chunk (verify).
    func readAll() async throws {
        while try await self.next() != nil {}
    }

    private func hashRows(of statement: ByteBuffer) throws {
        self.statementIndex += 1
        guard statement.readableBytes >= 6,
            let first = statement.getInteger(at: statement.readerIndex, as: UInt8.self),
            let second = statement.getInteger(at: statement.readerIndex + 1, as: UInt8.self),
            first | 0x20 == 0x69, second | 0x20 == 0x6E  // in…
        else { return }
        do {
            try statement.withUnsafeReadableBytes { bytes in
                try SQLLiteralParser.forEachRow(in: bytes, columnCount: self.table.columns.count) { row in
                    self.hash.add(rowHash: self.hasher.hash(row))
                }
            }
        } catch let failure as SQLLiteralParser.Failure {
            throw BackupError(
                .damagedChunk,
                "chunk \(self.path) of \(self.table.qualifiedName) is damaged: statement \(self.statementIndex) does "
                    + "not parse \(failure); take a new backup"
            )
        }
    }

    private func check() throws {
        guard self.hash.rows == self.chunk.rows, self.hash.hex == self.chunk.hash else {
            throw BackupError(
                .damagedChunk,
                "chunk \(self.path) of \(self.table.qualifiedName) does not match the manifest: \(self.hash.rows) rows "
                    + "with hash \(self.hash.hex), the manifest says \(self.chunk.rows) rows with hash "
                    + "\(self.chunk.hash); the file was changed or damaged after the backup: take a new backup"
            )
        }
    }
}
