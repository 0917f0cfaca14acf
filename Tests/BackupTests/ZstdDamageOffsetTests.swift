import BackupStorage
import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import Backup

/// A damaged chunk names the zstd frame the damage is in (where it starts in the compressed bytes), not byte 0.
@Suite struct ZstdDamageOffsetTests {
    final class Pieces: BackupObjectReader {
        var pieces: [ByteBuffer]
        init(_ bytes: [UInt8], pieceSize: Int) {
            self.pieces = stride(from: 0, to: bytes.count, by: pieceSize).map {
                ByteBuffer(bytes: bytes[$0..<min(bytes.count, $0 + pieceSize)])
            }
        }
        func read() async throws -> ByteBuffer? { self.pieces.isEmpty ? nil : self.pieces.removeFirst() }
    }

    /// Two zstd frames (by the `zstd` tool, concatenated as a chunk file can hold them).
    static func twoFrames() async throws -> (bytes: [UInt8], secondStart: Int) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var frames: [[UInt8]] = []
        for (index, text) in ["first frame ", "second frame "].enumerated() {
            let plain = directory.path + "/p\(index)"
            try Data(String(repeating: text, count: 5000).utf8).write(to: URL(fileURLWithPath: plain))
            _ = try await SandboxInstance.runOffPool(
                ["-q", "--check", "-f", plain, "-o", plain + ".zst"], executable: "zstd")
            frames.append(try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain + ".zst"))))
        }
        return (frames[0] + frames[1], frames[0].count)
    }

    @Test func theDamagedFrameIsNamed() async throws {
        var (bytes, secondStart) = try await Self.twoFrames()
        bytes[secondStart + 1] ^= 0xFF  // the second frame's magic number
        let reader = try ZstdStreamReader(source: Pieces(bytes, pieceSize: 7), name: "data/t.00001.sql.zst")
        var plain = 0
        do {
            while try await reader.step({ plain += $0.count }) {}
            Issue.record("the damaged stream decompressed")
        } catch let error as BackupError {
            #expect(error.code == .damagedChunk)
            #expect(error.message.contains("frame that starts at compressed byte \(secondStart)"), "\(error.message)")
            #expect(plain == 5000 * "first frame ".utf8.count)  // the first frame came out whole
        }
    }
}
