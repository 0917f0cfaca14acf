import NIOCore

/// Splits the bytes of a binlog file into events and decodes them, in constant memory: feed it chunks with
/// ``append(_:)`` and take events with ``next()`` until it returns `nil`, then feed more. At the end of the
/// input call ``finish()``: a partial trailing event (a file still being written) is reported there.
///
///     ┌───────────────────┬─────────┬─────────┬─────
///     │ magic fe 'b' 'i' 'n' │ event 1 │ event 2 │ …      (each event: header with event_size, body, CRC32)
///     └───────────────────┴─────────┴─────────┴─────
public struct BinlogStreamDecoder: Sendable {
    public var decoder: BinlogEventDecoder
    /// Name used in errors.
    public var fileName: String?
    /// Go past events that do not decode (`--force-read`), as long as their header's size is usable.
    public var forceRead: Bool
    /// Errors skipped under ``forceRead``.
    public private(set) var skippedErrors: [BinlogDecodingError] = []
    /// The input's total length when known (a file's size): an event claiming to end beyond it is reported at once,
    /// instead of buffering the rest of the input to find out.
    public var inputLength: UInt64?

    private var buffer: ByteBuffer
    /// File offset of `buffer.readerIndex`.
    public private(set) var position: UInt64
    private var sawMagic: Bool
    private var stopped = false

    /// The binlog magic number `fe 62 69 6e`.
    public static let magic: [UInt8] = [0xFE, 0x62, 0x69, 0x6E]
    /// Largest event accepted (MySQL's `max_allowed_packet` ceiling).
    public static let maximumEventSize: UInt32 = 1 << 30

    /// - Parameters:
    ///   - expectMagic: `true` for a file from its start; `false` for a stream or a file read from an offset.
    ///   - startPosition: file offset of the first byte that will be appended.
    public init(
        fileName: String? = nil, expectMagic: Bool = true, startPosition: UInt64 = 0,
        context: BinlogDecodingContext = BinlogDecodingContext(), forceRead: Bool = false
    ) {
        self.decoder = BinlogEventDecoder(context: context)
        self.fileName = fileName
        self.forceRead = forceRead
        self.buffer = ByteBuffer()
        self.position = startPosition
        self.sawMagic = !expectMagic
    }

    public var context: BinlogDecodingContext { self.decoder.context }

    /// Adds the next bytes of the input.
    public mutating func append(_ chunk: ByteBuffer) {
        if self.buffer.readerIndex > 0 && self.buffer.readerIndex >= self.buffer.readableBytes {
            self.buffer.discardReadBytes()
        }
        var chunk = chunk
        self.buffer.writeBuffer(&chunk)
    }

