/// The values of one row as text-protocol bytes: what ``TextValueLiteralParser`` reads out of a `VALUES (…)` tuple and
/// what a hash is computed over.
///
/// A value whose literal holds its bytes as they are (a number, a string without escapes) stays where it is in the
/// statement; only values that had to be decoded (escapes, hex, bits) are copied, into one reused buffer.
package struct SQLRowValues {
    /// Where a value's bytes are.
    private enum Place {
        case null
        /// A range of the statement being parsed.
        case statement(Range<Int>)
        /// A range of ``storage``.
        case storage(Range<Int>)
    }

    private var storage: [UInt8] = []
    private var places: [Place] = []
    /// The statement the values were read from; set while its rows are handed on (not kept beyond that).
    private var statement = UnsafeRawBufferPointer(start: nil, count: 0)

    package init() {}

    package var count: Int { self.places.count }

    /// Starts the row of `statement` (whose bytes must stay valid until the row is done with).
    mutating func begin(in statement: UnsafeRawBufferPointer) {
        self.storage.removeAll(keepingCapacity: true)
        self.places.removeAll(keepingCapacity: true)
        self.statement = statement
    }

    package mutating func appendNull() { self.places.append(.null) }

    /// Appends a value copied from `bytes`.
    package mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        let start = self.storage.count
        self.storage.append(contentsOf: bytes)
        self.places.append(.storage(start..<self.storage.count))
    }

    /// Appends a value that is `range` of the statement, as it is.
    mutating func appendInStatement(_ range: Range<Int>) { self.places.append(.statement(range)) }

    /// Starts a value whose bytes follow with ``appendByte(_:)`` and end with ``endValue()``.
    mutating func beginValue() -> Int { self.storage.count }
    mutating func appendByte(_ byte: UInt8) { self.storage.append(byte) }
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) { self.storage.append(contentsOf: bytes) }
    mutating func endValue(start: Int) { self.places.append(.storage(start..<self.storage.count)) }

    /// Calls `body` with each value's bytes in column order (`nil` for NULL); valid only during the call.
    package func forEachValue(_ body: (Int, UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try self.storage.withUnsafeBytes { stored in
            for (index, place) in self.places.enumerated() {
                switch place {
                case .null: try body(index, nil)
                case .statement(let range): try body(index, UnsafeRawBufferPointer(rebasing: self.statement[range]))
                case .storage(let range): try body(index, UnsafeRawBufferPointer(rebasing: stored[range]))
                }
            }
        }
    }
}
