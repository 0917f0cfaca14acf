import Foundation
import Testing

@testable import ObjectCodec

@Suite struct ObjectKeyTests {
    static let raw: [UInt8] = (0..<32).map { UInt8(200 - $0) }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-key-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["raw", "hex", "hex\n", "HEX\r\n", "base64", "base64\n"])
    func keyFilesInEveryFormGiveTheSameKey(form: String) throws {
        let hex = Self.raw.map { String(format: "%02x", $0) }.joined()
        let content: [UInt8] =
            switch form.trimmingCharacters(in: .newlines) {
            case "raw": Self.raw
            case "hex": Array(hex.utf8)
            case "HEX": Array(hex.uppercased().utf8)
            default: Array(Data(Self.raw).base64EncodedString().utf8)
            }
        let path = try self.write(
            content + Array(form.hasSuffix("\r\n") ? "\r\n".utf8 : form.hasSuffix("\n") ? "\n".utf8 : "".utf8)
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try ObjectKey.load(path: path)
        #expect(key.id == (try ObjectKey(bytes: Self.raw)).id)
        #expect(key.id.count == 16)
    }

    @Test(arguments: [31, 33, 63, 65, 0])
    func filesWithoutA256BitKeyAreRefusedWithoutShowingThem(length: Int) throws {
        let content = Array(repeating: UInt8(ascii: "7"), count: length)
        let path = try self.write(content)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: ObjectCodecError.self) { try ObjectKey.load(path: path) }
        #expect(error?.code == .badKey)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("777") == false)
    }

    @Test func theOptionComesBeforeTheEnvironmentAndNeitherMeansNoKey() throws {
        let path = try self.write(Self.raw)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ObjectKey.resolve(path: nil, environment: [:]) == nil)
        #expect(try ObjectKey.resolve(path: nil, environment: ["REWIND_ENCRYPTION_KEY_FILE": path])?.id != nil)
        let error = #expect(throws: ObjectCodecError.self) {
            try ObjectKey.resolve(path: "/nonexistent/key", environment: ["REWIND_ENCRYPTION_KEY_FILE": path])
        }
        #expect(error?.description.contains("/nonexistent/key") == true)
    }

    @Test func theDescriptionShowsTheIDOnly() throws {
        let key = try ObjectKey(bytes: Self.raw)
        #expect("\(key)" == "key id \(key.id)")
    }
}
