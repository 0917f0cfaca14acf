import Testing

@testable import Checksum

@Suite struct XXHash64Tests {
    /// Reference values from the `xxhash` Python package (`xxhash.xxh64(data).intdigest()`).
    @Test(arguments: [
        ("", 0xEF46_DB37_51D8_E999 as UInt64),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("0123456789abcdefghijklmnopqrstuvwxyz", 0x6919_6C1B_3AF0_BFF9),
    ])
    func matchesTheReference(input: String, expected: UInt64) {
        #expect(XXHash64.hash(Array(input.utf8)) == expected)
    }

    @Test func coversEveryTailLength() {
        #expect(XXHash64.hash((0..<100).map { UInt8($0) }) == 0x6AC1_E580_3216_6597)
    }
}
