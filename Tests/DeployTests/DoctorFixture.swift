import Foundation
import Testing

@testable import Deploy

/// A folder of Tests/DeployTests/Fixtures/ (made by make_fixtures.py): kubectl JSON, logs and expected.txt.
struct DoctorFixture: CustomTestStringConvertible, Sendable {
    var name: String

    var testDescription: String { self.name }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every case folder, sorted.
    static var all: [DoctorFixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: root.appendingPathComponent(name).path,
                isDirectory: &isDirectory
            )
                && isDirectory.boolValue
        }.sorted().map(DoctorFixture.init(name:))
    }

    var path: String { Self.root.appendingPathComponent(self.name).path }

    /// The finding codes the case must produce, in order.
    func expectedCodes() throws -> [String] {
        let text = try String(contentsOfFile: self.path + "/expected.txt", encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    func snapshot() throws -> ClusterSnapshot {
        try DoctorInputLoader().load(directory: self.path)
    }

    func findings() throws -> [Finding] {
        Doctor.diagnose(try self.snapshot())
    }
}
