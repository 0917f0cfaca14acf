import BinlogFormat
import NIOCore

/// Turns the events of row statements (table maps, then rows events up to the one with `STMT_END_F`) into `BINLOG
/// '…'` statements of at most about `limit` event bytes each, so that none exceeds the target's
/// `max_allowed_packet`: a long statement is cut between rows events (the cut one marked as a statement end, the
/// table maps sent again before the rest); a rows event bigger than the limit is cut into events of whole rows.
struct BinlogStatementBuilder {
    let limit: Int
    var checksummed = true
    /// The table maps of the statement being built, as sent.
    private var tableMaps: [ByteBuffer] = []
    private var chunk: [ByteBuffer] = []
    private var chunkBytes = 0
    private var pendingRows: ByteBuffer?
    private var pendingEndsStatement = false

    init(limit: Int) {
        self.limit = max(1024, limit)
    }

    /// Whether events of an unfinished statement are held.
    var isEmpty: Bool { self.chunk.isEmpty && self.pendingRows == nil && self.tableMaps.isEmpty }

    /// A `BINLOG` statement with one event's bytes.
    static func statementText(_ event: [UInt8]) -> [UInt8] {
        Self.statement([ByteBuffer(bytes: event)])
    }

    /// A `BINLOG` statement with `events`.
    static func statement(_ events: [ByteBuffer]) -> [UInt8] {
        var joined: [UInt8] = []
        for event in events { joined += event.readableBytesView }
        var text = Array("BINLOG '".utf8)
        joined.withUnsafeBytes { Base64.append($0, to: &text) }
        text.append(0x27)
        return text
    }

    /// Adds a table map. A table map that starts a statement may first send what is held, when the limit is near.
    mutating func addTableMap(_ read: ByteBuffer, emit: ([UInt8]) throws -> Void) throws {
        // A copy: a slice would keep the reader's whole input chunk alive while it is held.
        let event = ByteBuffer(bytes: read.readableBytesView)
        if let pending = self.pendingRows {
            // A table map after rows of the same statement (several tables): it goes with the rows that follow.
            self.chunk.append(pending)
            self.chunkBytes += pending.readableBytes
            self.pendingRows = nil
        } else if self.tableMaps.isEmpty, !self.chunk.isEmpty, self.chunkBytes + event.readableBytes > self.limit {
            try emit(Self.statement(self.chunk))
            self.chunk.removeAll()
            self.chunkBytes = 0
        }
        self.tableMaps.append(event)
        self.chunk.append(event)
        self.chunkBytes += event.readableBytes
    }

    /// Adds a rows event; `emit` receives each finished `BINLOG` statement.
    mutating func addRows(
        _ event: ByteBuffer, rows: RowsEvent, table: TableMapEvent, emit: ([UInt8]) throws -> Void
    ) throws {
        if event.readableBytes > self.limit, !rows.isCompressed {
            let pieces = try EventRewriter.splitting(
                event, rows: rows, table: table, limit: self.limit, checksummed: self.checksummed)
            for (index, piece) in pieces.enumerated() {
                try self.addPiece(piece, endsStatement: index == pieces.count - 1 && rows.isStatementEnd, emit: emit)
            }
            return
        }
        try self.addPiece(event, endsStatement: rows.isStatementEnd, emit: emit)
    }

    private mutating func addPiece(_ read: ByteBuffer, endsStatement: Bool, emit: ([UInt8]) throws -> Void) throws {
        let event = ByteBuffer(bytes: read.readableBytesView)
        if let pending = self.pendingRows {
            if self.chunkBytes + pending.readableBytes + event.readableBytes > self.limit {
                // Cut here: the pending rows end a statement of their own; the rest starts with the table maps again.
                self.chunk.append(EventRewriter.endingStatement(pending, checksummed: self.checksummed))
                try emit(Self.statement(self.chunk))
                self.chunk = self.tableMaps
                self.chunkBytes = self.tableMaps.reduce(0) { $0 + $1.readableBytes }
            } else {
                self.chunk.append(pending)
                self.chunkBytes += pending.readableBytes
            }
        }
        self.pendingRows = event
        if endsStatement { self.finishStatement() }
    }

    /// Ends a row statement: its events stay held, so that consecutive statements (and transactions) share one
    /// `BINLOG` statement up to the limit.
    mutating func finishStatement() {
        if let pending = self.pendingRows {
            self.chunk.append(pending)
            self.chunkBytes += pending.readableBytes
            self.pendingRows = nil
        }
        self.tableMaps.removeAll()
    }

    /// Sends what is held (before anything that is not a row event, and at a commit).
    mutating func flush(emit: ([UInt8]) throws -> Void) throws {
        self.finishStatement()
        if self.chunk.contains(where: { $0.getInteger(at: $0.readerIndex + 4, as: UInt8.self) != 19 }) {
            try emit(Self.statement(self.chunk))
        }
        self.chunk.removeAll()
        self.chunkBytes = 0
    }
}
