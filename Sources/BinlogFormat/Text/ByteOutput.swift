/// Where the text printers (``TextBytes``, ``PrintfG``, the `-v` row printer) append their bytes: a `[UInt8]`
/// or a ``TextBuffer``. The printers are generic over it, so each is specialized for its output and
/// `TextBuffer` gets appends without reference counting or uniqueness checks.
package protocol ByteOutput: ~Copyable {
    /// Bytes appended so far.
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    /// Appends every byte of `bytes`.
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer)
    /// Appends `byte` `count` times.
    mutating func appendRepeating(_ byte: UInt8, count: Int)
}

extension Array: ByteOutput where Element == UInt8 {
    @inline(__always)
    package mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        self.append(contentsOf: bytes)
    }

    @inline(__always)
    package mutating func appendRepeating(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        self.append(contentsOf: repeatElement(byte, count: count))
    }
}

extension ByteOutput where Self: ~Copyable {
    /// Appends every byte of `bytes`.
    @inline(__always)
    package mutating func appendBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.appendBytes($0) }
    }

    /// Appends the bytes of a static string (labels such as `### SET`).
    @inline(__always)
    package mutating func appendBytes(_ text: StaticString) {
        self.appendBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
