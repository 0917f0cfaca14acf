import Foundation

/// Where the shared binlog corpus lives: `$REWIND_FIXTURES`, else `../shared/fixtures/binlogs` beside the checkout.
package enum Fixtures {
    package static var root: URL {
        if let override = ProcessInfo.processInfo.environment["REWIND_FIXTURES"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // .../<checkout>/Sources/RewindTestSupport/Fixtures.swift → .../<checkout>/../shared/fixtures/binlogs
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return checkout.deletingLastPathComponent().appendingPathComponent("shared/fixtures/binlogs")
    }

    /// `true` when the corpus is present. When it is missing, tests skip loudly locally and fail under CI.
    package static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("SOURCES.md").path)
    }

    package static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    /// The absolute path of a fixture file, e.g. `path("rust_mysql_common/json.binlog.000001")`.
    package static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The bytes of a fixture file.
    package static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }

    /// Every binlog (not golden text) file of the corpus, relative to ``root``, sorted.
    package static func allBinlogFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [String] = []
        let textSuffixes = [".md", ".json", ".txt", ".result", ".sql", ".gz", ".index", ".csv", ".sh"]
        while let item = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent(item).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            if textSuffixes.contains(where: { item.hasSuffix($0) }) || item.contains("/golden/") { continue }
            if item.hasPrefix("golden/") || item.contains("mysql-index-file") { continue }
            // Golden text dumps sit beside the binlogs under binlog-like names: keep only files that are not text.
            guard let handle = FileHandle(forReadingAtPath: root.appendingPathComponent(item).path) else { continue }
            let head = handle.readData(ofLength: 64)
            try? handle.close()
            let isText =
                !head.isEmpty
                && head.allSatisfy { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) }
            if isText { continue }
            files.append(item)
        }
        return files.sorted()
    }
}
