import BinlogText
import Testing

@testable import Checksum

@Suite struct RowHasherTests {
    /// The worked example of docs/backup.md, recomputed there with Python's `xxhash`.
    @Test func matchesTheDocumentedExample() {
        var hasher = RowHasher(kinds: [.integer, .text(charset: "utf8mb4"), .binary])
        let first = hash(&hasher, ["1", "abc", nil])
        #expect(first == 0x7F52_4679_3816_DE6D)
        var doubles = RowHasher(kinds: [.integer, .text(charset: "utf8mb4"), .double])
        let second = hash(&doubles, ["2", "", "0.5"])
        #expect(second == 0x7F73_04AE_7980_18C4)
        var set = RowSetHash()
        set.add(rowHash: first)
        set.add(rowHash: second)
        #expect(set.hex == "fec54b27b196f731")
    }

    @Test func duplicatesDoNotCancelAndOrderDoesNotMatter() {
        var hasher = RowHasher(kinds: [.integer])
        let a = hash(&hasher, ["1"])
        let b = hash(&hasher, ["2"])
        var once = RowSetHash()
        once.add(rowHash: a)
        var twice = once
        twice.add(rowHash: a)
        #expect(twice.value != 0 && twice.value != once.value)
        var forward = RowSetHash()
        forward.add(rowHash: a)
        forward.add(rowHash: b)
        var backward = RowSetHash()
        backward.add(rowHash: b)
        backward.add(rowHash: a)
        #expect(forward == backward)
    }

    @Test func canonicalFormsIgnoreHowAServerPrints() {
        var integers = RowHasher(kinds: [.integer])
        #expect(hash(&integers, ["0042"]) == hash(&integers, ["42"]))
        #expect(hash(&integers, ["-0"]) == hash(&integers, ["0"]))
        #expect(hash(&integers, ["-5"]) != hash(&integers, ["5"]))
        var doubles = RowHasher(kinds: [.double])
        #expect(hash(&doubles, ["1e-300"]) == hash(&doubles, ["1.0e-300"]))
        var floats = RowHasher(kinds: [.float])
        #expect(hash(&floats, ["1.2345677614212036"]) == hash(&floats, ["1.2345678"]))
        var bits = RowHasher(kinds: [.bit])
        #expect(
            hash(&bits, [String(decoding: [0, 5], as: UTF8.self)])
                == hash(&bits, [String(decoding: [5], as: UTF8.self)]))
        var nulls = RowHasher(kinds: [.text(charset: "utf8mb4")])
        #expect(hash(&nulls, [nil]) != hash(&nulls, [""]))
    }

    private func hash(_ hasher: inout RowHasher, _ values: [String?]) -> UInt64 {
        let arrays = values.map { $0.map { Array($0.utf8) } }
        var row = SQLRowValues()
        for value in arrays {
            if let value { row.append(contentsOf: value) } else { row.appendNull() }
        }
        return hasher.hash(row)
    }
}
