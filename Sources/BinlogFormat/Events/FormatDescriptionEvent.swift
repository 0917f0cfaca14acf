import NIOCore

/// `FORMAT_DESCRIPTION_EVENT` (15): the first event of every v4 binlog. It tells how to read the rest.
///
///     ┌─────────────────┬─────────────────────┬──────────────────┬──────────────────┬──────────────────────┐
///     │ binlog ver. (2) │ server version (50) │ create time (4)  │ header length (1)│ post-header lengths  │
///     └─────────────────┴─────────────────────┴──────────────────┴──────────────────┴──────────────────────┘
///     … then, for servers with checksum support (MySQL ≥ 5.6.1, MariaDB ≥ 5.3): algorithm (1) + CRC32 (4).
public struct FormatDescriptionEvent: Hashable, Sendable {
    public var binlogVersion: UInt16
    public var serverVersion: String
    public var createTimestamp: UInt32
    public var headerLength: UInt8
    /// Post-header length of event type `i + 1` at index `i`.
    public var postHeaderLengths: [UInt8]
    public var checksumAlgorithm: ChecksumAlgorithm

    /// Checksum of the events that follow (`enum_binlog_checksum_alg`).
    public struct ChecksumAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `BINLOG_CHECKSUM_ALG_OFF` (0)
        public static let off = Self(rawValue: 0)
        /// `BINLOG_CHECKSUM_ALG_CRC32` (1)
        public static let crc32 = Self(rawValue: 1)
        /// `BINLOG_CHECKSUM_ALG_UNDEF` (255): a pre-checksum server.
        public static let undefined = Self(rawValue: 255)
        public var description: String {
            switch self.rawValue {
            case 0: "NONE"
            case 1: "CRC32"
            case 255: "n/a"
            default: "algorithm \(self.rawValue)"
            }
        }
        /// Bytes of checksum trailer on each event.
        public var trailerLength: Int { self == .crc32 ? 4 : 0 }
    }

    public init(
        binlogVersion: UInt16, serverVersion: String, createTimestamp: UInt32, headerLength: UInt8,
        postHeaderLengths: [UInt8], checksumAlgorithm: ChecksumAlgorithm
    ) {
        self.binlogVersion = binlogVersion
        self.serverVersion = serverVersion
        self.createTimestamp = createTimestamp
        self.headerLength = headerLength
        self.postHeaderLengths = postHeaderLengths
        self.checksumAlgorithm = checksumAlgorithm
    }

    /// Post-header length of `type`, or `nil` when the FDE does not list the type.
    public func postHeaderLength(of type: BinlogEventType) -> Int? {
        let index = Int(type.rawValue) - 1
        guard index >= 0, index < self.postHeaderLengths.count else { return nil }
        return Int(self.postHeaderLengths[index])
    }

    /// Whether the server is MariaDB (its version string says so).
    public var isMariaDB: Bool { self.serverVersion.contains("MariaDB") }

    /// The numeric part of the server version, e.g. (8, 0, 32).
    public var versionTriple: (major: Int, minor: Int, patch: Int) {
        Self.parseVersion(self.serverVersion)
    }

    static func parseVersion(_ text: String) -> (major: Int, minor: Int, patch: Int) {
        var parts: [Int] = []
        var current = 0
        var hasDigit = false
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                current = current &* 10 &+ Int(byte &- 0x30)
                hasDigit = true
            } else if byte == 0x2E && hasDigit {
                parts.append(current)
                current = 0
                hasDigit = false
                if parts.count == 3 { break }
            } else {
                break
            }
        }
        if hasDigit && parts.count < 3 { parts.append(current) }
        while parts.count < 3 { parts.append(0) }
        return (parts[0], parts[1], parts[2])
    }

    /// Whether a server of this version writes the checksum algorithm byte at the end of its FDE.
    static func hasChecksumAlgorithm(serverVersion: String) -> Bool {
        let (major, minor, patch) = parseVersion(serverVersion)
        // A byte search: `String.contains(_:)` is _StringProcessing's, whose first use costs more than a file's
        // whole format description.
        let version = Array(serverVersion.utf8)
        let mariaDB = Array("MariaDB".utf8)
        if version.indices.contains(where: { version[$0...].starts(with: mariaDB) }) { return (major, minor) >= (5, 3) }
        return (major, minor, patch) >= (5, 6, 1)
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let version = try body.readLittleEndian(UInt16.self, field: "binlog_version")
        let versionBytes = try body.readBytes(length: 50, field: "server_version")
        let serverVersion = String(decoding: versionBytes.prefix { $0 != 0 }, as: UTF8.self)
        let created = try body.readLittleEndian(UInt32.self, field: "create_timestamp")
        let headerLength = try body.readLittleEndian(UInt8.self, field: "header_length")
        var algorithm = ChecksumAlgorithm.undefined
        var lengthsCount = body.readableBytes
        if Self.hasChecksumAlgorithm(serverVersion: serverVersion) && body.readableBytes >= 5 {
            // The body given here still ends with the algorithm byte and the 4 checksum bytes.
            lengthsCount -= 5
            algorithm = ChecksumAlgorithm(rawValue: body.getInteger(at: body.readerIndex + lengthsCount) ?? 255)
        }
        let lengths = try body.readBytes(length: lengthsCount, field: "post_header_lengths")
        if algorithm != .undefined { try body.skip(body.readableBytes, field: "checksum_alg") }
        guard headerLength >= 19 else {
            throw BinlogDecodingError.malformed("header_length", reason: "\(headerLength) is less than 19")
        }
        return Self(
            binlogVersion: version, serverVersion: serverVersion, createTimestamp: created,
            headerLength: headerLength, postHeaderLengths: lengths, checksumAlgorithm: algorithm)
    }

    /// A synthetic description for v3 (MySQL 4.x) files, which have no FDE but fixed post-header sizes.
    static func v3(serverVersion: String, created: UInt32) -> Self {
        var lengths = [UInt8](repeating: 0, count: 18)
        lengths[Int(BinlogEventType.startV3.rawValue) - 1] = 56
        lengths[Int(BinlogEventType.query.rawValue) - 1] = 11
        lengths[Int(BinlogEventType.rotate.rawValue) - 1] = 8
        lengths[Int(BinlogEventType.load.rawValue) - 1] = 18
        lengths[Int(BinlogEventType.createFile.rawValue) - 1] = 22
        lengths[Int(BinlogEventType.appendBlock.rawValue) - 1] = 4
        lengths[Int(BinlogEventType.execLoad.rawValue) - 1] = 4
        lengths[Int(BinlogEventType.deleteFile.rawValue) - 1] = 4
        lengths[Int(BinlogEventType.newLoad.rawValue) - 1] = 18
        return Self(
            binlogVersion: 3, serverVersion: serverVersion, createTimestamp: created, headerLength: 19,
            postHeaderLengths: lengths, checksumAlgorithm: .undefined)
    }

    /// What a v4 reader assumes before it has seen the FDE (enough to read the FDE itself).
    public static let bootstrap = Self(
        binlogVersion: 4, serverVersion: "", createTimestamp: 0, headerLength: 19, postHeaderLengths: [],
        checksumAlgorithm: .undefined)
}
