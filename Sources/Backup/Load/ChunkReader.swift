import BackupStorage
import Checksum
import MySQLWire
import SQLRendering

/// Reads a chunk file back: its statements in order and, for each `INSERT`, its rows hashed as the backup hashed
/// them; at the end the rows and hash are checked against the manifest. ``BackupVerifier`` and ``BackupLoader``
/// both read chunks through it. Pull-based, so an async loader reads and sends in one task without blocking.
final class ChunkReader {
    let table: BackupTable
    let chunk: BackupChunk
    /// The chunk's full name (`DIR/<id>/data/…` or `s3://…`), for messages.
    private let path: String
    private let reader: ZstdStreamReader
    private var scanner = SQLStatementScanner()
    /// The statement being read, built straight in the packet it is sent in.
    private var current = MySQLStatementBuffer()
    private var hasher: RowHasher
    private var hash = RowSetHash()
    private var ready: [MySQLStatementBuffer] = []
    private var readyIndex = 0
    /// Buffers of statements already handed out, emptied for the next ones (a caller that still holds one keeps
    /// its text: the buffer is copied on write then).
    private var spare: [MySQLStatementBuffer] = []
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
    func next() async throws -> MySQLStatementBuffer? {
        while self.readyIndex == self.ready.count {
            self.recycleReady()
            if self.ended { return nil }
            let more = try await self.reader.step { piece in
                self.scanner.feed(piece, text: { self.current.append($0) }, end: { self.end($0) })
            }
            if !more {
                self.scanner.finish { self.end($0) }
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

    /// The text collected since the last end is a statement (ready to send) or nothing (dropped).
    private func end(_ end: SQLStatementScanner.End) {
        guard case .statement(let delimiterBytes) = end else {
            self.current.removeAll()
            return
        }
        self.current.removeLast(delimiterBytes)
        self.ready.append(self.current)
        self.current = self.spare.popLast() ?? MySQLStatementBuffer(capacity: self.current.count)
    }

    /// Moves the handed-out statements to the spares (a few, of the usual size: memory stays flat).
    private func recycleReady() {
        for var statement in self.ready where self.spare.count < 2 && statement.count <= 4 << 20 {
            statement.removeAll()
            self.spare.append(statement)
        }
        self.ready.removeAll(keepingCapacity: true)
        self.readyIndex = 0
    }

    /// Reads the whole chunk (verify).
    func readAll() async throws {
        while try await self.next() != nil {}
    }

    private func hashRows(of statement: MySQLStatementBuffer) throws {
        self.statementIndex += 1
        do {
            try statement.withUnsafeBytes { bytes in
                guard bytes.count >= 6, bytes[0] | 0x20 == 0x69, bytes[1] | 0x20 == 0x6E else { return }  // in…
                try TextValueLiteralParser.forEachRow(in: bytes, columnCount: self.table.columns.count) { row in
                    self.hash.add(rowHash: self.hasher.hash(row))
                }
            }
        } catch let failure as TextValueLiteralParser.Failure {
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
