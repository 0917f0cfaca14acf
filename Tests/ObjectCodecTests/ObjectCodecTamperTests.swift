import NIOCore
import Testing

@testable import ObjectCodec

@Suite struct ObjectCodecTamperTests {
    static let key = ObjectCodecRoundTripTests.key
    static let sealed = ObjectCodec(compression: .zstd, key: key, frameSize: 64)
    static let context = Array("binlogs/0000000001/mysql-bin.000001/00000000000000000004.seg".utf8)
    /// Four frames: three of 64 bytes, the final one of 20.
    static let plain = ObjectCodecRoundTripTests.sample(212, seed: 3)

    static func stored() throws -> ByteBuffer {
        try ObjectCodecRoundTripTests.encodeFramed(Self.plain, codec: Self.sealed, context: Self.context)
    }

    static func decode(_ stored: ByteBuffer, codec: ObjectCodec = sealed, context: [UInt8] = context) throws {
        _ = try codec.decode(stored, context: context, object: "s3://bucket/p/x.seg")
    }

    /// The frames of an encoded object, as (flags, byte range of the frame including its header).
    struct Frame {
        var isFinal: Bool
        var range: Range<Int>
    }

    static func frames(of stored: ByteBuffer, complete: Bool = true, header: Bool = true) throws -> [Frame] {
        var buffer = stored
        if header { buffer.moveReaderIndex(forwardBy: ObjectHeader.length) }
        var frames: [Frame] = []
        while buffer.readableBytes > 0 {
            let start = buffer.readerIndex
            let frame = try #require(ObjectFrameHeader.read(from: &buffer))
            buffer.moveReaderIndex(forwardBy: Int(frame.bodyLength))
            frames.append(Frame(isFinal: frame.isFinal, range: start..<buffer.readerIndex))
        }
        if complete { #expect(frames.last?.isFinal == true) }
        return frames
    }

    @Test func theSampleHasFourFrames() throws {
        #expect(try Self.frames(of: try Self.stored()).count == 4)
        try Self.decode(try Self.stored())
    }

    /// Every byte of the object, flipped in turn: header, frame headers, ciphertexts and tags.
    @Test func everyFlippedByteIsRefused() throws {
        let stored = try Self.stored()
        for position in 0..<stored.readableBytes {
            var changed = stored
            changed.setInteger(stored.getInteger(at: position, as: UInt8.self)! ^ 0x01, at: position)
            let error = #expect(throws: ObjectCodecError.self, "byte \(position)") { try Self.decode(changed) }
            #expect(error?.object == "s3://bucket/p/x.seg")
            if position >= ObjectHeader.length {
                #expect([.authenticationFailed, .malformed].contains(error?.code), "byte \(position)")
            }
        }
    }

    /// Cut after every byte: the object ends before its final frame (or inside a frame or the header).
    @Test func everyTruncationIsRefused() throws {
        let stored = try Self.stored()
        for length in 0..<stored.readableBytes {
            let cut = stored.getSlice(at: 0, length: length)!
            let error = #expect(throws: ObjectCodecError.self, "length \(length)") { try Self.decode(cut) }
            #expect(error?.code == .truncated, "length \(length)")
        }
    }

    @Test func reorderedDroppedOrRepeatedFramesAreRefused() throws {
        let stored = try Self.stored()
        let frames = try Self.frames(of: stored)
        let header = stored.getSlice(at: 0, length: ObjectHeader.length)!
        func assemble(_ order: [Int]) -> ByteBuffer {
            var buffer = header
            for index in order {
                buffer.writeImmutableBuffer(
                    stored.getSlice(at: frames[index].range.lowerBound, length: frames[index].range.count)!
                )
            }
            return buffer
        }
        #expect(throws: Never.self) { try Self.decode(assemble([0, 1, 2, 3])) }
        for order in [[1, 0, 2, 3], [0, 2, 1, 3], [0, 1, 3], [0, 0, 1, 2, 3], [0, 1, 2, 3, 3], [3]] {
            let error = #expect(throws: ObjectCodecError.self, "\(order)") { try Self.decode(assemble(order)) }
            #expect([.authenticationFailed, .malformed].contains(error?.code), "\(order)")
        }
        // Without the final frame the object is cut; with bytes after it, something was added.
        #expect((try? Self.decode(assemble([0, 1, 2]))) == nil)
        var appended = stored
        appended.writeBytes([0])
        let error = #expect(throws: ObjectCodecError.self) { try Self.decode(appended) }
        #expect(error?.code == .malformed)
    }

    @Test func aFrameOfAnotherObjectIsRefused() throws {
        let first = try Self.stored()
        let second = try Self.stored()  // same plain bytes and key, another salt
        let frames = try Self.frames(of: first)
        var mixed = first.getSlice(at: 0, length: frames[1].range.lowerBound)!
        mixed.writeImmutableBuffer(second.getSlice(at: frames[1].range.lowerBound, length: frames[1].range.count)!)
        mixed.writeImmutableBuffer(
            first.getSlice(at: frames[2].range.lowerBound, length: first.readableBytes - frames[2].range.lowerBound)!
        )
        let error = #expect(throws: ObjectCodecError.self) { try Self.decode(mixed) }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.frame == 1)
    }

    @Test func anObjectReadUnderAnotherNameIsRefused() throws {
        let error = #expect(throws: ObjectCodecError.self) {
            try Self.decode(
                try Self.stored(),
                context: Array("binlogs/0000000001/mysql-bin.000001/00000000000000009999.seg".utf8)
            )
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.frame == 0)
    }

