extension UnsafeRawBufferPointer {
    /// The index of the first `'` or `\` at or after `start`, or `count` when there is none: where a quoted SQL
    /// string's plain run ends. Looks at eight bytes at a time (string values are most of a dump's text).
    package func firstQuoteOrBackslash(from start: Int) -> Int {
        let count = self.count
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= count {
            let word = UInt64(littleEndian: self.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let quotes = word ^ (ones &* 0x27)
            let backslashes = word ^ (ones &* 0x5C)
            // A zero byte in either marks a match; the lowest flagged byte is exact (borrows only run upwards).
            let found =
                ((quotes &- ones) & ~quotes & highs) | ((backslashes &- ones) & ~backslashes & highs)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count, self[index] != 0x27, self[index] != 0x5C { index += 1 }
        return index
    }
}
