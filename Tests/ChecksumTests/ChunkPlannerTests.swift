import SQLRendering
import Testing

@testable import Checksum

@Suite struct ChunkPlannerTests {
    @Test func compositeRangesSpellOutRowComparisons() {
        let key = [
            TableColumn(name: "region", kind: .text(charset: "utf8mb4")), TableColumn(name: "id", kind: .integer),
        ]
        let values: [[UInt8]?] = [Array("eu'west".utf8), Array("42".utf8)]
        #expect(
            ChunkPlanner.condition(key, values, greater: true)
                == "(`region` > 'eu\\'west' OR (`region` = 'eu\\'west' AND `id` > 42))"
        )
        #expect(
            ChunkPlanner.condition(key, values, greater: false)
                == "(`region` < 'eu\\'west' OR (`region` = 'eu\\'west' AND `id` <= 42))"
        )
        #expect(ChunkPlanner.condition([key[1]], [values[1]], greater: false) == "`id` <= 42")
    }
}
