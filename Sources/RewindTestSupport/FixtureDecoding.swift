import BinlogFormat
import Foundation
import NIOCore

/// Decodes whole fixture files for tests (the production reader is Recovery's `LocalBinlogFile`).
package enum FixtureDecoding {
    /// The result of reading one file to its end or its first error.
    package struct Result {
        package var records: [BinlogEventRecord] = []
        package var error: BinlogDecodingError?
        package var skipped: [BinlogDecodingError] = []
        package var contexts: [BinlogDecodingContext] = []
    }

    /// Decodes `bytes` (a whole binlog file), feeding it in chunks of `chunkSize` to exercise the framer.
    package static func decode(
        bytes: [UInt8], name: String = "fixture", chunkSize: Int = 4096, forceRead: Bool = false,
        keepContexts: Bool = false, verifyChecksums: Bool = true
    ) -> Result {
        var result = Result()
        var decoder = BinlogStreamDecoder(
            fileName: name, context: BinlogDecodingContext(verifiesChecksums: verifyChecksums), forceRead: forceRead)
        var offset = 0
        do {
            while true {
                while let record = try decoder.next() {
                    result.records.append(record)
                    if keepContexts { result.contexts.append(decoder.context) }
                }
                if offset >= bytes.count { break }
                let end = min(bytes.count, offset + chunkSize)
                decoder.append(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            }
            try decoder.finish()
        } catch let error as BinlogDecodingError {
            result.error = error
        } catch {
            result.error = BinlogDecodingError(code: .malformed, reason: "unexpected error \(error)")
        }
        result.skipped = decoder.skippedErrors
        return result
    }

    /// Decodes a fixture file by its path relative to the corpus.
    package static func decode(fixture relative: String, forceRead: Bool = false, keepContexts: Bool = false) throws
        -> Result
    {
        var data = try Fixtures.data(relative)
        if relative.hasSuffix(".gz") { data = try gunzip(data) }
        return decode(bytes: Array(data), name: relative, forceRead: forceRead, keepContexts: keepContexts)
    }

    /// Decompresses a gzip file with the system's gzip.
    package static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return result
    }
}
