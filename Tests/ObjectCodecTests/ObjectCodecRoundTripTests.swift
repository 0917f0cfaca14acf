import NIOCore
import Testing

@testable import ObjectCodec

@Suite struct ObjectCodecRoundTripTests {
    static let key = try! ObjectKey(bytes: (0..<32).map { UInt8($0) })

    static let codecs: [ObjectCodec] = [
        ObjectCodec(compression: .zstd, key: nil, frameSize: 4096),
        ObjectCodec(compression: .none, key: key, frameSize: 4096),
        ObjectCodec(compression: .zstd, key: key, frameSize: 4096),
        ObjectCodec(compression: .none, key: nil, frameSize: 4096),
    ]

    /// Text-like bytes (compressible) followed by noise (not).
    static func sample(_ count: Int, seed: UInt64 = 1) -> ByteBuffer {
        var state = seed
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(
                index < count / 2 ? UInt8(ascii: "a") + UInt8(index % 7) : UInt8(truncatingIfNeeded: state >> 33)
            )
        }
        return ByteBuffer(bytes: bytes)
    }

    @Test(arguments: codecs, [0, 1, 4095, 4096, 4097, 3 * 4096 + 7, 100_000])
    func wholeObjectsRoundTrip(codec: ObjectCodec, count: Int) throws {
        let plain = Self.sample(count)
        let stored = try Self.encodeFramed(plain, codec: codec, context: Array("binlogs/x.seg".utf8))
        #expect(ObjectCodec.looksEncoded(stored))
        let decoded = try codec.decode(stored, context: Array("binlogs/x.seg".utf8), object: "s3://b/x.seg")
        #expect(decoded == plain)
    }

    @Test(arguments: codecs)
    func streamsInAnyPieces(codec: ObjectCodec) throws {
        let plain = Self.sample(20_000, seed: 7)
        let encoder = codec.makeEncoder(context: [1, 2, 3])
        var stored = ByteBuffer()
        var rest = plain
        var pieceSize = 1
        while rest.readableBytes > 0 {
            var piece = rest.readSlice(length: min(pieceSize, rest.readableBytes))!
            var out = try encoder.encode(piece)
            stored.writeBuffer(&out)
            piece.clear()
            pieceSize = pieceSize * 3 % 5003 + 1
        }
        var last = try encoder.finish()
        stored.writeBuffer(&last)
        // Decoded a byte at a time: plain bytes come out frame by frame, and only whole frames.
        let decoder = codec.makeDecoder(context: [1, 2, 3])
        var plainOut = ByteBuffer()
        var largestStep = 0
        for byte in stored.readableBytesView {
            var out = try decoder.decode(ByteBuffer(bytes: [byte]))
            largestStep = max(largestStep, out.readableBytes)
            plainOut.writeBuffer(&out)
        }
        try decoder.finish()
        #expect(plainOut == plain)
        #expect(largestStep == codec.frameSize)
    }

    @Test func theEncoderHoldsOneFullFrameUntilItKnowsWhetherItIsTheLast() throws {
        let codec = ObjectCodec(compression: .zstd, key: Self.key, frameSize: 4096)
        let encoder = codec.makeEncoder()
        var stored = try encoder.encode(Self.sample(10 * 4096))
        #expect(try ObjectCodecTamperTests.frames(of: stored, complete: false).count == 9)
        var last = try encoder.finish()
        #expect(try ObjectCodecTamperTests.frames(of: last, complete: false, header: false).count == 1)
        stored.writeBuffer(&last)
        let frames = try ObjectCodecTamperTests.frames(of: stored)
        #expect(frames.map(\.isFinal) == Array(repeating: false, count: 9) + [true])
        #expect(try codec.decode(stored) == Self.sample(10 * 4096))
    }

    @Test func aLimitBoundsThePlainBytesOutWhateverTheCompression() throws {
        let codec = ObjectCodec(compression: .zstd, key: Self.key, frameSize: 4096)
        let plain = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "z"), count: 100 * 4096 + 17))
        let stored = try codec.encode(plain)
        #expect(stored.readableBytes < 8192, "\(stored.readableBytes)")
        let decoder = codec.makeDecoder()
        var out = try decoder.decode(stored, limit: 10_000)  // every frame is here; three come out
        var joined = ByteBuffer()
        var steps = 0
        while out.readableBytes > 0 {
            #expect(out.readableBytes <= 10_000 + 4096)
            joined.writeBuffer(&out)
            out = try decoder.decode(ByteBuffer(), limit: 10_000)
            steps += 1
        }
        try decoder.finish()
        #expect(joined == plain && steps == 34)
    }

    @Test func compressionShrinksTextAndNoiseCostsOnlyTheFraming() throws {
        let codec = ObjectCodec(compression: .zstd, key: Self.key)
        let text = ByteBuffer(
            bytes: Array(repeating: Array("INSERT INTO t VALUES (1, 'abc');\n".utf8), count: 30_000).joined()
        )
        let storedText = try codec.encode(text)
        #expect(storedText.readableBytes * 10 < text.readableBytes)
        var generator = SystemRandomNumberGenerator()
        let noise = ByteBuffer(bytes: (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let storedNoise = try codec.encode(noise)
        // Header 40, then per 1 MiB frame: 9 bytes of frame header and a 16-byte tag (3 frames + the final one).
        #expect(storedNoise.readableBytes == noise.readableBytes + 40 + 3 * (9 + 16))
        #expect(try codec.decode(storedNoise) == noise)
    }

    @Test func everyObjectHasItsOwnSaltSoEqualInputsDoNotShowAsEqual() throws {
        let codec = ObjectCodec(compression: .zstd, key: Self.key)
        let plain = Self.sample(5000)
        let first = try codec.encode(plain)
        let second = try codec.encode(plain)
        #expect(first != second)
        #expect(first.readableBytes == second.readableBytes)
        // Not the plain bytes, not even compressed plain bytes: nothing of the text shows through.
        let storedBytes = Array(first.readableBytesView)
        #expect(
            !storedBytes.indices.dropLast(16).contains {
                Array(storedBytes[$0..<($0 + 16)]) == Array("abcdefgabcdefgab".utf8)
            }
        )
    }

    @Test func theHeaderAndMetadataNameTheCodecAndTheKey() throws {
        let codec = ObjectCodec(compression: .zstd, key: Self.key)
        let encoding = try #require(codec.encoding)
        #expect(
            encoding.metadata == [
                "rewind-codec": "1", "rewind-compression": "zstd", "rewind-encryption": "aes-256-gcm",
                "rewind-key-id": Self.key.id,
            ]
        )
        #expect(try ObjectEncoding(metadata: encoding.metadata) == encoding)
        #expect(try ObjectEncoding(metadata: ["sha256": "x"]) == nil)
        #expect(throws: ObjectCodecError.self) { try ObjectEncoding(metadata: ["rewind-codec": "9"]) }
        let decoder = ObjectCodec.plain.makeDecoder()
        _ = try? decoder.decode(try codec.encode(Self.sample(10)))
        #expect(decoder.encoding == encoding)
        #expect(ObjectCodec.plain.encoding == nil)
        #expect(try ObjectCodec.plain.encode(Self.sample(10)) == Self.sample(10))
    }

    /// Encodes even with neither compression nor key (``ObjectCodec/encode(_:context:)`` would store as is).
    static func encodeFramed(_ plain: ByteBuffer, codec: ObjectCodec, context: [UInt8]) throws -> ByteBuffer {
        let encoder = codec.makeEncoder(context: context)
        var stored = try encoder.encode(plain)
        var rest = try encoder.finish()
        stored.writeBuffer(&rest)
        return stored
    }
}
