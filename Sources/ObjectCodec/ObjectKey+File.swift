import Foundation

extension ObjectKey {
    /// The key in a file: 32 raw bytes (`head -c 32 /dev/urandom`), 64 hex digits (`openssl rand -hex 32`) or 44
    /// base64 characters (`openssl rand -base64 32`), the text forms with or without a trailing newline. A
    /// Kubernetes Secret mounted as a file works as it is.
    ///
    /// - Throws: ``ObjectCodecError`` (`badKey`) naming the file, never its content.
    package static func load(path: String) throws -> ObjectKey {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ObjectCodecError(
                .badKey,
                "cannot read the encryption key file \(path); check the path (--encryption-key-file or "
                    + "\(Self.environmentVariable)) and that this user may read it"
            )
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 4096)) ?? Data()
        if let key = Self.parse(Array(data)) { return key }
        throw ObjectCodecError(
            .badKey,
            "the encryption key file \(path) holds no 256-bit key (\(data.count) bytes): it must be 32 raw bytes, "
                + "64 hex digits or 44 base64 characters; make one with `openssl rand -hex 32 > FILE`"
        )
    }

    /// The key `--encryption-key-file` names, else the file `REWIND_ENCRYPTION_KEY_FILE` names, else `nil`.
    ///
    /// - Throws: ``ObjectCodecError`` (`badKey`) when the file named cannot be read or holds no key.
    package static func resolve(path: String?, environment: [String: String]) throws -> ObjectKey? {
        if let path { return try Self.load(path: path) }
        if let path = environment[Self.environmentVariable], !path.isEmpty { return try Self.load(path: path) }
        return nil
    }

    static func parse(_ bytes: [UInt8]) -> ObjectKey? {
        if bytes.count == Self.byteCount { return try? ObjectKey(bytes: bytes) }
        var text = bytes[...]
        while let last = text.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { text = text.dropLast() }
        if text.count == 2 * Self.byteCount, let raw = Self.bytes(hex: text) { return try? ObjectKey(bytes: raw) }
        if text.count == 44, let raw = Data(base64Encoded: Data(text)), raw.count == Self.byteCount {
            return try? ObjectKey(bytes: Array(raw))
        }
        return nil
    }

    private static func bytes(hex text: ArraySlice<UInt8>) -> [UInt8]? {
        func nibble(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
