import Foundation

/// A value behind an `NSLock` (the deployment target predates `Mutex` on Apple platforms).
final class NSLockedState: @unchecked Sendable {
    // Sendable: `value` is only read or written inside `lock`.
    private let lock = NSLock()
    private var value: ArchiverHealth.State

    init(_ value: ArchiverHealth.State) { self.value = value }

    func withLock<T>(_ body: (inout ArchiverHealth.State) -> T) -> T {
        self.lock.lock()
        defer { self.lock.unlock() }
        return body(&self.value)
    }
}
