import BinlogFormat
import Recovery

/// Finds where `--only` transactions start, so that the planner reads them and not the whole binlogs: a
/// `FILE:POS` is checked to be a GTID event (else the file is read from its start and the selection finds the
/// transaction), a GTID is looked for by a scan that decodes nothing but GTID events.
struct SelectionLocator {
    /// Where to read: `file` from `start` (its first event when `nil`) until the `targets` have been read.
    struct Segment: Equatable {
        var file: Int
        var start: UInt64?
        var targets: [TransactionID]
    }

    let paths: [String]
    let verifyChecksums: Bool

    /// The segments that hold `ids`, in file order.
    ///
    /// - Throws: ``FlashbackError/Code/selection`` for a transaction that is not in the files;
    ///   ``BinlogDecodingError`` and ``RecoveryError`` from the scan.
    func segments(for ids: [TransactionID]) throws -> [Segment] {
        let names = self.paths.map(FlashbackPlanner.baseName)
        var segments: [Segment] = []
        var wanted: [GTID: TransactionID] = [:]
        for id in ids {
            switch id {
            case .gtid(let gtid):
                wanted[gtid] = id
            case .position(let file, let offset):
                guard let index = names.firstIndex(of: file) else { throw FlashbackError.notFound(id) }
                if self.startsTransaction(file: index, at: offset) {
                    segments.append(Segment(file: index, start: offset, targets: [id]))
                } else if let whole = segments.firstIndex(where: { $0.file == index && $0.start == nil }) {
                    segments[whole].targets.append(id)
                } else {
                    segments.append(Segment(file: index, start: nil, targets: [id]))
                }
            }
        }
        if !wanted.isEmpty {
            for (gtid, file, position) in try self.find(Set(wanted.keys)) {
                if let id = wanted.removeValue(forKey: gtid) {
                    segments.append(Segment(file: file, start: position, targets: [id]))
                }
            }
            if let missing = ids.first(where: { if case .gtid(let gtid) = $0 { wanted[gtid] != nil } else { false } }) {
                throw FlashbackError.notFound(missing)
            }
        }
        return segments.sorted { ($0.file, $0.start ?? 0) < ($1.file, $1.start ?? 0) }
    }

    /// Whether a GTID event, and so a transaction, starts at `offset` of file `file` (its checksum and its
    /// `log_pos` must agree: a position in the middle of an event does not pass).
    func startsTransaction(file: Int, at offset: UInt64) -> Bool {
        guard
            var scanner = try? BinlogFileScanner(
                path: self.paths[file],
                verifyChecksums: self.verifyChecksums,
                readAhead: Self.headerReadAhead
            ),
            offset >= scanner.firstEventPosition
        else { return false }
        scanner.seek(to: offset)
        guard (try? scanner.nextHeader()) != nil, let record = try? scanner.decode(),
            record.header.nextPosition == 0
                || UInt64(record.header.nextPosition) == offset + UInt64(record.header.eventSize)
        else { return false }
        switch record.event {
        case .gtid, .mariadbGTID: return true
        default: return false
        }
    }

    /// The first position of each GTID of `gtids` in the files, by a scan that reads event headers and decodes
    /// GTID events only (it stops when every one is found).
    func find(_ gtids: Set<GTID>) throws -> [(GTID, Int, UInt64)] {
        var left = gtids
        var found: [(GTID, Int, UInt64)] = []
        // Only a GTID event with a wanted sequence number is decoded (and its checksum checked): the number sits
        // at the start of a MariaDB GTID body and after the flags and UUID (17 bytes) of a MySQL one.
        let sequences = Set(
            gtids.map { gtid -> UInt64 in
                switch gtid {
                case .mysql(_, _, let sequence), .mariadb(_, _, let sequence): sequence
                }
            }
        )
        for index in self.paths.indices {
            var scanner = try BinlogFileScanner(
                path: self.paths[index],
                verifyChecksums: self.verifyChecksums,
                readAhead: Self.headerReadAhead
            )
            while let (position, header) = try scanner.nextHeader() {
                guard Self.isGTIDEvent(header.type) else { continue }
                let sequenceOffset = header.type == .mariadbGTID ? 0 : header.type == .gtidTagged ? nil : 17
                if let sequenceOffset, let sequence = try scanner.peekBodyInteger(at: sequenceOffset),
                    !sequences.contains(sequence)
                {
                    continue
                }
                let gtid: GTID?
                switch try scanner.decode().event {
                case .gtid(let event): gtid = event.gtid
                case .mariadbGTID(let event): gtid = event.gtid
                default: gtid = nil
                }
                guard let gtid, left.remove(gtid) != nil else { continue }
                found.append((gtid, index, position))
                if left.isEmpty { return found }
            }
        }
        return found
    }

    /// What a scan that looks at headers only reads at once (a few events: most bodies are never copied).
    static let headerReadAhead = 8192

    static func isGTIDEvent(_ type: BinlogEventType) -> Bool {
        type == .gtid || type == .anonymousGTID || type == .gtidTagged || type == .mariadbGTID
    }
}
