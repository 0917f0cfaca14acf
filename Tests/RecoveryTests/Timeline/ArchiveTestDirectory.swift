import Foundation

/// Fresh temporary directories for the timeline tests (the caller removes them).
enum ArchiveTestDirectory {
    static func make(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-\(label)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
