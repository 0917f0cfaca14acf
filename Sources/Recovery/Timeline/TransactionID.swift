import BinlogFormat

/// A transaction as `--only` names it: its GTID (MySQL `uuid:n`, MariaDB `domain-server-seq`) or the binlog
/// file and byte offset where it starts (`mysql-bin.000003:1234`, as `rewind binlog show` prints `# at`).
public enum TransactionID: Hashable, Sendable, CustomStringConvertible {
    case gtid(GTID)
    case position(file: String, offset: UInt64)

    /// Parses `uuid:n`, `uuid:tag:n`, `d-s-n` or `FILE:POS`; `nil` for anything else.
    public init?(_ text: String) {
        if let gtid = GTID(text) {
            self = .gtid(gtid)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let offset = UInt64(text[text.index(after: colon)...]) else {
            return nil
        }
        let file = String(text[..<colon])
        guard !file.isEmpty else { return nil }
        self = .position(file: file.split(separator: "/").last.map(String.init) ?? file, offset: offset)
    }

    public var description: String {
        switch self {
        case .gtid(let gtid): gtid.description
        case .position(let file, let offset): "\(file):\(offset)"
        }
    }
}
