import BinlogFormat
import Foundation
import Recovery

/// The scan for DDL after the selection: the query events from `paths[file]` at `start` (its first event when
/// `nil`) to the end of the last file, walked header by header (bodies passed over are not read).
///
/// One thread runs it from the start (``runFirstHalf()``). A thread that would only wait for it can join
/// (``helpAndWait()``): it guesses where an event starts halfway through what is left
/// (``BinlogFileScanner/probableEventStart(atOrAfter:within:chain:)``) and reads from there to the end, and the
/// first thread stops there, so the two halves are read at once on two cores. The guess counts only when the
/// first thread's walk lands exactly on it; otherwise the first thread reads on to the end and the second
/// half is thrown away. The entries are always those of every event after the selection, in order, as one
/// walk from the start finds them.
final class DDLTailScan: @unchecked Sendable {
    // `lock` guards `progress`, `split`, `abandoned` and `firstDone`. `first` is written by the first thread
    // before it signals `done`, and `second` by the helping thread, which reads both only after waiting on
    // `done`.
    struct Position: Comparable, Sendable {
        var file: Int
        var offset: UInt64
        static func < (a: Self, b: Self) -> Bool { (a.file, a.offset) < (b.file, b.offset) }
    }

    /// What the first thread read: its entries, and whether it stopped where the second half starts.
    struct FirstHalf {
        var entries: [DDLEntry]
        var landed: Bool
    }

    let paths: [String]
    let file: Int
    let start: UInt64?
    let verifyChecksums: Bool
    /// Bytes left below which a second thread does not join.
    let minimumToSplit: UInt64
    /// How often (in bytes read) the first thread says where it is and looks whether a second one joined.
    let syncInterval: UInt64

    private let lock = NSLock()
    private var progress: Position
    private var split: Position?
    private var abandoned = false
    private var firstDone = false
    private var first: Result<FirstHalf, any Error> = .success(FirstHalf(entries: [], landed: false))
    private var second: Result<[DDLEntry], any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(
        paths: [String],
        file: Int,
        from start: UInt64?,
        verifyChecksums: Bool,
        minimumToSplit: UInt64 = 8 << 20,
        syncInterval: UInt64 = 1 << 20
    ) {
        self.paths = paths
        self.syncInterval = syncInterval
        self.file = file
        self.start = start
        self.verifyChecksums = verifyChecksums
        self.minimumToSplit = minimumToSplit
        self.progress = Position(file: file, offset: start ?? 0)
    }

    /// The walk from the start, to the end or to where a second thread started (call it once).
    func runFirstHalf() {
        let result = Result { try self.walkFirst() }
        self.lock.withLock {
            self.first = result
            self.firstDone = true
        }
        self.done.signal()
    }

    /// Joins the scan if enough is left (``help(at:)`` where an event probably starts, halfway), waits for the
    /// first thread, and returns every entry (or the error that ended the scan). Call it once.
    func helpAndWait() throws -> [DDLEntry] {
        if let split = try? self.halfway() { self.help(at: split) }
        self.done.wait()
        let first = try self.first.get()
        guard first.landed, let second = self.second else { return first.entries }
        return first.entries + (try second.get())
    }

    /// Reads from `split` to the end, unless the first thread is done or already there: the first thread stops
    /// at `split` if its walk lands on it. (Tests call it with any position, where an event starts or not.)
    func help(at split: Position) {
        let joined = self.lock.withLock {
            guard !self.firstDone, !self.abandoned, self.split == nil, self.progress < split else { return false }
            self.split = split
            return true
        }
        guard joined else { return }
        self.second = Result {
            try Self.walk(
                paths: self.paths,
                syncInterval: self.syncInterval,
                from: split,
                verifyChecksums: self.verifyChecksums,
                sync: { _ in self.lock.withLock { self.abandoned } ? .max : nil }
            ).entries
        }
    }

