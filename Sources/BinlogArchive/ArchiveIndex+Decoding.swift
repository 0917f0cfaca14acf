import Foundation

extension ArchiveIndex {
    /// Decodes an index as the archiver writes it (ISO 8601 times).
    public static func decode(_ data: Data) throws -> ArchiveIndex {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ArchiveIndex.self, from: data)
    }

    /// The files with a numbered binlog name, in the server's order.
    public var numberedFiles: [ArchivedFile] {
        self.files.filter { BinlogFileName($0.name) != nil }.sorted {
            BinlogFileName($0.name)! < BinlogFileName($1.name)!
        }
    }
}
