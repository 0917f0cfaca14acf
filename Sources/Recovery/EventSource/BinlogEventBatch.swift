import BinlogFormat

/// Consecutive events of one file, as a ``BinlogEventSource`` hands them on: in batches, so that a consumer pays
/// for one suspension per batch rather than per event.
public struct BinlogEventBatch: Sendable {
    /// Which file of the source the events are in.
    public struct File: Hashable, Sendable {
        /// The file name (`mysql-bin.000042`).
        public var name: String
        /// Its place among the source's files, from 0.
        public var index: Int
        /// How many files the source reads.
        public var count: Int
        public var isFirst: Bool { self.index == 0 }
        public var isLast: Bool { self.index == self.count - 1 }

        public init(name: String, index: Int, count: Int) {
            self.name = name
            self.index = index
            self.count = count
        }
    }

    /// How a file's read ended; on the last batch of each file.
    public struct FileEnd: Sendable {
        /// Bytes of the file read (the offset after its last event read, for a file on disk).
        public var bytesRead: UInt64
        /// Events passed over that did not decode (with `forceRead`), each naming file and byte.
        public var skippedErrors: [BinlogDecodingError] = []
        /// The error that ended the file early (a cut-short or damaged file, a checksum mismatch), naming file and
        /// byte; the source goes on with its next file.
        public var error: BinlogDecodingError?

        public init(bytesRead: UInt64, skippedErrors: [BinlogDecodingError] = [], error: BinlogDecodingError? = nil) {
            self.bytesRead = bytesRead
            self.skippedErrors = skippedErrors
            self.error = error
        }
    }

    public var file: File
    /// The events, in order (may be empty, e.g. on a file's last batch).
    public var events: [BinlogSourceEvent]
    /// Set on the file's last batch.
    public var end: FileEnd?

    public init(file: File, events: [BinlogSourceEvent], end: FileEnd? = nil) {
        self.file = file
        self.events = events
        self.end = end
    }
}
