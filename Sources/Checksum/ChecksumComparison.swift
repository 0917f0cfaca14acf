import BinlogFormat

/// Compares tables' hashes computed on a server with those of an earlier checksum or a backup manifest.
package enum ChecksumComparison {
    /// Every table whose rows or hash differ, that the expectation has and the server lacks, or the other way round,
    /// sorted by name.
    ///
    /// - Parameters:
    ///   - actual: What the server gave.
    ///   - expected: What the file says (``ExpectedChecksums/read(path:)``).
    ///   - selection: Expected tables outside it are not looked at (`--database shop` compares only `shop`).
    /// - Returns: The differences; empty when everything in the selection is equal.
    package static func compare(
        actual: [TableHash],
        expected: [TableHash],
        selection: TableSelection
    ) -> [ChecksumDifference] {
        var expectedByName: [QualifiedTable: RowSetHash] = [:]
        for table in expected where selection.includes(table.name) { expectedByName[table.name] = table.hash }
        var differences: [ChecksumDifference] = []
        var seen = Set<QualifiedTable>()
        for table in actual {
            seen.insert(table.name)
            guard let expectedHash = expectedByName[table.name] else {
                differences.append(
                    ChecksumDifference(kind: .extra, table: table.name, actual: table.hash, expected: nil)
                )
                continue
            }
            if expectedHash != table.hash {
                differences.append(
                    ChecksumDifference(kind: .differs, table: table.name, actual: table.hash, expected: expectedHash)
                )
            }
        }
        for (name, hash) in expectedByName where !seen.contains(name) {
            differences.append(ChecksumDifference(kind: .missing, table: name, actual: nil, expected: hash))
        }
        return differences.sorted { $0.table < $1.table }
    }
}
