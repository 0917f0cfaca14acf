import ArgumentParser
import Foundation
import MySQLWire
import Testing

@testable import RewindCLI

/// A typo in ssl-mode must never mean PREFERRED (plaintext): an unknown value in an option file is an error naming
/// the file and line, as the command line already refuses it; a CA alone means VERIFY_CA.
@Suite struct SSLModeOptionTests {
    static func configuration(defaults text: String, _ arguments: [String] = []) throws -> MySQLConnection.Configuration
    {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-ssl-\(UUID()).cnf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let status = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-file", path] + arguments) as? StatusCommand
        )
        return try status.connection.makeConfiguration(environment: [:])
    }

    @Test(arguments: ["REQUIRD", "VERIFY-CA", "verify_idenity", "on", ""])
    func anUnknownModeInTheOptionFileNamesTheFileAndLine(value: String) throws {
        let text = "# rewind\n[client]\nuser = app\n\nssl-mode = \(value)\n"
        let error = #expect(throws: ValidationError.self) { _ = try Self.configuration(defaults: text) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("line 5"), "\(message)")
        #expect(message.contains("rewind-ssl-") && message.contains(".cnf"), "\(message)")
        #expect(message.contains("VERIFY_IDENTITY"), "the valid values are listed: \(message)")
    }

    @Test func aKnownModeInTheOptionFileIsUsedAndTheCommandLineWins() throws {
        #expect(try Self.configuration(defaults: "[client]\nssl_mode=verify_ca\n").tls.mode == .verifyCA)
        #expect(
            try Self.configuration(defaults: "[client]\nssl-mode=REQUIRD\n", ["--ssl-mode", "DISABLED"]).tls.mode
                == .disabled)
    }

    @Test func aCAWithoutAModeMeansVerifyCA() throws {
        // A CA file that exists (one that does not is refused before any connection: ConnectionOptionsTests).
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-ca-\(UUID()).pem").path
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: ca, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: ca) }
        #expect(try Self.configuration(defaults: "[client]\nssl-ca=\(ca)\n").tls.mode == .verifyCA)
        #expect(try Self.configuration(defaults: "[client]\n", ["--ssl-ca", ca]).tls.mode == .verifyCA)
        #expect(try Self.configuration(defaults: "[client]\n").tls.mode == .preferred)
    }

    @Test func theCommandLineRejectsTheSameTypo() {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["status", "--ssl-mode", "REQUIRD"]) }
    }
}
