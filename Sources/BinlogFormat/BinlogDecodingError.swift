/// The one error type of `BinlogFormat`: what went wrong, where in the binlog, and where in the code.
///
/// Context is added on the way up: a byte helper throws ``Code/truncated`` with the field name, the event
/// dispatcher adds ``eventType`` and ``position``, and a file reader adds ``fileName``.
/// ``description`` never shows row data.
public struct BinlogDecodingError: Error, Sendable, CustomStringConvertible {
    /// An open set of error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case truncated, malformed, badChecksum, unsupported, notABinlog, encrypted, decompression
        }
        private let base: Base
        /// Fewer bytes than a field needs.
        public static let truncated = Code(base: .truncated)
        /// A field holds a value that cannot be right.
        public static let malformed = Code(base: .malformed)
        /// The CRC32 trailer does not match the event.
        public static let badChecksum = Code(base: .badChecksum)
        /// A valid but unsupported construct (an old format, an unknown column type).
        public static let unsupported = Code(base: .unsupported)
        /// The file does not start with the binlog magic number.
        public static let notABinlog = Code(base: .notABinlog)
        /// The binlog is encrypted (MariaDB `START_ENCRYPTION_EVENT`, or MySQL's `0xFD 'bin'` magic).
        public static let encrypted = Code(base: .encrypted)
        /// A compressed payload (zstd, zlib) does not decompress.
        public static let decompression = Code(base: .decompression)
        public var description: String { self.base.rawValue }
    }

    public var code: Code
    public var reason: String
    /// Type of the event being decoded, set by the dispatcher.
    public var eventType: BinlogEventType?
    /// Byte offset of the event in its file (or stream position), set by the reader.
    public var position: UInt64?
    /// Name of the binlog file, set by the file reader.
    public var fileName: String?
    /// Where the error was thrown.
    public var sourceFile: String
    public var sourceLine: Int

    public init(
        code: Code, reason: String, eventType: BinlogEventType? = nil, position: UInt64? = nil,
        fileName: String? = nil, sourceFile: String = #fileID, sourceLine: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.eventType = eventType
        self.position = position
        self.fileName = fileName
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    /// A sentence for people: the file, the byte offset and the event, what is wrong, and what to do next. Never
    /// an internal code name, never row data.
    public var description: String {
        var text = self.fileName ?? "the binlog"
        if let position { text += ", byte \(position)" }
        if let eventType { text += " (\(eventType.name) event)" }
        text += ": " + self.reason
        if let nextStep = self.nextStep { text += "; " + nextStep }
        return text
    }

    /// What the reader can do about it, when the reason does not already say.
    private var nextStep: String? {
        switch self.code {
        case .truncated where self.eventType != nil:
            return "the event is shorter than its fields need, so it is damaged (--force-read goes on past it)"
        case .badChecksum:
            return "the event was damaged on disk or on the way (--no-verify-checksums reads it as it is, "
                + "--force-read skips it)"
        case .malformed, .decompression:
            return "the event is damaged (--force-read goes on past it where the file's framing allows)"
        case .unsupported:
            return "rewind cannot read this (--force-read goes on past it)"
        default:
            return nil  // file-level truncation, notABinlog and encrypted: the reason says what to do
        }
    }

    static func truncated(_ field: StaticString, needed: Int, available: Int, file: String, line: Int) -> Self {
        Self(
            code: .truncated, reason: "\(field): need \(needed) bytes, have \(available)",
            sourceFile: file, sourceLine: line)
    }

    static func malformed(
        _ field: StaticString, reason: String, file: String = #fileID, line: Int = #line
    ) -> Self {
        Self(code: .malformed, reason: "\(field): \(reason)", sourceFile: file, sourceLine: line)
    }

    /// The same error with the event context filled in where it is still missing.
    package func adding(eventType: BinlogEventType? = nil, position: UInt64? = nil, fileName: String? = nil) -> Self {
        var copy = self
        if copy.eventType == nil { copy.eventType = eventType }
        if copy.position == nil { copy.position = position }
        if copy.fileName == nil { copy.fileName = fileName }
        return copy
    }
}
