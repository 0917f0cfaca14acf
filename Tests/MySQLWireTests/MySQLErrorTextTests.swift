import Testing

@testable import MySQLWire

/// A server without a binary log says so in words that say what to do, after the server's own message.
@Suite struct MySQLErrorTextTests {
    @Test(arguments: [
        (ServerErrorCode.noBinaryLogging, "You are not using binary logging", true),
        (ServerErrorCode.binlogDumpFailed, "Binary log is not open", true),
        (ServerErrorCode.binlogDumpFailed, "Could not find first log file name in binary log index file", false),
    ])
    func binlogOffIsExplained(code: UInt16, message: String, explained: Bool) {
        var error = MySQLError(code: .server, reason: message)
        error.serverError = MySQLError.ServerError(code: code, sqlState: "HY000", message: message)
        let text = error.description
        #expect(text.contains("ERROR \(code) (HY000): \(message)"))
        #expect(text.contains("log_bin is off") == explained)
    }
}