    /// Where an event probably starts halfway through what the first thread has left; `nil` when little is
    /// left or nothing there looks like an event.
    func halfway() throws -> Position? {
        let from = self.lock.withLock { self.firstDone || self.split != nil ? nil : self.progress }
        guard let from else { return nil }
        var sizes: [UInt64] = []
        for index in from.file..<self.paths.count {
            var info = stat()
            guard stat(self.paths[index], &info) == 0 else { return nil }
            sizes.append(UInt64(max(info.st_size, 0)))
        }
        let left = sizes.reduce(0, +) - min(from.offset, sizes.first ?? 0)
        guard left >= self.minimumToSplit else { return nil }
        // Halfway through what is left, and at least two sync intervals ahead of the first thread, so that it
        // learns of the split before it gets there.
        var target = from.offset + max(left / 2, 2 * self.syncInterval)
        var index = from.file
        while target >= sizes[index - from.file] {
            guard index + 1 < self.paths.count else { return nil }
            target -= sizes[index - from.file]
            index += 1
        }
        let scanner = try BinlogFileScanner(
            path: self.paths[index],
            verifyChecksums: self.verifyChecksums,
            readAhead: SelectionLocator.headerReadAhead
        )
        guard let offset = try scanner.probableEventStart(atOrAfter: max(target, scanner.firstEventPosition)) else {
            return nil
        }
        return Position(file: index, offset: offset)
    }

    private func walkFirst() throws -> FirstHalf {
        try Self.walk(
            paths: self.paths,
            syncInterval: self.syncInterval,
            from: Position(file: self.file, offset: self.start ?? 0),
            startsAtFirstEvent: self.start == nil,
            verifyChecksums: self.verifyChecksums,
            sync: { position in
                self.lock.withLock {
                    self.progress = position
                    return self.abandoned ? nil : self.split
                }
            },
            overshot: { self.lock.withLock { self.abandoned = true } }
        )
    }

    /// Walks the event headers from `from` to the end of the last file (or to where `sync` says to stop, when
    /// the walk lands there), and returns the DDL of the query events. `sync` is called at the start of each file and every
    /// `syncInterval` bytes with the position reached: it returns where to stop (`nil`: nowhere; `.max`
    /// anywhere: give up, the result no longer counts). `overshot` is called when the walk passes the stop
    /// position without landing on it (it then reads on to the end).
    static func walk(
        paths: [String],
        syncInterval: UInt64,
        from: Position,
        startsAtFirstEvent: Bool = false,
        verifyChecksums: Bool,
        sync: (Position) -> Position?,
        overshot: () -> Void = {}
    ) throws -> FirstHalf {
        var entries: [DDLEntry] = []
        var stop: Position?
        guard from.file < paths.count else { return FirstHalf(entries: entries, landed: false) }
        for index in from.file..<paths.count {
            var scanner = try BinlogFileScanner(
                path: paths[index],
                verifyChecksums: verifyChecksums,
                readAhead: SelectionLocator.headerReadAhead
            )
            if index == from.file, !startsAtFirstEvent { scanner.seek(to: from.offset) }
            var nextSync: UInt64 = 0
            while let (position, header) = try scanner.nextHeader() {
                if position >= nextSync {
                    stop = sync(Position(file: index, offset: position))
                    if stop?.file == .max { return FirstHalf(entries: entries, landed: false) }
                    nextSync = position + syncInterval
                }
                if let split = stop, Position(file: index, offset: position) >= split {
                    if split == Position(file: index, offset: position) {
                        return FirstHalf(entries: entries, landed: true)
                    }
                    overshot()
                    stop = nil
                }
                guard header.type == .query || header.type == .mariadbQueryCompressed,
                    case .query(let query) = try scanner.decode().event,
                    !(query.isBegin || query.isCommit || query.isRollback || query.isXAStart),
                    let statement = DDLStatement.parse(query.query)
                else { continue }
                entries.append(
                    DDLEntry(
                        statement: statement,
                        defaultDatabase: query.databaseName,
                        file: scanner.name,
                        position: position,
                        selected: false
                    )
                )
            }
        }
        return FirstHalf(entries: entries, landed: false)
    }
}

extension DDLTailScan.Position {
    /// "Stop now": the walk is given up.
    static let max = Self(file: .max, offset: .max)
}
