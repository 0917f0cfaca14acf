import BinlogArchive
import Foundation
import NIOCore
import ObjectStorage

/// A binlog archive made by hand for the prune tests, in a directory or under an S3 prefix, laid out as the
/// archiver lays it out (docs/object-storage.md): each file a 4-byte segment (the magic) with its manifest, a
/// finished one also its completion manifest; the index lists them all. Only names and states matter to a prune.
package struct TestArchiveFiles: Sendable {
    package var files: [(name: String, complete: Bool)]
    package var serverID: UInt32 = 1

    package init(_ files: [(name: String, complete: Bool)]) {
        self.files = files
    }

    /// The index (`rewind-archive.json`) as an archiver writes it.
    package var index: Data {
        get throws {
            var index = ArchiveIndex()
            index.serverID = self.serverID
            index.files = self.files.map {
                ArchivedFile(name: $0.name, size: 4, state: $0.complete ? .complete : .open)
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return try encoder.encode(index)
        }
    }

    /// `binlogs/SERVERID/` under the archive's prefix.
    package var serverDirectory: String {
        let digits = String(self.serverID)
        return "binlogs/" + String(repeating: "0", count: 10 - digits.count) + digits + "/"
    }

    /// Writes the files and the index into `directory`.
    package func write(directory: String) throws {
        for file in self.files {
            try Data([0xFE, 0x62, 0x69, 0x6E]).write(to: URL(fileURLWithPath: directory + "/" + file.name))
        }
        try (try self.index).write(to: URL(fileURLWithPath: directory + "/rewind-archive.json"))
    }

    /// Writes the objects and the index under `prefix` (ending in `/`) of `bucket`.
    package func write(bucket: String, prefix: String, client: S3Client) async throws {
        let zero = String(repeating: "0", count: 20)
        for file in self.files {
            let base = prefix + self.serverDirectory + file.name + "/"
            try await client.putObject(
                bucket: bucket, key: base + zero + ".seg", body: ByteBuffer(bytes: [0xFE, 0x62, 0x69, 0x6E]))
            try await client.putObject(bucket: bucket, key: base + zero + ".json", body: ByteBuffer(string: "{}"))
            if file.complete {
                try await client.putObject(bucket: bucket, key: base + "complete.json", body: ByteBuffer(string: "{}"))
            }
        }
        try await client.putObject(
            bucket: bucket, key: prefix + "rewind-archive.json", body: ByteBuffer(bytes: try self.index))
    }
}