    /// Lets `body` write the next input bytes straight into the decoder's buffer (a file reader's `read(2)`),
    /// saving a copy. `body` returns how many bytes it wrote.
    public mutating func appendInPlace(
        minimumWritableBytes: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        if self.buffer.readerIndex > 0 {
            // Events handed out earlier may still hold slices of this storage; writing into it would copy all
            // of it. Start a new buffer with only the partial event carried over.
            var fresh = ByteBufferAllocator().buffer(capacity: self.buffer.readableBytes + minimumWritableBytes)
            fresh.writeBuffer(&self.buffer)
            self.buffer = fresh
        }
        return try self.buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: minimumWritableBytes, body)
    }

    /// The next complete event, or `nil` when more input is needed (or after a STOP event's end of input).
    public mutating func next() throws -> BinlogEventRecord? {
        try self.nextWithBytes()?.record
    }

    /// The next complete event with its bytes as they were read (header, body and checksum trailer): what a
    /// restore replays. `nil` when more input is needed.
    public mutating func nextWithBytes() throws -> (record: BinlogEventRecord, bytes: ByteBuffer)? {
        if !self.sawMagic {
            guard self.buffer.readableBytes >= 4 else { return nil }
            let magic = self.buffer.getBytes(at: self.buffer.readerIndex, length: 4) ?? []
            guard magic == Self.magic else { throw self.badMagic(magic) }
            self.buffer.moveReaderIndex(forwardBy: 4)
            self.position += 4
            self.sawMagic = true
        }
        while true {
            guard self.buffer.readableBytes >= BinlogEventHeader.v1Length else { return nil }
            let start = self.buffer.readerIndex
            guard let size = self.buffer.getInteger(at: start + 9, endianness: .little, as: UInt32.self) else {
                return nil
            }
            let type = BinlogEventType(rawValue: self.buffer.getInteger(at: start + 4, as: UInt8.self) ?? 0)
            if self.decoder.context.isEncrypted {
                throw self.error(
                    BinlogDecodingError(
                        code: .encrypted,
                        reason: "this binlog is encrypted (MariaDB encrypt_binlog=ON); events after START_ENCRYPTION "
                            + "cannot be read without the server's key: read it through the server (--remote) or "
                            + "with mariadb-binlog on a host that has the key"))
            }
            guard size >= UInt32(BinlogEventHeader.v1Length), size <= Self.maximumEventSize else {
                // The framing itself is broken: nothing after this point can be trusted.
                throw self.error(
                    BinlogDecodingError(
                        code: .malformed, reason: "event_size \(size) is impossible (header corrupt)", eventType: type))
            }
            if let inputLength, self.position + UInt64(size) > inputLength {
                throw self.error(
                    BinlogDecodingError(
                        code: .truncated,
                        reason: "the event claims \(size) bytes but the file ends \(inputLength - self.position) bytes "
                            + "after its start (a file cut short, or a damaged event header)"))
            }
            guard self.buffer.readableBytes >= Int(size) else { return nil }
            let eventBytes = self.buffer.getSlice(at: start, length: Int(size)) ?? ByteBuffer()
            let eventPosition = self.position
            self.buffer.moveReaderIndex(forwardBy: Int(size))
            self.position += UInt64(size)
            do {
                return (try self.decoder.decode(eventBytes, position: eventPosition), eventBytes)
            } catch let error as BinlogDecodingError {
                let full = error.adding(fileName: self.fileName)
                guard self.forceRead, full.code != .encrypted else { throw full }
                self.skippedErrors.append(full)
                continue
            }
        }
    }

    /// Call at the end of the input: throws ``BinlogDecodingError/Code/truncated`` naming the offset when bytes
    /// of an incomplete event are left (a file still being written, or cut short).
    public func finish() throws {
        if !self.sawMagic {
            let magic = self.buffer.getBytes(at: self.buffer.readerIndex, length: self.buffer.readableBytes) ?? []
            throw self.badMagic(magic)
        }
        guard self.buffer.readableBytes == 0 else {
            var needed = "a header"
            if self.buffer.readableBytes >= 13,
                let size = self.buffer.getInteger(at: self.buffer.readerIndex + 9, endianness: .little, as: UInt32.self)
            {
                needed = "\(size) bytes"
            }
            throw self.error(
                BinlogDecodingError(
                    code: .truncated,
                    reason: "the last event is incomplete: \(self.buffer.readableBytes) bytes where it needs \(needed) "
                        + "(a file still being written, or cut short); events before it are complete"))
        }
    }

    /// Bytes of an incomplete trailing event still buffered.
    public var pendingBytes: Int { self.buffer.readableBytes }

    /// The bytes still missing of the event that starts at the read position, once its header is buffered (its
    /// `event_size` is known and plausible); `nil` before that, or when it is complete. A reader uses it to read a
    /// huge event exactly to its end, so that the buffer holding it holds no part of the next one.
    public var missingBytesOfPendingEvent: Int? {
        guard self.sawMagic, self.buffer.readableBytes >= BinlogEventHeader.v1Length,
            let size = self.buffer.getInteger(at: self.buffer.readerIndex + 9, endianness: .little, as: UInt32.self),
            size <= Self.maximumEventSize, Int(size) > self.buffer.readableBytes
        else { return nil }
        return Int(size) - self.buffer.readableBytes
    }

    private func error(_ error: BinlogDecodingError) -> BinlogDecodingError {
        error.adding(position: self.position, fileName: self.fileName)
    }

    private func badMagic(_ magic: [UInt8]) -> BinlogDecodingError {
        let hex = magic.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
        let reason: String
        let code: BinlogDecodingError.Code
        if magic.starts(with: [0xFD, 0x62, 0x69, 0x6E]) {
            code = .encrypted
            reason =
                "this is a MySQL encrypted binlog (magic fd 62 69 6e, binlog_encryption=ON): read it through the server (--remote)"
        } else if magic.starts(with: [0x1F, 0x8B]) {
            code = .notABinlog
            reason = "this file is gzip-compressed: gunzip it first"
        } else if magic.count < 4 {
            code = .notABinlog
            reason = "the file is \(magic.count) bytes long: too short for the binlog magic number"
        } else {
            code = .notABinlog
            reason = "not a binlog: starts with \(hex), a binlog starts with fe 62 69 6e"
        }
        return BinlogDecodingError(code: code, reason: reason, position: 0, fileName: self.fileName)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
