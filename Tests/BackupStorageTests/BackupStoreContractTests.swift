import BackupStorage
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

/// The contract both stores keep (``BackupStore``), run against a directory and against the S3 sandbox: files
/// stream in and out whole, write-once files are never replaced, listings see every backup, removal is complete.
@Suite struct BackupStoreContractTests {
    /// `count` bytes that do not repeat (so a misplaced piece shows), made 8 at a time: the tests run in debug builds
    /// beside other suites, and a byte-at-a-time loop over megabytes would hold a thread of the pool for seconds.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var words = [UInt64](repeating: 0, count: (count + 7) / 8)
        for index in words.indices { words[index] = random.next() }
        return words.withUnsafeBytes { Array($0.prefix(count)) }
    }

    /// Whether `haystack` holds `needle` (Foundation's search: fast in a debug build too).
    static func contains(_ haystack: [UInt8], _ needle: some Collection<UInt8>) -> Bool {
        Data(haystack).range(of: Data(needle)) != nil
    }

    static func readAll(_ reader: any BackupObjectReader) async throws -> (bytes: [UInt8], largestPiece: Int) {
        var bytes: [UInt8] = []
        var largest = 0
        while let piece = try await reader.read() {
            largest = max(largest, piece.readableBytes)
            bytes += Array(buffer: piece)
        }
        return (bytes, largest)
    }

    @Test(arguments: TestBackupStore.available)
    func aStreamedFileReadsBackWholeInBoundedPieces(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("store-stream") { catalog, _ in
            let backup = catalog.descending(into: "20300101T000000Z")
            // 19 MiB: four parts of a multipart upload in S3 (5 + 5 + 5 + 4 MiB).
            let content = Self.bytes(19 << 20, seed: 1)
            let writer = try await backup.makeWriter("data/db/t.00001.sql.zst")
            var offset = 0
            for size in [1, 100_000, 7 << 20, 5 << 20].cycled(until: content.count) {
                let end = min(content.count, offset + size)
                try await writer.write(ByteBuffer(bytes: content[offset..<end]))
                offset = end
                if offset == content.count { break }
            }
            #expect(try await writer.finish() == UInt64(content.count))
            #expect(try await backup.files() == ["data/db/t.00001.sql.zst": UInt64(content.count)])
            let (read, largest) = try await Self.readAll(try await backup.makeReader("data/db/t.00001.sql.zst"))
            #expect(Data(read) == Data(content))
            #expect(largest <= 4 << 20, "pieces are bounded: \(largest)")
            // An empty file too.
            let empty = try await backup.makeWriter("data/db/e.00001.sql.zst")
            #expect(try await empty.finish() == 0)
            #expect(try await Self.readAll(try await backup.makeReader("data/db/e.00001.sql.zst")).bytes.isEmpty)
        }
    }

    @Test(arguments: TestBackupStore.available)
    func smallFilesAreWrittenOnceUnlessReplaced(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("store-small") { catalog, _ in
            let backup = catalog.descending(into: "20300101T000000Z")
            #expect(try await backup.read("manifest.json") == nil)
            try await backup.write("one", to: "manifest.json", replacing: false)
            try await backup.write("two", to: "manifest.json", replacing: true)
            #expect(try await backup.read("manifest.json") == Array("two".utf8))
            try await backup.write("schema", to: "schema/db/t.table.sql", replacing: false)
            #expect(try await backup.read("schema/db/t.table.sql") == Array("schema".utf8))
            if kind == .s3 {
                // Write-once: S3 refuses the second write (a directory relies on the backup id being new).
                let error = await #expect(throws: BackupStoreError.self) {
                    try await backup.write("again", to: "schema/db/t.table.sql", replacing: false)
                }
                #expect(error?.code == .exists)
                #expect(error?.message.contains("schema/db/t.table.sql") == true)
                let chunk = try await backup.makeWriter("schema/db/t.table.sql")
                try await chunk.write(ByteBuffer(string: "again"))
                await #expect(throws: BackupStoreError.self) { try await chunk.finish() }
                #expect(try await backup.read("schema/db/t.table.sql") == Array("schema".utf8))
            }
            let missing = await #expect(throws: BackupStoreError.self) {
                try await backup.makeReader("data/none.sql.zst")
            }
            #expect(missing?.message.contains("data/none.sql.zst") == true)
        }
    }

    @Test(arguments: TestBackupStore.available)
    func listingsAndRemovalCoverUnfinishedUploads(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("store-list") { catalog, _ in
            try await catalog.write("m", to: "20300101T000000Z/manifest.json", replacing: false)
            try await catalog.write("c", to: "20300101T000000Z/data/db/t.00001.sql.zst", replacing: false)
            try await catalog.write("m", to: "20300102T000000Z/manifest.json", replacing: false)
            // A writer that filled a part and was never finished: in S3 an unfinished multipart upload, the only
            // trace of its backup.
            let abandoned = try await catalog.makeWriter("20300103T000000Z/data/db/t.00001.sql.zst")
            try await abandoned.write(ByteBuffer(bytes: Self.bytes(9 << 20, seed: 2)))
            #expect(
                try await catalog.childNames().sorted() == ["20300101T000000Z", "20300102T000000Z", "20300103T000000Z"]
            )
            #expect(try await catalog.files()["20300101T000000Z/data/db/t.00001.sql.zst"] == 1)
            for name in ["20300101T000000Z", "20300103T000000Z"] {
                try await catalog.removeTree(name, first: ["manifest.json"])
            }
            #expect(try await catalog.childNames() == ["20300102T000000Z"])
            #expect(try await catalog.files().keys.sorted() == ["20300102T000000Z/manifest.json"])
            if kind == .s3 {
                let s3 = try S3Sandbox.fromEnvironment()
                let uploads = try await s3.withClient { client in
                    try await client.listMultipartUploads(bucket: s3.bucket, prefix: "")
                }
                #expect(!uploads.contains { $0.key.contains("20300103T000000Z") }, "\(uploads)")
            }
        }
    }

    @Test func s3PartsGrowSoAnObjectFitsInTenThousand() {
        #expect(S3PartSizes.bytes(number: 1) == 5 << 20)
        #expect(S3PartSizes.bytes(number: 1000) == 5 << 20)
        #expect(S3PartSizes.bytes(number: 1001) == 10 << 20)
        #expect(S3PartSizes.bytes(number: 3001) == 40 << 20)
        #expect(S3PartSizes.bytes(number: 4001) == 64 << 20)
        #expect(S3PartSizes.bytes(number: 10_000) == 64 << 20)
        let total = (1...10_000).reduce(0) { $0 + S3PartSizes.bytes(number: $1) }
        #expect(total > 440 << 30)
    }
}

