import Logging
import MySQLWire
import RewindTestSupport
import Testing

extension SandboxServer {
    /// The sandbox from the environment; a failure (not a skip) when it is missing, since the suites only run when
    /// ``SandboxServer/shouldRun`` says so (always under CI).
    static func required() throws -> SandboxServer {
        try #require(SandboxServer.fromEnvironment, "REWIND_MYSQL_* is not set: run `eval $(scripts/sandbox env)`")
    }
}

let testLogger = Logger(label: "rewind.tests.mysqlwire")
