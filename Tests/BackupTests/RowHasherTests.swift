import RewindTestSupport
import SQLRendering
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

    /// The fast path for doubles gives `strtod`'s value bit for bit, and is taken for the server's usual forms.
    @Test func exactDoublesAgreeWithStrtod() throws {
        var random = SplitMix64(seed: 11)
        var texts = [
            "0", "-0", "0.5", "333.3333333333333", "0.1428571492433548", "1e22", "1e23", "9007199254740993",
            "9007199254740992", "123456789012345678", "1.", ".5", "-.5e-3", "5e-324", "1e-22", "4.35", "0.000001",
            "1E+5", "+7", "1e", "e5", "-", "1.2.3", "0x10", "12345678901234567890e-30",
        ]
        for _ in 0..<20_000 {
            let double = Double(bitPattern: random.next())
            guard double.isFinite else { continue }
            texts.append("\(double)")
            let digits = String(random.next() % 10_000_000_000_000_000)
            let point = Int(random.next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if random.next() % 3 == 0 { text += "e\(Int(random.next() % 60) - 30)" }
            texts.append(random.next() % 2 == 0 ? "-" + text : text)
        }
        var fast = 0
        for text in texts {
            let bytes = Array(text.utf8)
            guard let exact = bytes.withUnsafeBytes({ RowHasher.exactDouble($0) }) else { continue }
            fast += 1
            let reference = try #require(Double(text), "\(text)")
            #expect(exact.bitPattern == reference.bitPattern, "\(text)")
        }
        #expect(fast > texts.count / 3)
        for text in ["333.3333333333333", "0.1428571492433548", "-12.5", "1e-5", "0"] {
            #expect(Array(text.utf8).withUnsafeBytes { RowHasher.exactDouble($0) } != nil, "\(text)")
        }
    }

    /// Values longer than the hasher's first buffer hash as the documented bytes say.
    @Test func longValuesHashTheirCanonicalBytes() {
        var hasher = RowHasher(kinds: [.binary, .integer, .text(charset: "utf8mb4")])
        let long = String(repeating: "x", count: 10_000)
        var canonical: [UInt8] = [1]
        for part in [Array(long.utf8), Array("7".utf8), []] {
            if canonical.count > 1 { canonical.append(1) }
            withUnsafeBytes(of: UInt32(part.count).littleEndian) { canonical.append(contentsOf: $0) }
            canonical += part
        }
        #expect(hash(&hasher, [long, "007", ""]) == XXHash64.hash(canonical))
        #expect(hash(&hasher, ["a", "1", nil]) == XXHash64.hash([1, 1, 0, 0, 0, 0x61, 1, 1, 0, 0, 0, 0x31, 0]))
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
