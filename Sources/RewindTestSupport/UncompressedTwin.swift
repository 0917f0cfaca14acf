import BinlogFormat
import Foundation

/// The binlog a server would have written with `binlog_transaction_compression=OFF`: every
/// `TRANSACTION_PAYLOAD` event replaced by the events it holds, each given back its CRC32 trailer (when the file
/// has checksums) and a `log_pos` that continues the new file; the other events are copied with their `log_pos`
/// moved by the bytes gained so far.
package struct UncompressedTwin {
    /// The twin's bytes.
    package var bytes: [UInt8]
    /// For each event of the original file (by its offset), the offset of the first event it became in the twin.
    package var positions: [UInt64: UInt64]

    /// Builds the twin of `original` (a whole binlog file whose events were decoded into `records`).
    ///
    /// - Throws: when a payload does not decompress with the `zstd` tool.
    package init(original: [UInt8], records: [BinlogEventRecord]) throws {
        let hasChecksum = records.contains { $0.checksum != nil }
        let trailer = hasChecksum ? 4 : 0
        var out: [UInt8] = Array(original[0..<4])
        var positions: [UInt64: UInt64] = [:]
        for record in records {
            let start = Int(record.position)
            let size = Int(record.header.eventSize)
            positions[record.position] = UInt64(out.count)
            let event = Array(original[start..<(start + size)])
            guard record.header.type == .transactionPayload else {
                Self.append(Array(event[0..<(size - trailer)]), to: &out, checksum: hasChecksum)
                continue
            }
            var inner = try Self.payloadEvents(Array(event[19..<(size - trailer)]))[...]
            while inner.count >= 19 {
                let length = Int(Self.uint32(inner, at: inner.startIndex + 9))
                Self.append(Array(inner.prefix(length)), to: &out, checksum: hasChecksum)
                inner = inner.dropFirst(length)
            }
        }
        self.bytes = out
        self.positions = positions
    }

    /// Appends one event (without trailer) at the end of `out`, fixing its size and `log_pos`, and adds a CRC32.
    private static func append(_ event: [UInt8], to out: inout [UInt8], checksum: Bool) {
        var event = event
        let size = UInt32(event.count + (checksum ? 4 : 0))
        Self.put(size, into: &event, at: 9)
        Self.put(UInt32(out.count) + size, into: &event, at: 13)
        out += event
        if checksum {
            var covered = event
            // A FORMAT_DESCRIPTION's in-use flag is set after its checksum was computed (as servers do).
            if covered[4] == BinlogEventType.formatDescription.rawValue {
                covered[17] &= ~UInt8(truncatingIfNeeded: BinlogEventHeader.flagBinlogInUse)
            }
            let crc = covered.withUnsafeBytes { BinlogChecksum.crc32($0) }
            out += withUnsafeBytes(of: crc.littleEndian, Array.init)
        }
    }

    /// The uncompressed inner events of a TRANSACTION_PAYLOAD body (its fields, then a zstd frame).
    private static func payloadEvents(_ body: [UInt8]) throws -> [UInt8] {
        var index = 0
        func lengthEncoded() -> Int {
            let first = body[index]
            index += 1
            switch first {
            case 0xFC:
                defer { index += 2 }
                return Int(body[index]) | Int(body[index + 1]) << 8
            case 0xFD:
                defer { index += 3 }
                return Int(body[index]) | Int(body[index + 1]) << 8 | Int(body[index + 2]) << 16
            case 0xFE:
                defer { index += 8 }
                return (0..<8).reduce(0) { $0 | Int(body[index + $1]) << (8 * $1) }
            default: return Int(first)
            }
        }
        var compression = 0
        while index < body.count {
            let type = lengthEncoded()
            if type == 0 { break }
            let length = lengthEncoded()
            if type == 2 { compression = Int(body[index]) }
            index += length
        }
        let compressed = Array(body[index...])
        return compression == 0 ? try Self.zstd(compressed) : compressed
    }

    private static func zstd(_ input: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
        let file = directory.appendingPathComponent("rewind-twin-\(UUID().uuidString).zst")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
        process.arguments = ["-q", "-d", "-c", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file.path])
        }
        return Array(data)
    }

    private static func uint32(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index + $1]) << (8 * UInt32($1)) }
    }

    private static func put(_ value: UInt32, into bytes: inout [UInt8], at index: Int) {
        for offset in 0..<4 { bytes[index + offset] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(offset))) }
    }
}
