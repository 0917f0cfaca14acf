import ArgumentParser
import Foundation
import Logging
import MySQLWire
import Recovery

/// `rewind status`: whether a server's binlog setup allows point-in-time recovery.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Check that a server's binary log is set up for point-in-time recovery.",
        discussion: """
            Connects like the mysql client and checks log_bin, binlog_format, binlog_row_image, retention, GTIDs, \
            server_id, sync_binlog, innodb_flush_log_at_trx_commit, binlog_row_metadata and the binlog files, each \
            with OK, WARN or FAIL and the my.cnf change that fixes it. Exits with 0 when recovery is possible (OK or \
            WARN), 2 when a check fails, 1 when the server cannot be reached.

            --requirements prints the table these checks come from (no server needed); with --format json it is \
            what the deploy validation checks my.cnf files against (deploy/pitr-requirements.json).
            """
    )

    /// `--format`.
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Print what point-in-time recovery needs of a server (the checks' table) and exit; no connection.")
    var requirements = false

    func run() async throws {
        if self.requirements {
            switch self.format {
            case .text: print(StatusTextRenderer.render(PITRRequirement.table), terminator: "")
            case .json: print(try StatusTextRenderer.json(PITRRequirement.table))
            }
            return
        }
        let configuration = try self.connection.makeConfiguration()
        var logger = Logger(label: "rewind.status")
        logger.logLevel = .warning
        let readiness: PITRReadiness
        do {
            let snapshot = try await MySQLConnection.withConnection(configuration: configuration, logger: logger) {
                try await $0.serverStatusSnapshot()
            }
            readiness = PITRReadiness.evaluate(snapshot)
        } catch let error as MySQLError {
            FileHandle.standardError.write(Data("rewind status: \(error)\n".utf8))
            throw ExitCode(1)
        }
        switch self.format {
        case .text:
            print(StatusTextRenderer.render(readiness, server: configuration.endpoint.description), terminator: "")
        case .json: print(try StatusTextRenderer.json(readiness))
        }
        if !readiness.isPITRPossible { throw ExitCode(2) }
    }
}

/// Text and JSON forms of a ``PITRReadiness`` report.
enum StatusTextRenderer {
    static func render(_ readiness: PITRReadiness, server: String) -> String {
        var text = "Server \(server): \(readiness.serverVersion)\n"
        if let file = readiness.currentFile {
            text += "Current binlog: \(file) at \(readiness.currentPosition.map(String.init) ?? "?")\n"
        }
        if let gtid = readiness.gtidSet, !gtid.isEmpty { text += "GTID set: \(gtid)\n" }
        text += "\n"
        let width = readiness.checks.map(\.name.count).max() ?? 0
        for check in readiness.checks {
            let level = check.level.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
            let name = check.name.padding(toLength: width, withPad: " ", startingAt: 0)
            text += "\(level) \(name)  \(check.value): \(check.message)\n"
            if let fix = check.fix {
                for (index, line) in fix.split(separator: "\n").enumerated() {
                    text +=
                        String(repeating: " ", count: 6 + width)
                        + (index == 0 ? "  fix in my.cnf [mysqld]: " : "                          ") + line + "\n"
                }
            }
        }
        if !readiness.binaryLogs.isEmpty {
            text += "\nBinary logs:\n"
            let nameWidth = readiness.binaryLogs.map(\.name.count).max() ?? 0
            for log in readiness.binaryLogs {
                text += "  \(log.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(log.size) bytes\n"
            }
        }
        text += "\n"
        switch readiness.overall {
        case .ok: text += "Point-in-time recovery: possible.\n"
        case .warn: text += "Point-in-time recovery: possible, with warnings.\n"
        case .fail: text += "Point-in-time recovery: NOT possible until the FAIL items are fixed.\n"
        }
        return text
    }

    /// The requirements table as text: setting, what it needs, on which servers, why.
    static func render(_ table: [PITRRequirement]) -> String {
        let width = table.map(\.setting.count).max() ?? 0
        var text = ""
        for requirement in table {
            let needed: String
            switch requirement.expectation {
            case .value(let value): needed = "= \(value)"
            case .enabled: needed = "= ON"
            case .nonZero: needed = "not 0"
            case .anyValue: needed = "set"
            case .retention: needed = ">= 1 day"
            }
            let servers = requirement.servers == .all ? "" : " (\(requirement.servers.rawValue) only)"
            text += requirement.setting.padding(toLength: width, withPad: " ", startingAt: 0)
            text += "  \(needed.padding(toLength: 9, withPad: " ", startingAt: 0)) "
            text +=
                requirement.expectation == .anyValue
                ? "any value\(servers): \(requirement.whenRight)\n"
                : "\(requirement.levelWhenWrong.rawValue) when not\(servers): \(requirement.whenWrong)\n"
        }
        return text
    }

    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // one JSON style: snake_case keys everywhere
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
