import NIOCore

/// SQL text built in the payload of its `COM_QUERY` packet (the command byte `0x03`, then the text), so that
/// ``MySQLConnection/query(_:)-(MySQLStatementBuffer)`` sends it without copying it again.
///
/// For callers that assemble long statements themselves (a backup load sends hundreds of megabytes of `INSERT`
/// text): append the text, send it, and reuse the buffer with ``removeAll()`` once the query has returned.
public struct MySQLStatementBuffer: Sendable {
    /// The `COM_QUERY` payload: the command byte and the text.
    package private(set) var payload: ByteBuffer

    /// An empty statement with room for `capacity` bytes of text.
    public init(capacity: Int = 0) {
        self.payload = ByteBufferAllocator().buffer(capacity: capacity + 1)
        self.payload.writeInteger(ClientCommand.query("").commandByte)
    }

    /// The length of the SQL text in bytes.
    public var count: Int { self.payload.readableBytes - 1 }

    /// Appends SQL text.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        self.payload.writeBytes(bytes)
    }

    /// Appends SQL text.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        self.payload.writeBytes(bytes)
    }

    /// Removes the last `count` bytes of the text (at most all of it).
    public mutating func removeLast(_ count: Int) {
        self.payload.moveWriterIndex(to: max(self.payload.readerIndex + 1, self.payload.writerIndex - count))
    }

    /// Empties the text and keeps the memory (not copied when the last query that sent it has returned).
    public mutating func removeAll() {
        self.payload.moveWriterIndex(to: self.payload.readerIndex + 1)
    }

    /// Calls `body` with the SQL text (valid only during the call).
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try self.payload.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
    }
}
