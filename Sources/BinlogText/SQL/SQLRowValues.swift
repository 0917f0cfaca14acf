/// The values of one row as text-protocol bytes, in one reused buffer: what ``SQLLiteralParser`` reads out of a
/// `VALUES (…)` tuple and what a hash is computed over.
package struct SQLRowValues: Sendable {
    package private(set) var storage: [UInt8] = []
    /// Per column, the value's range in ``storage``; `nil` for NULL.
    package private(set) var ranges: [Range<Int>?] = []

    package init() {}

    package var count: Int { self.ranges.count }

    package mutating func removeAll() {
        self.storage.removeAll(keepingCapacity: true)
        self.ranges.removeAll(keepingCapacity: true)
    }

    package mutating func appendNull() { self.ranges.append(nil) }

    package mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        let start = self.storage.count
        self.storage.append(contentsOf: bytes)
        self.ranges.append(start..<self.storage.count)
    }

    /// Starts a value whose bytes follow with ``appendByte(_:)`` and end with ``endValue()``.
    mutating func beginValue() -> Int { self.storage.count }
    mutating func appendByte(_ byte: UInt8) { self.storage.append(byte) }
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) { self.storage.append(contentsOf: bytes) }
    mutating func endValue(start: Int) { self.ranges.append(start..<self.storage.count) }

    /// Calls `body` with each value's bytes (`nil` for NULL).
    package func withValues<R>(_ body: ([UnsafeRawBufferPointer?]) throws -> R) rethrows -> R {
        try self.storage.withUnsafeBytes { all in
            try body(self.ranges.map { range in range.map { UnsafeRawBufferPointer(rebasing: all[$0]) } })
        }
    }
}