    @Test func aWrongKeyIsNamedByKeyIDBeforeAnyFrameIsOpened() throws {
        let other = try ObjectKey(bytes: Array(repeating: 7, count: 32))
        let error = #expect(throws: ObjectCodecError.self) {
            try Self.decode(try Self.stored(), codec: ObjectCodec(compression: .none, key: other))
        }
        #expect(error?.code == .wrongKey)
        #expect(error?.description.contains(Self.key.id) == true)
        #expect(error?.description.contains(other.id) == true)
        #expect(error?.description.hasPrefix("s3://bucket/p/x.seg: ") == true)
    }

    @Test func aMissingKeySaysHowToGiveIt() throws {
        let error = #expect(throws: ObjectCodecError.self) { try Self.decode(try Self.stored(), codec: .plain) }
        #expect(error?.code == .missingKey)
        #expect(error?.description.contains("--encryption-key-file") == true)
        #expect(error?.description.contains("REWIND_ENCRYPTION_KEY_FILE") == true)
        #expect(error?.description.contains(Self.key.id) == true)
    }

    @Test func compressedOnlyObjectsNeedNoKeyAndStillCatchDamage() throws {
        let codec = ObjectCodec(compression: .zstd, key: nil, frameSize: 64)
        let text = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "x"), count: 300))
        let stored = try codec.encode(text)
        #expect(try ObjectCodec.plain.decode(stored) == text)
        // A flipped byte inside a compressed payload: zstd's checksum (or its framing) refuses it.
        let frames = try Self.frames(of: stored)
        var changed = stored
        let position = frames[0].range.upperBound - 2
        changed.setInteger(stored.getInteger(at: position, as: UInt8.self)! ^ 0x10, at: position)
        #expect(throws: ObjectCodecError.self) { try ObjectCodec.plain.decode(changed) }
    }

    @Test func lengthsOutOfBoundsAreRefusedBeforeWaitingForTheirBytes() throws {
        var stored = try Self.stored()
        let firstFrame = ObjectHeader.length
        // A body length of 4 GiB: refused at once, not waited for.
        stored.setInteger(UInt32.max, at: firstFrame + 5, endianness: .little)
        let decoder = Self.sealed.makeDecoder(context: Self.context)
        let error = #expect(throws: ObjectCodecError.self) {
            _ = try decoder.decode(stored.getSlice(at: 0, length: firstFrame + ObjectFrameHeader.length)!)
        }
        #expect(error?.code == .malformed)
        // A header claiming 1 GiB frames.
        var header = try Self.stored()
        header.setInteger(UInt32(1 << 30), at: 12, endianness: .little)
        #expect(throws: ObjectCodecError.self) { try Self.decode(header) }
    }

    @Test func aPlainObjectIsNotMistakenForAnEncodedOne() throws {
        let error = #expect(throws: ObjectCodecError.self) {
            try Self.decode(ByteBuffer(bytes: [0xFE, 0x62, 0x69, 0x6E] + Array(repeating: 0, count: 100)))
        }
        #expect(error?.code == .malformed)
        #expect(!ObjectCodec.looksEncoded(ByteBuffer(bytes: [0xFE, 0x62, 0x69, 0x6E])))
    }
}
