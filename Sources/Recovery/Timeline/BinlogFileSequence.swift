import BinlogArchive
import BinlogFormat
import Foundation

/// The order of binlog files and the checks that none is missing between two of them.
package enum BinlogFileSequence {
    /// `base` and number of `mysql-bin.000042`, or `nil` for a name without a numeric suffix.
    package static func split(_ name: String) -> (base: Substring, number: Int, width: Int)? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let suffix = name[name.index(after: dot)...]
        guard !suffix.isEmpty, suffix.count <= 18, suffix.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(suffix)
        else { return nil }
        return (name[..<dot], number, suffix.count)
    }

    /// The name after `name` in the server's numbering.
    static func successor(of name: String) -> String? {
        guard let (base, number, width) = self.split(name) else { return nil }
        let digits = String(number + 1)
        return String(base) + "." + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Checks that `next` follows `previous`: the file `previous` rotated to, or the next number when it ended
    /// without a ROTATE (a server stop or crash).
    ///
    /// - Throws: ``RecoveryError`` naming both files and the missing one.
    package static func checkContinuity(previous: String, rotatedTo: String?, next: String) throws {
        let expected = rotatedTo ?? self.successor(of: previous)
        guard let expected, expected != next else { return }
        let how = rotatedTo != nil ? "\(previous) rotates to \(expected)" : "\(expected) comes after \(previous)"
        throw RecoveryError(
            reason: "a gap between \(previous) and \(next): \(how), which is not given; "
                + "give every file of the sequence in order (or read the parts separately)",
            path: next
        )
    }

    /// The binlog files of a directory, in order: an archive's index, else the numbered files.
    ///
    /// - Throws: ``RecoveryError`` for an unreadable index, an archive with a gap, a directory without binlogs.
    static func files(inDirectory directory: String) throws -> [String] {
        try self.directory(directory).paths
    }

    /// The binlog files of a directory, in order, and the archive's last file when its index says the server may
    /// still be writing it (an archiver may be appending to it right now).
    package static func directory(_ directory: String) throws -> (paths: [String], openFile: String?) {
        let files = try self.archiveFiles(directory)
        return (files.map(\.path), files.last.flatMap { $0.isOpen ? $0.name : nil })
    }

    /// A binlog file of a directory: its path, and for an archive the bytes its index records.
    package struct DirectoryFile: Sendable {
        package var name: String
        package var path: String
        /// The archived size (``ArchivedFile/size``): the bytes the archive vouches for; `nil` without an index.
        package var archivedSize: UInt64?
        /// Whether the index says the server may still be writing the file (``ArchivedFile/State/open``).
        package var isOpen: Bool
    }

    /// The binlog files of a directory, in order: an archive's files in its index's order (across rotations), else
    /// the numbered binlog files.
    ///
    /// - Throws: ``RecoveryError`` for an unreadable index, an archive with a gap, a directory without binlogs.
    package static func archiveFiles(_ directory: String) throws -> [DirectoryFile] {
        let indexPath = directory + "/" + ArchiveIndex.fileName
        if let data = FileManager.default.contents(atPath: indexPath) {
            let index: ArchiveIndex
            do {
                index = try ArchiveIndex.decode(data)
            } catch {
                throw RecoveryError(reason: "the archive index is not readable (\(error))", path: indexPath)
            }
            if let gap = index.gaps.first {
                throw RecoveryError(
                    reason: "the archive has a \(gap); a read across it would be wrong: read the files on "
                        + "either side separately",
                    path: directory
                )
            }
            guard !index.files.isEmpty else {
                throw RecoveryError(reason: "the archive index lists no files yet", path: indexPath)
            }
            return index.files.map {
                DirectoryFile(
                    name: $0.name, path: directory + "/" + $0.name, archivedSize: $0.size, isOpen: $0.state == .open)
            }
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RecoveryError(reason: "cannot list the directory (\(error.localizedDescription))", path: directory)
        }
        let numbered = names.compactMap { name in self.split(name).map { (name, $0.base, $0.number) } }
            .filter { self.startsWithMagic(directory + "/" + $0.0) }
        let bases = Set(numbered.map(\.1))
        guard let base = bases.first else {
            throw RecoveryError(
                reason: "no binlog files here (names like mysql-bin.000001) and no \(ArchiveIndex.fileName)",
                path: directory
            )
        }
        guard bases.count == 1 else {
            throw RecoveryError(
                reason: "binlogs of several servers here (\(bases.sorted().joined(separator: ", "))); give the files",
                path: directory
            )
        }
        return numbered.filter { $0.1 == base }.sorted { $0.2 < $1.2 }.map {
            DirectoryFile(name: $0.0, path: directory + "/" + $0.0, archivedSize: nil, isOpen: false)
        }
    }

    /// Whether the file starts with the binlog magic `\xFEbin`.
    static func startsWithMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return head == Data([0xFE, 0x62, 0x69, 0x6E])
    }
}
