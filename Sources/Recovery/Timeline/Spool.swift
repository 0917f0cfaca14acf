import Foundation

/// Transactions written to an unlinked temporary file and read back once, in order: a window of any length in
/// flat memory.
///
/// Each record is a 4-byte little-endian length and a compact binary form of the transaction (integers as 8 bytes
/// little-endian, strings as a length and their UTF-8 bytes): written and read many thousand times a second,
/// where JSON coding (and its date formatting) cost more than reading the binlog.
struct Spool: ~Copyable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewind-timeline-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forUpdatingAtPath: path)
        else {
            throw RecoveryError(reason: "cannot create a temporary file (TMPDIR)", path: path)
        }
        // Unlinked at once: the file goes away with the process, whatever happens.
        try? FileManager.default.removeItem(atPath: path)
        self.handle = handle
        self.buffer.reserveCapacity(1 << 20)
    }

    deinit { try? self.handle.close() }

    mutating func append(_ transaction: TimelineTransaction) throws {
        let start = self.buffer.count
        for _ in 0..<4 { self.buffer.append(0) }
        Writer.write(transaction, into: &self.buffer)
        let length = UInt32(truncatingIfNeeded: self.buffer.count - start - 4)
        for index in 0..<4 { self.buffer[start + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
        if self.buffer.count >= 1 << 20 { try self.flush() }
    }

    private mutating func flush() throws {
        do {
            try self.handle.write(contentsOf: Data(self.buffer))
        } catch {
            throw RecoveryError(reason: "cannot write the timeline's temporary file (\(error.localizedDescription))")
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Reads every transaction back, in order.
    mutating func replay(_ body: (TimelineTransaction) throws -> Void) throws {
        try self.flush()
        try self.handle.seek(toOffset: 0)
        var pending: [UInt8] = []
        var offset = 0
        while true {
            let chunk = try self.handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            pending.removeFirst(offset)
            offset = 0
            pending.append(contentsOf: chunk)
            while pending.count - offset >= 4 {
                let length =
                    Int(pending[offset]) | Int(pending[offset + 1]) << 8 | Int(pending[offset + 2]) << 16
                    | Int(pending[offset + 3]) << 24
                guard pending.count - offset - 4 >= length else { break }
                var reader = Reader(bytes: pending, offset: offset + 4)
                try body(try reader.readTransaction())
                offset += 4 + length
            }
        }
    }

    /// The binary form (its layout is ``Reader``'s, in the same order).
    private enum Writer {
        static func write(_ value: Int64, into bytes: inout [UInt8]) {
            var value = UInt64(bitPattern: value)
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
        }

        static func write(_ value: Int, into bytes: inout [UInt8]) { Self.write(Int64(value), into: &bytes) }

        static func write(_ text: String, into bytes: inout [UInt8]) {
            var text = text
            text.withUTF8 { utf8 in
                Self.write(utf8.count, into: &bytes)
                bytes.append(contentsOf: utf8)
            }
        }

        static func write(_ text: String?, into bytes: inout [UInt8]) {
            Self.write(text == nil ? 0 : 1, into: &bytes)
            if let text { Self.write(text, into: &bytes) }
        }

        static func write(_ transaction: TimelineTransaction, into bytes: inout [UInt8]) {
            Self.write(transaction.gtid, into: &bytes)
            Self.write(transaction.file, into: &bytes)
            Self.write(Int64(bitPattern: transaction.startPosition), into: &bytes)
            Self.write(Int64(bitPattern: transaction.endPosition), into: &bytes)
            Self.write(transaction.commitTimeMicros, into: &bytes)
            Self.write(transaction.commitTimeSource == .commitTimestamp ? 1 : 0, into: &bytes)
            Self.write(transaction.tables.count, into: &bytes)
            for table in transaction.tables {
                Self.write(table.database, into: &bytes)
                Self.write(table.table, into: &bytes)
                Self.write(table.inserted, into: &bytes)
                Self.write(table.updated, into: &bytes)
                Self.write(table.deleted, into: &bytes)
                Self.write(table.columns.map { $0.count + 1 } ?? 0, into: &bytes)
                for name in table.columns ?? [] { Self.write(name, into: &bytes) }
                Self.write(table.rowsBefore == nil ? 0 : 1, into: &bytes)
                Self.write(table.rowsBefore ?? 0, into: &bytes)
            }
            Self.write(transaction.statements.count, into: &bytes)
            for statement in transaction.statements { Self.write(statement, into: &bytes) }
            Self.write(transaction.suspicious.count, into: &bytes)
            for flag in transaction.suspicious {
                Self.write(flag.reason.rawValue, into: &bytes)
                Self.write(flag.detail, into: &bytes)
            }
            Self.write(transaction.repair.count, into: &bytes)
            for command in transaction.repair { Self.write(command, into: &bytes) }
            Self.write(transaction.namedTables.count, into: &bytes)
            for table in transaction.namedTables {
                Self.write(table.database, into: &bytes)
                Self.write(table.table, into: &bytes)
            }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset: Int

        mutating func readInt() throws -> Int64 {
            guard self.bytes.count - self.offset >= 8 else { throw Self.damaged }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(self.bytes[self.offset + index]) << (8 * index) }
            self.offset += 8
            return Int64(bitPattern: value)
        }

        mutating func readCount() throws -> Int {
            let value = try self.readInt()
            guard value >= 0, value <= self.bytes.count - self.offset + 1 else { throw Self.damaged }
            return Int(value)
        }

        mutating func readString() throws -> String {
            let length = try self.readCount()
            guard self.bytes.count - self.offset >= length else { throw Self.damaged }
            defer { self.offset += length }
            return String(decoding: self.bytes[self.offset..<(self.offset + length)], as: UTF8.self)
        }

        mutating func readOptionalString() throws -> String? {
            try self.readInt() == 0 ? nil : try self.readString()
        }

        static var damaged: RecoveryError {
            RecoveryError(reason: "the timeline's temporary file was damaged while it was read (TMPDIR)")
        }

        mutating func readTransaction() throws -> TimelineTransaction {
            var transaction = TimelineTransaction(
                gtid: try self.readOptionalString(),
                file: try self.readString(),
                startPosition: UInt64(bitPattern: try self.readInt()),
                endPosition: UInt64(bitPattern: try self.readInt()),
                commitTimeMicros: try self.readInt(),
                commitTimeSource: try self.readInt() == 1 ? .commitTimestamp : .eventTime
            )
            for _ in 0..<(try self.readCount()) {
                var table = TimelineTransaction.TableChange(
                    database: try self.readString(),
                    table: try self.readString()
                )
                table.inserted = Int(try self.readInt())
                table.updated = Int(try self.readInt())
                table.deleted = Int(try self.readInt())
                let columns = try self.readCount()
                if columns > 0 { table.columns = try (1..<columns).map { _ in try self.readString() } }
                let known = try self.readInt() == 1
                let rows = Int(try self.readInt())
                table.rowsBefore = known ? rows : nil
                transaction.tables.append(table)
            }
            transaction.statements = try (0..<(try self.readCount())).map { _ in try self.readString() }
            transaction.suspicious = try (0..<(try self.readCount())).map { _ in
                TimelineTransaction.Suspicion(
                    reason: SuspicionReason(rawValue: try self.readString()),
                    detail: try self.readString()
                )
            }
            transaction.repair = try (0..<(try self.readCount())).map { _ in try self.readString() }
            transaction.namedTables = try (0..<(try self.readCount())).map { _ in
                QualifiedTable(database: try self.readString(), table: try self.readString())
            }
            return transaction
        }
    }
}
