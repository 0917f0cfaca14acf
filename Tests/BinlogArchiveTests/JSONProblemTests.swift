import Foundation
import Testing

@testable import BinlogArchive

/// A damaged archive index is described in words that name the key, never as Swift's `DecodingError`.
@Suite struct JSONProblemTests {
    @Test(arguments: [
        (#"{"files": ["#, "it is not valid JSON"), (#"{"files": []}"#, "the key version is missing"),
        (#"{"version": "one", "files": []}"#, "the value of version is not a number"),
    ])
    func aBadIndexIsDescribed(text: String, expected: String) {
        do {
            _ = try ArchiveIndex.decode(Data(text.utf8))
            Issue.record("\(text) decoded")
        } catch {
            #expect("\(error)" == expected)
            #expect(!"\(error)".contains("DecodingError"))
        }
    }
}
