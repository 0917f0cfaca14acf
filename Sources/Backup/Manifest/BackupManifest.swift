import BackupStorage
import BinlogArchive
import Foundation

/// `manifest.json` of a backup: what the snapshot holds, where it sits in the binlog, and how to load it.
/// Every key is documented in `docs/backup.md`.
public struct BackupManifest: Codable, Hashable, Sendable {
    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    /// `incomplete` until every file is written and fsynced; a killed or failed backup stays `incomplete`.
    public enum State: String, Codable, Hashable, Sendable {
        case incomplete, complete
    }

    public var format: Int = Self.currentFormat
    public var id: String
    public var state: State
    /// Why an incomplete backup stopped, when it knows.
    public var error: String?
    public var server: BackupServer
    /// The binlog coordinates of the snapshot: replaying from here gives every later change.
    public var binlog: BinlogCoordinates?
    /// The GTID state at the snapshot (MariaDB `gtid_binlog_pos` form, MySQL `gtid_executed` form).
    public var gtidSet: String?
    public var startedAt: Date
    /// When the snapshot was taken (the earliest point a restore from this backup reaches).
    public var snapshotAt: Date?
    public var finishedAt: Date?
    /// How long writes (commits) were blocked: 0 on MariaDB, the FLUSH TABLES WITH READ LOCK time on MySQL.
    public var lockHeldMS: Int
    /// How long DDL was blocked (MariaDB `BACKUP STAGE BLOCK_DDL`, MySQL `LOCK INSTANCE FOR BACKUP`).
    public var ddlLockHeldMS: Int
    /// How the snapshot was made consistent, e.g. `backup-stage-block-ddl+consistent-snapshot`.
    public var consistency: String
    /// Rounds of opening the workers' snapshots until their binlog coordinates agreed.
    public var snapshotAttempts: Int
    public var threads: Int
    public var rewindVersion: String
    public var hashAlgorithm: String
    /// The files, relative to the backup directory, in the order plain `mysql` must load them.
    public var loadOrder: [String]
    public var databases: [BackupDatabase]
    public var tables: [BackupTable]
    /// Users, roles and their grants (`--with-grants`); `nil` without.
    public var grants: BackupGrants?
    /// The process that wrote the backup and its last heartbeat; `nil` in manifests of older rewinds.
    public var writer: BackupWriter?
    /// SHA-256 (hex) of every file but the chunks (session, schema, views, routines, triggers, events, grants), by
    /// path: `verify` and `load` check them (chunks carry their own hashes). `nil` in manifests of older rewinds.
    public var fileDigests: [String: String]?

    enum CodingKeys: String, CodingKey {
        case format, id, state, error, server, binlog, gtidSet, startedAt, snapshotAt, finishedAt
        // Spelled so that the snake-case strategies give `lock_held_ms` both ways.
        case lockHeldMS = "lockHeldMs"
        case ddlLockHeldMS = "ddlLockHeldMs"
        case consistency, snapshotAttempts, threads, rewindVersion, hashAlgorithm, loadOrder, databases, tables, grants
        case writer, fileDigests
    }

    public init(
        id: String,
        server: BackupServer,
        startedAt: Date,
        threads: Int,
        rewindVersion: String,
        hashAlgorithm: String
    ) {
        self.id = id
        self.state = .incomplete
        self.server = server
        self.startedAt = startedAt
        self.lockHeldMS = 0
        self.ddlLockHeldMS = 0
        self.consistency = ""
        self.snapshotAttempts = 0
        self.threads = threads
        self.rewindVersion = rewindVersion
        self.hashAlgorithm = hashAlgorithm
        self.loadOrder = []
        self.databases = []
        self.tables = []
    }

    /// Rows over all tables.
    public var totalRows: UInt64 { self.tables.reduce(0) { $0 + $1.rows } }
    /// Compressed bytes of the data files.
    public var totalBytes: UInt64 { self.tables.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + $1.bytes } } }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestamp(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Self.parseTimestamp(text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "not a UTC time: \(text)")
                )
            }
            return date
        }
        return decoder
    }()

    /// `2026-11-30T09:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The manifest as JSON text.
    public func encoded() throws -> Data { try Self.encoder.encode(self) }

    /// Reads the manifest of the backup in `store` (`DIR/<id>/manifest.json`, `s3://bucket/prefix/<id>/manifest.json`).
    ///
    /// - Throws: ``BackupError`` naming the file when it is missing or not a manifest, or the store cannot be read.
    public static func read(from store: any BackupStore) async throws -> BackupManifest {
        let data = try await BackupError.mappingStore { try await store.read(Self.fileName) }
        guard let data else {
            throw BackupError(
                .notABackup,
                "no \(Self.fileName) in \(store.location): is it a backup (DIR/<id> or s3://bucket/prefix/<id>)?"
            )
        }
        do {
            return try Self.decoder.decode(BackupManifest.self, from: Data(data))
        } catch {
            throw BackupError(
                .notABackup,
                "\(store.location(of: Self.fileName)) is not a rewind backup manifest: \(JSONProblem(error))")
        }
    }

    /// Reads `DIR/<id>/manifest.json`.
    ///
    /// - Throws: ``BackupError`` naming the file when it is missing or not a manifest.
    public static func read(backupDirectory: String) async throws -> BackupManifest {
        try await self.read(from: DirectoryBackupStore(path: backupDirectory))
    }
}
