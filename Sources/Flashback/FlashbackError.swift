import Recovery

/// The one error type of `Flashback`: what cannot be undone or read, where in the binlog, and what to do.
public struct FlashbackError: Error, Sendable, CustomStringConvertible {
    /// An open set of error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case refused, selection, input, server
        }
        private let base: Base
        /// The undo would be wrong (DDL, a MINIMAL row image, a dropped table, no column names): nothing is written.
        public static let refused = Code(base: .refused)
        /// A `--only`, `--since` or `--until` value does not name a transaction of the binlogs.
        public static let selection = Code(base: .selection)
        /// A binlog or a temporary file cannot be read or written.
        public static let input = Code(base: .input)
        /// The server answered an undo statement or a schema query with an error.
        public static let server = Code(base: .server)
        public var description: String { self.base.rawValue }
    }

    public var code: Code
    public var reason: String
    /// The binlog file and byte offset the reason is about, when there is one.
    public var file: String?
    public var position: UInt64?
    public var sourceFile: String
    public var sourceLine: Int

    public init(
        code: Code, reason: String, file: String? = nil, position: UInt64? = nil, sourceFile: String = #fileID,
        sourceLine: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.file = file
        self.position = position
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    public var description: String {
        var text = ""
        if let file { text += position.map { "\(file):\($0): " } ?? "\(file): " }
        return text + reason
    }

    static func refused(_ reason: String, file: String? = nil, position: UInt64? = nil) -> Self {
        Self(code: .refused, reason: reason, file: file, position: position)
    }
}

extension FlashbackError {
    /// `--only` names a transaction that is not in the binlogs read.
    static func notFound(_ id: TransactionID) -> Self {
        Self(
            code: .selection,
            reason: "transaction \(id) is not in the binlogs read: give the GTID or the FILE:POS where it starts, "
                + "as `rewind binlog show` prints them (`# at POS` of its GTID or BEGIN event)")
    }
}
