import BinlogFormat
import Foundation
import RewindTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binlog events a hostile server sends after `COM_BINLOG_DUMP` (CRC32 on): the artificial ROTATE naming the
/// file, a FORMAT_DESCRIPTION, and one long row event whose bytes are made as they are sent (hundreds of MB never
/// exist at once in the test either).
enum HostileBinlog {
    static let fileName = "binlog.000001"

    /// An event with `header + body` and a CRC32 trailer.
    static func event(type: UInt8, nextPosition: UInt32, flags: UInt16 = 0, body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0, 0, type, 7, 0, 0, 0]
        bytes += Self.littleEndian(UInt32(19 + body.count + 4))
        bytes += Self.littleEndian(nextPosition)
        bytes += [UInt8(flags & 0xFF), UInt8(flags >> 8)]
        bytes += body
        let crc = bytes.withUnsafeBytes { BinlogChecksum.crc32($0) }
        return bytes + Self.littleEndian(crc)
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The artificial ROTATE a dump starts with: the file and the position it starts at.
    static func rotate(position: UInt64) -> [UInt8] {
        let body = (0..<8).map { UInt8(truncatingIfNeeded: position >> (8 * $0)) } + Array(Self.fileName.utf8)
        return Self.event(type: 4, nextPosition: 0, flags: BinlogEventHeader.flagArtificial, body: body)
    }

    /// A FORMAT_DESCRIPTION of a MariaDB 10.11 file with CRC32 checksums, at byte 4.
    static let formatDescription: [UInt8] = {
        var body: [UInt8] = [4, 0]  // binlog version
        let version = Array("10.11.99-MariaDB-hostile".utf8)
        body += version + Array(repeating: 0, count: 50 - version.count)
        body += [0, 0, 0, 0, 19]  // create timestamp, header length
        var lengths = [UInt8](repeating: 0, count: 40)
        lengths[3] = 8  // ROTATE
        body += lengths + [1]  // checksum algorithm: CRC32
        return Self.event(type: 15, nextPosition: UInt32(4 + 19 + body.count + 4), body: body)
    }()

    /// Where the long event starts in the file.
    static var longEventStart: UInt64 { UInt64(4 + Self.formatDescription.count) }

    /// 1 MiB of random bytes; piece `k` of a long event's body is this with `k` in its first 8 bytes.
    static let block: [UInt8] = {
        var random = SplitMix64(seed: 15)
        return (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }()

    /// Piece `index` of a long event's body (`count` bytes, at most 1 MiB).
    static func bodyPiece(_ index: Int, count: Int) -> [UInt8] {
        var piece = Array(Self.block.prefix(count))
        for byte in 0..<min(8, count) { piece[byte] = UInt8(truncatingIfNeeded: index >> (8 * byte)) }
        return piece
    }

    /// The header of a row event (type 30) of `size` bytes at ``longEventStart`` (also of one that claims more
    /// bytes than the server then sends).
    static func longEventHeader(size: Int) -> [UInt8] {
        var header: [UInt8] = [0, 0, 0, 0, 30, 7, 0, 0, 0]
        header += Self.littleEndian(UInt32(size))
        header += Self.littleEndian(UInt32(truncatingIfNeeded: Int(Self.longEventStart) + size))
        return header + [0, 0]
    }

    /// A row event (type 30) of `size` bytes at ``longEventStart``: its header, and its CRC32 over header and body.
    static func longEvent(size: Int) -> (header: [UInt8], crc: UInt32) {
        let header = Self.longEventHeader(size: size)
        var crc = header.withUnsafeBytes { BinlogChecksum.crc32($0) }
        let bodyLength = size - 19 - 4
        var index = 0
        while index * (1 << 20) < bodyLength {
            let piece = Self.bodyPiece(index, count: min(1 << 20, bodyLength - index * (1 << 20)))
            crc = piece.withUnsafeBytes { BinlogChecksum.crc32($0, continuing: crc) }
            index += 1
        }
        return (header, crc)
    }

    /// Sends the long event as one dump packet (`0x00` and the event) in 16 MiB fragments, its body made piece by
    /// piece; with `cutAfter`, the connection is closed after that many bytes of the packet. `crc` goes in the
    /// trailer (a wrong one makes a damaged event).
    /// - Returns: the sequence id of the packet after it.
    @discardableResult
    static func sendLongEvent(
        _ connection: HostileConnection,
        size: Int,
        header: [UInt8],
        crc: UInt32,
        cutAfter: Int? = nil,
        firstSequenceID: UInt8
    ) throws -> UInt8 {
        let payloadLength = 1 + size
        var sequenceID = firstSequenceID
        var fragmentLeft = 0
        var sent = 0  // payload bytes sent
        func write(_ bytes: [UInt8]) throws {
            var bytes = bytes[...]
            while !bytes.isEmpty {
                if fragmentLeft == 0 {
                    let length = min(0xFF_FFFF, payloadLength - sent)
                    try connection.write([
                        UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16), sequenceID,
                    ])
                    sequenceID &+= 1
                    fragmentLeft = length
                }
                let take = min(fragmentLeft, bytes.count)
                try connection.write(Array(bytes.prefix(take)))
                bytes = bytes.dropFirst(take)
                fragmentLeft -= take
                sent += take
                if let cutAfter, sent >= cutAfter { throw HostileConnection.Closed() }
            }
        }
        try write([0x00] + header)
        let bodyLength = size - 19 - 4
        var index = 0
        while index * (1 << 20) < bodyLength {
            try write(Self.bodyPiece(index, count: min(1 << 20, bodyLength - index * (1 << 20))))
            index += 1
        }
        try write(Self.littleEndian(crc))
        if payloadLength % 0xFF_FFFF == 0 {
            try connection.write([0, 0, 0, sequenceID])  // the empty fragment that ends a packet of 16 MiB multiples
            sequenceID &+= 1
        }
        return sequenceID
    }

    /// Whether the file at `path`, from `offset`, holds the long event's bytes (compared piece by piece).
    static func fileHoldsLongEvent(_ path: String, at offset: UInt64, size: Int, header: [UInt8], crc: UInt32) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        func next(_ count: Int) -> [UInt8]? {
            guard let data = try? handle.read(upToCount: count), data.count == count else { return nil }
            return Array(data)
        }
        guard (try? handle.seek(toOffset: offset)) != nil, next(19) == header else { return false }
        let bodyLength = size - 19 - 4
        var index = 0
        while index * (1 << 20) < bodyLength {
            let expected = Self.bodyPiece(index, count: min(1 << 20, bodyLength - index * (1 << 20)))
            guard let read = next(expected.count), Self.sameBytes(read, expected) else { return false }
            index += 1
        }
        return next(4) == Self.littleEndian(crc)
    }

    /// `memcmp`: an element-by-element `==` over hundreds of MB is slow in a debug build.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count
            && a.withUnsafeBytes { a in
                b.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
            }
    }
}
