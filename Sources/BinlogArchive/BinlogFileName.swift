/// A binlog file name split into its base and sequence number: `mysql-bin.000042` is `mysql-bin` and 42.
///
/// Servers number files consecutively; a jump in the numbers is a file the archive never saw.
package struct BinlogFileName: Comparable, Hashable, Sendable {
    package var base: String
    package var number: Int
    /// Digits in the suffix (servers pad to 6).
    package var width: Int

    package init?(_ name: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let suffix = name[name.index(after: dot)...]
        guard !suffix.isEmpty, suffix.count <= 18, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber),
            let number = Int(suffix)
        else { return nil }
        self.base = String(name[..<dot])
        self.number = number
        self.width = suffix.count
    }

    package init(base: String, number: Int, width: Int) {
        self.base = base
        self.number = number
        self.width = width
    }

    package var name: String {
        let digits = String(self.number)
        return self.base + "." + String(repeating: "0", count: max(0, self.width - digits.count)) + digits
    }

    /// The names strictly between `self` and `other` (same base), when `other` comes later.
    package func names(before other: Self) -> [String] {
        guard other.base == self.base, other.number > self.number + 1 else { return [] }
        return (self.number + 1..<other.number).prefix(10_000).map {
            Self(base: self.base, number: $0, width: self.width).name
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.base, lhs.number) < (rhs.base, rhs.number)
    }
}
