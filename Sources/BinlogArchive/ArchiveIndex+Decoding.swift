import Foundation

extension ArchiveIndex {
    /// Decodes an index as the archiver writes it (ISO 8601 times).
    ///
    /// - Throws: ``JSONProblem`` saying what is wrong (not valid JSON, a key missing) in words.
    public static func decode(_ data: Data) throws -> ArchiveIndex {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(ArchiveIndex.self, from: data)
        } catch {
            throw JSONProblem(error)
        }
    }

    /// The files with a numbered binlog name, in the server's order.
    public var numberedFiles: [ArchivedFile] {
        self.files.filter { BinlogFileName($0.name) != nil }.sorted {
            BinlogFileName($0.name)! < BinlogFileName($1.name)!
        }
    }
}
