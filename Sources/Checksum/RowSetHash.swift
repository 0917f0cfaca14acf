/// The order-independent hash of a set of rows (a chunk, a table): the sum modulo 2^64 of the rows' hashes, and the
/// row count.
///
/// A sum neither depends on the order of the rows nor cancels duplicates (as XOR would: two equal rows add `2h`),
/// and sums of parts add up to the sum of the whole, so a table's hash is the sum of its chunks' hashes. See
/// `docs/backup.md` ("The row hash") for the exact definition.
package struct RowSetHash: Hashable, Sendable {
    /// The sum of the row hashes, modulo 2^64.
    package private(set) var value: UInt64
    package private(set) var rows: UInt64

    package init(value: UInt64 = 0, rows: UInt64 = 0) {
        self.value = value
        self.rows = rows
    }

    /// The name written next to hashes (`hash_algorithm` in a backup manifest).
    package static let algorithm = "rewind-row-xxh64-sum-v1"

    package mutating func add(rowHash: UInt64) {
        self.value &+= rowHash
        self.rows += 1
    }

    package mutating func add(_ other: RowSetHash) {
        self.value &+= other.value
        self.rows += other.rows
    }

    /// 16 lowercase hex digits.
    package var hex: String {
        let digits = String(self.value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The value of 16 hex digits, `nil` otherwise.
    package static func value(hex: String) -> UInt64? {
        guard hex.count == 16 else { return nil }
        return UInt64(hex, radix: 16)
    }
}
