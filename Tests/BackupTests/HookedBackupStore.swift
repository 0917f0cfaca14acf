import BackupStorage
import Foundation

/// A store that runs a hook once, right before the next write of a chosen file, then writes it: a test's way to
/// make something happen between a writer's last check and its write (no sleeps).
struct HookedBackupStore: BackupStore {
    let base: any BackupStore
    let path: String
    private let hook = Hook()

    init(_ base: any BackupStore, beforeWriting path: String) {
        self.base = base
        self.path = path
    }

    /// Runs `action` once, before the next write of ``path``.
    func arm(_ action: @escaping @Sendable () async throws -> Void) { self.hook.set(action) }

    var location: String { self.base.location }
    func location(of path: String) -> String { self.base.location(of: path) }
    func descending(into name: String) -> any BackupStore { self.base.descending(into: name) }
    func prepareForWriting() async throws -> [String] { try await self.base.prepareForWriting() }
    func childNames() async throws -> [String] { try await self.base.childNames() }
    func files() async throws -> [String: UInt64] { try await self.base.files() }
    func read(_ path: String) async throws -> [UInt8]? { try await self.base.read(path) }

    func write(_ bytes: [UInt8], to path: String, replacing: Bool) async throws {
        if path == self.path, let action = self.hook.take() { try await action() }
        try await self.base.write(bytes, to: path, replacing: replacing)
    }

    func makeWriter(_ path: String) async throws -> any BackupObjectWriter { try await self.base.makeWriter(path) }
    func makeReader(_ path: String) async throws -> any BackupObjectReader { try await self.base.makeReader(path) }
    func syncDirectories(of paths: [String]) async throws { try await self.base.syncDirectories(of: paths) }
    func removeTree(_ name: String, first: [String]) async throws {
        try await self.base.removeTree(name, first: first)
    }

    private final class Hook: @unchecked Sendable {
        // Invariant: `action` is only read or written with `lock` held.
        private let lock = NSLock()
        private var action: (@Sendable () async throws -> Void)?
        func set(_ action: @escaping @Sendable () async throws -> Void) { self.lock.withLock { self.action = action } }
        func take() -> (@Sendable () async throws -> Void)? {
            self.lock.withLock {
                defer { self.action = nil }
                return self.action
            }
        }
    }
}
