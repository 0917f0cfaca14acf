import Testing

@testable import BinlogFormat

@Suite struct TextBufferTests {
    @Test func growsPastItsCapacityAndKeepsEveryByte() {
        var buffer = TextBuffer(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<500 {
            let byte = UInt8(truncatingIfNeeded: round)
            buffer.append(byte)
            expected.append(byte)
            let run = (0..<(round % 37)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
            run.withUnsafeBytes { buffer.appendBytes($0) }
            expected += run
            buffer.appendRepeating(0x20, count: round % 5)
            expected += repeatElement(0x20, count: round % 5)
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.bytes == expected)
    }

    @Test func takeHandsOverTheBytesAndLeavesItEmpty() {
        var buffer = TextBuffer()
        buffer.appendBytes("### SET\n")
        let taken = buffer.take()
        #expect(taken.bytes == Array("### SET\n".utf8))
        #expect(buffer.count == 0)
        buffer.append(0x41)
        buffer.truncate(to: 0)
        #expect(buffer.bytes.isEmpty)
    }

    @Test func writeReportsWhatWasWritten() {
        var buffer = TextBuffer(capacity: 2)
        buffer.write(maximum: 10) { room in
            for index in 0..<3 { room[index] = 0x30 + UInt8(index) }
            return 3
        }
        #expect(buffer.bytes == Array("012".utf8))
    }

    /// The word-at-a-time scan must find control bytes at every offset and leave every other byte alone.
    @Test(arguments: 0..<24)
    func quotingEscapesControlBytesAtEveryOffset(offset: Int) {
        for control: UInt8 in [0x00, 0x01, 0x0A, 0x1F] {
            for neighbour: UInt8 in [0x20, 0x27, 0x5C, 0x7F, 0x80, 0x9F, 0xA0, 0xFF] {
                var bytes = [UInt8](repeating: neighbour, count: 24)
                bytes[offset] = control
                var expected: [UInt8] = [0x27]
                for byte in bytes {
                    if byte < 0x20 {
                        expected += Array("\\x".utf8) + Array(String(byte, radix: 16).utf8).paddedHex
                    } else {
                        expected.append(byte)
                    }
                }
                expected.append(0x27)
                var array: [UInt8] = []
                var buffer = TextBuffer(capacity: 4)
                bytes.withUnsafeBytes {
                    TextBytes.appendQuoted($0, to: &array)
                    TextBytes.appendQuoted($0, to: &buffer)
                }
                #expect(array == expected, "control \(control) at \(offset) among \(neighbour)")
                #expect(buffer.bytes == expected)
            }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate var paddedHex: [UInt8] { self.count == 1 ? [0x30] + self : self }
}
