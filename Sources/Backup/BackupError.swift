/// Why a backup command failed, in words that name the file, table, server or option and say what to do.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        public static let notABackup = Code(name: "notABackup")
        public static let incomplete = Code(name: "incomplete")
        public static let io = Code(name: "io")
        public static let server = Code(name: "server")
        public static let privilege = Code(name: "privilege")
        public static let inconsistent = Code(name: "inconsistent")
        public static let lockTimeout = Code(name: "lockTimeout")
        public static let damagedChunk = Code(name: "damagedChunk")
        public static let targetNotEmpty = Code(name: "targetNotEmpty")
        public static let packetTooSmall = Code(name: "packetTooSmall")
        public static let mismatch = Code(name: "mismatch")
        public static let usage = Code(name: "usage")
        /// The backup was pruned while it ran (its writer paused past the heartbeat's limit).
        public static let removedWhileRunning = Code(name: "removedWhileRunning")
        public var description: String { self.name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
