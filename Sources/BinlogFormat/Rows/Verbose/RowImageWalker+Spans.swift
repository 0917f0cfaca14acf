extension RowImageWalker {
    /// Steps over one image, noting where each column's value is in the row data (``RowValueSpan``).
    func spans(
        _ bytes: inout RowBytes,
        present: UnsafeRawBufferPointer,
        partial: Bool,
        plans: UnsafeBufferPointer<VerboseColumn>,
        into spans: UnsafeMutableBufferPointer<RowValueSpan>
    ) throws {
        let (nulls, partialJSON) = try self.header(&bytes, present: present, partial: partial, plans: plans)
        var position = 0
        var jsonPosition = 0
        for index in 0..<self.count {
            guard Self.isSet(present, index) else {
                spans[index] = .absent
                continue
            }
            let plan = plans[index]
            let isDiff = Self.holdsDiff(plan, partialJSON, &jsonPosition)
            if Self.isSet(nulls, position) {
                spans[index] = .null
            } else {
                let start = bytes.offset
                if plan.kind != .general && !isDiff {
                    try plan.skip(from: &bytes)
                } else {
                    var ignored = TextBuffer(capacity: 64)
                    try self.general(index, isDiff: isDiff, from: &bytes, to: &ignored)
                }
                let content = plan.kind == .quoted ? start + plan.size : start
                spans[index] = isDiff ? .absent : RowValueSpan(start: start, contentStart: content, end: bytes.offset)
            }
            position &+= 1
        }
    }
}

/// Where one column's value is in a rows event's row data (its bytes as logged), or that it is NULL or not in the
/// image.
public struct RowValueSpan: Hashable, Sendable {
    public var start: Int
    /// Where a string's bytes start, after its length prefix (`start` for other values).
    public var contentStart: Int
    public var end: Int

    public static let absent = RowValueSpan(start: -1, contentStart: -1, end: -1)
    public static let null = RowValueSpan(start: -2, contentStart: -2, end: -2)

    public var isAbsent: Bool { self.start == -1 }
    public var isNull: Bool { self.start == -2 }
}