extension Array where Element == Int {
    /// The sizes repeated until they add up to at least `total`.
    func cycled(until total: Int) -> [Int] {
        var result: [Int] = []
        var sum = 0
        while sum < total {
            for size in self {
                result.append(size)
                sum += size
            }
        }
        return result
    }
}

/// An S3 store with a key encrypts every object (AES-256-GCM, ``ObjectCodec``): nothing of a file is stored in plain,
/// reading needs the key (and the right one), and a chunk cannot be moved to another name.
@Suite(.enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"))
struct EncryptedS3BackupStoreTests {
    static func key(_ seed: UInt64) throws -> ObjectKey {
        try ObjectKey(bytes: BackupStoreContractTests.bytes(32, seed: seed))
    }

    @Test func everyObjectIsEncryptedAndNeedsItsKey() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let prefix = "it-encrypted-\(UUID().uuidString.lowercased().prefix(8))"
        try await s3.withClient { client in
            let root = S3Location(bucket: s3.bucket, prefix: prefix + "/20300101T000000Z")
            let codec = ObjectCodec(compression: .none, key: try Self.key(1))
            let backup = S3BackupStore(client: client, root: root, codec: codec)
            let content = BackupStoreContractTests.bytes(12 << 20, seed: 3)
            let writer = try await backup.makeWriter("data/db/t.00001.sql.zst")
            for start in stride(from: 0, to: content.count, by: 3 << 20) {
                try await writer.write(ByteBuffer(bytes: content[start..<min(content.count, start + (3 << 20))]))
            }
            #expect(try await writer.finish() == UInt64(content.count), "the plain size")
            try await backup.write("{\"state\": \"complete\"}", to: "manifest.json", replacing: false)

            // Stored: the codec's header, never the plain bytes.
            for key in ["data/db/t.00001.sql.zst", "manifest.json"] {
                let stored = try await client.getObject(bucket: s3.bucket, key: root.key(key))
                #expect(ObjectCodec.looksEncoded(stored), "\(key) is stored in plain")
                #expect(!BackupStoreContractTests.contains(Array(buffer: stored), Array("complete".utf8)))
            }
            let stored = Array(
                buffer: try await client.getObject(bucket: s3.bucket, key: root.key("data/db/t.00001.sql.zst"))
            )
            #expect(
                !BackupStoreContractTests.contains(stored, content[1000..<1064]),
                "a run of the plain bytes is stored"
            )

            // With the key: the same bytes, streamed in bounded pieces.
            let (read, largest) = try await BackupStoreContractTests.readAll(
                try await backup.makeReader("data/db/t.00001.sql.zst")
            )
            #expect(Data(read) == Data(content))
            #expect(largest <= 5 << 20, "\(largest)")
            #expect(try await backup.read("manifest.json") == Array("{\"state\": \"complete\"}".utf8))

            // Without a key, with another key, and under another name: refused, naming the object.
            let withoutKey = S3BackupStore(client: client, root: root)
            let missing = await #expect(throws: BackupStoreError.self) { try await withoutKey.read("manifest.json") }
            #expect(missing?.code == .encoding)
            #expect(missing?.message.contains("--encryption-key-file") == true, "\(missing?.message ?? "")")
            #expect(missing?.message.contains("manifest.json") == true)
            let otherKey = S3BackupStore(
                client: client,
                root: root,
                codec: ObjectCodec(compression: .none, key: try Self.key(2))
            )
            let wrong = await #expect(throws: BackupStoreError.self) {
                _ = try await BackupStoreContractTests.readAll(try await otherKey.makeReader("data/db/t.00001.sql.zst"))
            }
            #expect(wrong?.code == .encoding)
            try await client.putObject(
                bucket: s3.bucket,
                key: root.key("data/db/moved.00001.sql.zst"),
                body: ByteBuffer(bytes: stored)
            )
            await #expect(throws: BackupStoreError.self) {
                _ = try await BackupStoreContractTests.readAll(
                    try await backup.makeReader("data/db/moved.00001.sql.zst")
                )
            }
            try await s3.removeEverything(under: prefix + "/", client: client)
        }
    }
}
