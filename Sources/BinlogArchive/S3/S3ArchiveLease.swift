import Foundation
import NIOCore
import ObjectStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lease object `P/lease.json`: one archiver per prefix.
///
/// Taken with a conditional write (`If-None-Match: *`), so of two archivers starting together one gets it. The
/// holder rewrites it every ``renewal`` with a new expiry; it deletes it when it stops. A lease left by an archiver
/// that died is taken over once it has expired (``ttl``), or at once when it names a process of this host that is
/// gone (an archiver killed and restarted on the same machine).
struct S3ArchiveLease: Codable, Sendable {
    var holder: String
    var host: String
    var pid: Int32
    /// Unique per run: a holder recognises its own lease by it.
    var token: String
    var startedAt: Date
    var expiresAt: Date

    static let ttl: TimeInterval = 60
    static let renewal: Duration = .seconds(15)

    static func mine(now: Date = Date()) -> S3ArchiveLease {
        let host = ProcessInfo.processInfo.hostName
        let pid = getpid()
        return S3ArchiveLease(
            holder: "rewind binlog archive (pid \(pid) on \(host))",
            host: host,
            pid: pid,
            token: UUID().uuidString,
            startedAt: now,
            expiresAt: now.addingTimeInterval(Self.ttl)
        )
    }

    /// Whether another archiver may take this lease over.
    func isStale(now: Date = Date()) -> Bool {
        if self.expiresAt < now { return true }
        if self.host == ProcessInfo.processInfo.hostName && self.pid != getpid() {
            return kill(self.pid, 0) != 0 && errno == ESRCH
        }
        return false
    }

    /// Takes the lease of the prefix, or throws naming the archiver that holds it.
    static func acquire(_ objects: S3ArchiveObjects) throws -> S3ArchiveLease {
        let key = objects.layout.leaseKey
        for _ in 0..<2 {
            let lease = Self.mine()
            do {
                try objects.putJSON(key, lease, ifNoneMatch: true)
                return lease
            } catch let error as S3Error where error.code == .preconditionFailed {
                guard let held = try objects.getJSON(S3ArchiveLease.self, key) else { continue }  // released meanwhile
                // Ours: the write had succeeded and its answer was lost, then the client's retry found it.
                if held.token == lease.token { return lease }
                guard held.isStale() else {
                    throw ArchiveError(
                        "another archiver holds this prefix: \(held.holder), since \(held.startedAt), lease valid "
                            + "until \(held.expiresAt) (\(objects.url(key))); stop it first or archive to another "
                            + "prefix",
                        path: objects.layout.location.description
                    )
                }
                try objects.delete(key)  // stale: then the conditional write decides between takers
            }
        }
        throw ArchiveError(
            "could not take the lease \(objects.url(key)): another archiver took it at the same moment",
            path: objects.layout.location.description
        )
    }

    /// Rewrites the lease with a new expiry, if it is still this one; `false` when another archiver took it.
    static func renew(_ lease: S3ArchiveLease, client: S3Client, layout: S3ArchiveLayout) async throws -> Bool {
        let bucket = layout.location.bucket
        let current = try await client.getObject(bucket: bucket, key: layout.leaseKey, maxBytes: 64 << 10)
        guard let held = try? S3ArchiveObjects.decode(S3ArchiveLease.self, current, key: layout.leaseKey),
            held.token == lease.token
        else { return false }
        var renewed = lease
        renewed.expiresAt = Date().addingTimeInterval(Self.ttl)
        try await client.putObject(
            bucket: bucket,
            key: layout.leaseKey,
            body: ByteBuffer(bytes: try S3ArchiveObjects.encode(renewed))
        )
        return true
    }
}
