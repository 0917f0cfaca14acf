/// Why a backup store could not read or write: the message names the file or object (a path or
/// `s3://bucket/key`), what the store answered, and what to check.
public struct BackupStoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// A local file or directory could not be created, read, written or synced.
        public static let io = Code(name: "io")
        /// The store refused the credentials, or they may not use the bucket.
        public static let denied = Code(name: "denied")
        /// The directory or bucket does not exist.
        public static let missing = Code(name: "missing")
        /// A file that is written once is there already.
        public static let exists = Code(name: "exists")
        /// Any other failure of an object store (after its retries).
        public static let storage = Code(name: "storage")
        /// An encrypted object that cannot be read: no key, another key, or a frame that does not authenticate.
        public static let encoding = Code(name: "encoding")
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
