/// A set of GTIDs: MySQL's `uuid[:tag]:1-5:7` intervals (as `gtid_executed` prints them), and MariaDB's
/// per-domain positions (`0-1-100,1-2-7`, as `gtid_binlog_pos`).
///
/// MySQL intervals are half-open internally (`start..<end`) as PREVIOUS_GTIDS stores them, printed closed.
public struct GTIDSet: Hashable, Sendable, CustomStringConvertible {
    /// The key of a MySQL interval list: server UUID and optional tag (MySQL 8.3+).
    public struct SourceKey: Hashable, Sendable, Comparable {
        public var uuid: UUID16
        public var tag: String?
        public init(uuid: UUID16, tag: String?) {
            self.uuid = uuid
            self.tag = tag
        }
        public static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.uuid != rhs.uuid { return lhs.uuid < rhs.uuid }
            return (lhs.tag ?? "") < (rhs.tag ?? "")
        }
    }

    /// MySQL: sorted, non-overlapping, half-open intervals per source.
    public private(set) var intervals: [SourceKey: [Range<UInt64>]] = [:]
    /// MariaDB: the GTID with the highest sequence seen per (domain, server).
    public private(set) var mariadbPositions: [UInt32: [UInt32: UInt64]] = [:]

    public init() {}

    /// Parses `uuid:1-5:7,uuid2:tag:1-3` or `0-1-100,1-2-7`. Returns `nil` on bad syntax.
    public init?(_ text: String) {
        self.init()
        let trimmed = text.filter { !$0.isWhitespace }
        if trimmed.isEmpty { return }
        for item in trimmed.split(separator: ",") {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 2, let uuid = UUID16(parts[0]) {
                var tag: String?
                for part in parts.dropFirst() {
                    if let first = part.first, first.isNumber {
                        let bounds = part.split(separator: "-")
                        guard let low = bounds.first.flatMap({ UInt64($0) }), low > 0 else { return nil }
                        let high = bounds.count == 2 ? UInt64(bounds[1]) : low
                        guard let high, high >= low, bounds.count <= 2 else { return nil }
                        self.insert(SourceKey(uuid: uuid, tag: tag), low..<(high + 1))
                    } else {
                        guard !part.isEmpty, part.count <= 32 else { return nil }
                        tag = part.lowercased()
                    }
                }
            } else if let gtid = GTID(String(item)), case .mariadb(let d, let s, let n) = gtid {
                self.insertMariaDB(domain: d, server: s, sequence: n)
            } else {
                return nil
            }
        }
    }

    public var isEmpty: Bool { self.intervals.isEmpty && self.mariadbPositions.isEmpty }

    /// Adds a half-open interval for a MySQL source, merging neighbours.
    public mutating func insert(_ key: SourceKey, _ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        var list = self.intervals[key] ?? []
        list.append(range)
        list.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<UInt64>] = []
        for item in list {
            if let last = merged.last, item.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, item.upperBound)
            } else {
                merged.append(item)
            }
        }
        self.intervals[key] = merged
    }

    /// Adds one GTID.
    public mutating func insert(_ gtid: GTID) {
        switch gtid {
        case .mysql(let uuid, let tag, let sequence):
            guard sequence < UInt64.max else { return }
            self.insert(SourceKey(uuid: uuid, tag: tag), sequence..<(sequence + 1))
        case .mariadb(let domain, let server, let sequence):
            self.insertMariaDB(domain: domain, server: server, sequence: sequence)
        }
    }

    mutating func insertMariaDB(domain: UInt32, server: UInt32, sequence: UInt64) {
        let current = self.mariadbPositions[domain]?[server] ?? 0
        if sequence >= current { self.mariadbPositions[domain, default: [:]][server] = sequence }
    }

    /// Whether the set holds `gtid`. For MariaDB a GTID is contained when its domain has reached its
    /// sequence number (MariaDB sequence numbers grow per domain).
    public func contains(_ gtid: GTID) -> Bool {
        switch gtid {
        case .mysql(let uuid, let tag, let sequence):
            guard let list = self.intervals[SourceKey(uuid: uuid, tag: tag)] else { return false }
            return list.contains { $0.contains(sequence) }
        case .mariadb(let domain, _, let sequence):
            guard let servers = self.mariadbPositions[domain] else { return false }
            return servers.values.contains { $0 >= sequence }
        }
    }

    public var description: String {
        var items: [String] = []
        for key in self.intervals.keys.sorted() {
            var text = key.uuid.description
            if let tag = key.tag { text += ":\(tag)" }
            for range in self.intervals[key] ?? [] {
                let last = range.upperBound - 1
                text += range.lowerBound == last ? ":\(last)" : ":\(range.lowerBound)-\(last)"
            }
            items.append(text)
        }
        for domain in self.mariadbPositions.keys.sorted() {
            for (server, sequence) in (self.mariadbPositions[domain] ?? [:]).sorted(by: { $0.key < $1.key }) {
                items.append("\(domain)-\(server)-\(sequence)")
            }
        }
        return items.joined(separator: ",")
    }
}
