import BinlogFormat
import NIOCore

@testable import BinlogArchive

/// An archive store in memory: what a store other than a directory must do for the archiver, with nothing on disk.
/// Its files outlive the archivers that open it, as a directory's do.
final class MemoryArchiveStore: ArchiveStore {
    final class File: ArchiveFileWriting {
        let name: String
        var bytes: [UInt8] = ArchiveFileWriter.magic
        private(set) var durableSize: UInt64 = 0
        init(name: String) { self.name = name }

        var location: String { "memory:/" + self.name }
        var size: UInt64 { UInt64(self.bytes.count) }
        func append(_ bytes: ByteBuffer) throws { self.bytes += bytes.readableBytesView }
        func flush() throws {}
        func sync() throws { self.durableSize = self.size }
        func complete() throws {
            self.bytes[4 + 17] &= ~UInt8(BinlogEventHeader.flagBinlogInUse)
            try self.sync()
        }
        func holds(_ bytes: ByteBuffer, at offset: UInt64) throws -> Bool {
            let start = Int(offset)
            guard start + bytes.readableBytes <= self.bytes.count else { return false }
            return self.bytes[start..<(start + bytes.readableBytes)].elementsEqual(bytes.readableBytesView)
        }
        func cut(to size: UInt64) throws {
            self.bytes.removeLast(max(0, self.bytes.count - Int(size)))
            self.durableSize = min(self.durableSize, size)
        }
    }

    private(set) var files: [String: File] = [:]
    private(set) var index: ArchiveIndex?
    private(set) var saves = 0
    /// How often the archiver makes the open file durable (an S3 store's upload interval).
    var syncInterval: Duration = .seconds(2)

    var location: String { "memory:" }
    var warnings: [String] { [] }
    func loadIndex() throws -> ArchiveIndex { self.index ?? ArchiveIndex() }
    func save(_ index: ArchiveIndex) throws {
        self.index = index
        self.saves += 1
    }
    func binlogFileNames() throws -> [String] {
        self.files.keys.compactMap(BinlogFileName.init).sorted().map(\.name)
    }
    func location(of name: String) -> String { "memory:/" + name }
    func createFile(named name: String) throws -> any ArchiveFileWriting {
        if let existing = self.files[name], existing.size > 4 {
            throw ArchiveError("exists", path: self.location(of: name))
        }
        let file = File(name: name)
        self.files[name] = file
        return file
    }
    func resumeFile(
        named name: String,
        from start: UInt64,
        verifyChecksums: Bool,
        _ onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> ArchiveResume {
        guard let file = self.files[name] else { throw ArchiveError("missing", path: self.location(of: name)) }
        let size = file.size
        let outcome = try ArchivedEventScanner.scan(
            size: size,
            location: file.location,
            from: start,
            verifyChecksums: verifyChecksums,
            read: { buffer, offset in
                let available = max(0, file.bytes.count - Int(offset))
                let count = min(buffer.count, available)
                file.bytes.withUnsafeBytes {
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Int(offset)..<(Int(offset) + count)]))
                }
                return count
            },
            onEvent: onEvent
        )
        var result = ArchiveResume(writer: file, endedWith: outcome.endedWith, inspector: outcome.inspector)
        if outcome.goodEnd < size {
            if outcome.goodEnd < 4 { file.bytes = ArchiveFileWriter.magic } else { try file.cut(to: outcome.goodEnd) }
            result.truncated = (size, file.size)
            result.truncationReason = outcome.damage
        }
        return result
    }
    func removeIfCreatedAndEmpty() {}

    /// Writes `bytes` over file `name` at `offset` (damage).
    func overwrite(_ name: String, at offset: Int, with bytes: [UInt8]) {
        self.files[name]?.bytes.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
    }
}
