import ArgumentParser
import Foundation
import MySQLWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How to reach a server, with the `mysql` client's option names.
///
/// Precedence, highest first: the command line, the option files (`[rewind]`, then `[client]`), the
/// environment (`MYSQL_HOST`, `MYSQL_TCP_PORT` or `MYSQL_PORT`, `MYSQL_UNIX_PORT`, `MYSQL_USER`, `MYSQL_PWD`)
/// then the defaults (`127.0.0.1:3306`, the login user). The option files are, as the `mysql` client reads
/// them: `--defaults-file` (or, without it, `~/.my.cnf`), then `--defaults-extra-file` (a later file wins);
/// none with `--no-defaults`. A password is never taken from the command line: `--password` prompts on
/// the terminal.
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customLong("host"), .customShort("h")], help: "Server host name or IP address.")
    var host: String?

    @Option(name: [.customLong("port"), .customShort("P")], help: "TCP port (3306 when not given).")
    var port: Int?

    @Option(name: [.customLong("socket"), .customShort("S")], help: "Unix socket path (instead of TCP).")
    var socket: String?

    @Option(name: [.customLong("user"), .customShort("u")], help: "User name (default: the login user).")
    var user: String?

    @Flag(
        name: [.customLong("password"), .customShort("p")],
        help: "Prompt for the password on the terminal (else MYSQL_PWD or the defaults file's password=)."
    )
    var promptForPassword = false

    @Option(
        name: .customLong("defaults-file"),
        help: "Read [client] options (host, port, user, password, …) from this file only (not ~/.my.cnf)."
    )
    var defaultsFile: String?

    @Option(
        name: .customLong("defaults-extra-file"),
        help: "Read [client] options from this file after ~/.my.cnf (its values win)."
    )
    var defaultsExtraFile: String?

    @Flag(name: .customLong("no-defaults"), help: "Read no option file (not even ~/.my.cnf).")
    var noDefaults = false

    @Option(
        name: .customLong("ssl-mode"),
        help: "DISABLED, PREFERRED (default), REQUIRED, VERIFY_CA or VERIFY_IDENTITY."
    )
    var sslMode: MySQLConnection.TLS.Mode?

    @Option(name: .customLong("ssl-ca"), help: "PEM file of the CA certificates to trust.")
    var sslCA: String?

    @Option(name: .customLong("ssl-cert"), help: "Client certificate (PEM).")
    var sslCert: String?

    @Option(name: .customLong("ssl-key"), help: "Client certificate key (PEM).")
    var sslKey: String?

    @Flag(
        name: .customLong("get-server-public-key"),
        help: "Ask the server for its RSA key (caching_sha2_password without TLS)."
    )
    var getServerPublicKey = false

    @Option(
        name: .customLong("server-public-key-path"),
        help: "The server's RSA public key (PEM) for caching_sha2_password."
    )
    var serverPublicKeyPath: String?

    @Option(
        name: .customLong("connect-timeout"), help: "Seconds to wait for the TCP connection, and again for the login.")
    var connectTimeout: Int = 10

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be 1…65535, not \(port)") }
        if self.connectTimeout <= 0 { throw ValidationError("--connect-timeout must be positive") }
        if self.noDefaults && (self.defaultsFile != nil || self.defaultsExtraFile != nil) {
            throw ValidationError("--no-defaults reads no option file: drop it or the --defaults-… option")
        }
        if (self.sslCert == nil) != (self.sslKey == nil) {
            throw ValidationError("--ssl-cert and --ssl-key go together")
        }
    }

    /// The connection configuration these options describe.
    ///
    /// - Throws: `ValidationError` when the defaults file cannot be read, or the password prompt has no terminal.
    func makeConfiguration(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws
        -> MySQLConnection.Configuration
    {
        let file = try self.optionFiles(home: environment["HOME"])
        // Environment, as the mysql client reads it (MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_UNIX_PORT) plus the
        // MYSQL_PORT / MYSQL_USER that deploy/'s manifests set from the Kubernetes Secret.
        let environmentPort = (environment["MYSQL_TCP_PORT"] ?? environment["MYSQL_PORT"]).flatMap(Int.init)
        let host = self.host ?? file.value("host") ?? environment["MYSQL_HOST"] ?? "127.0.0.1"
        let port = self.port ?? file.value("port").flatMap(Int.init) ?? environmentPort ?? 3306
        let socket =
            self.socket
            ?? (self.host == nil && self.port == nil ? file.value("socket") ?? environment["MYSQL_UNIX_PORT"] : nil)
        let user = self.user ?? file.value("user") ?? environment["MYSQL_USER"] ?? environment["USER"] ?? "root"

        var password = file.value("password") ?? environment["MYSQL_PWD"] ?? ""
        if self.promptForPassword { password = try Self.promptPassword(user: user) }

        let caFile = self.sslCA ?? file.value("ssl-ca")
        let certificateFile = self.sslCert ?? file.value("ssl-cert")
        let keyFile = self.sslKey ?? file.value("ssl-key")
        // A TLS file that cannot be read is named before any connection: otherwise the first thing said would be
        // about the server ("offers no TLS", a handshake failure), not about the path.
        for (option, commandLine, path) in [
            ("ssl-ca", self.sslCA, caFile), ("ssl-cert", self.sslCert, certificateFile),
            ("ssl-key", self.sslKey, keyFile),
        ] {
            guard let path, !FileManager.default.isReadableFile(atPath: path) else { continue }
            let origin = commandLine != nil ? "--\(option)" : "\(option) (from the option file)"
            throw ValidationError(
                "cannot read \(origin) \(path): check that the file exists and that you may read it")
        }
        let mode = try Self.sslMode(self.sslMode, file: file, path: self.defaultsFile, caFile: caFile)
        let tls = MySQLConnection.TLS(mode: mode, caFile: caFile, certificateFile: certificateFile, keyFile: keyFile)

        var publicKey: String?
        if let path = self.serverPublicKeyPath ?? file.value("server-public-key-path") {
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read --server-public-key-path \(path)")
            }
            publicKey = pem
        }
        let endpoint: MySQLConnection.Configuration.Endpoint =
            socket.map { .unixSocket(path: $0) } ?? .tcp(host: host, port: port)
        return MySQLConnection.Configuration(
            endpoint: endpoint,
            username: user,
            password: password,
            tls: tls,
            connectTimeout: .seconds(self.connectTimeout),
            serverPublicKeyPEM: publicKey,
            requestServerPublicKey: self.getServerPublicKey || file.value("get-server-public-key") != nil
        )
    }

    /// The option files' values, merged in the `mysql` client's order (a later file wins).
    ///
    /// - Throws: `ValidationError` when a file named on the command line cannot be read.
    func optionFiles(home: String?) throws -> MySQLOptionFile {
        if self.noDefaults { return MySQLOptionFile() }
        var merged = MySQLOptionFile()
        var files: [(file: MySQLOptionFile, path: String)] = []
        if let defaultsFile {
            files.append((try Self.read(defaultsFile, option: "--defaults-file"), defaultsFile))
        } else if let home, !home.isEmpty, let text = try? String(contentsOfFile: home + "/.my.cnf", encoding: .utf8) {
            files.append((MySQLOptionFile(parsing: text), home + "/.my.cnf"))
        }
        if let defaultsExtraFile {
            files.append((try Self.read(defaultsExtraFile, option: "--defaults-extra-file"), defaultsExtraFile))
        }
        for (file, path) in files {
            // A line the mysql client would refuse, or a port that is no port, is an error naming its file and
            // line: never a silent connection to some other server (127.0.0.1:3306).
            if let bad = file.malformedLines.first {
                throw ValidationError(
                    "\(path), line \(bad.line): \(bad.text) is neither a [group] header nor an option; fix the line "
                        + "(a group header is [client] or [rewind])")
            }
            if self.port == nil, let text = file.value("port"), !(Int(text).map { (1...65535).contains($0) } ?? false) {
                let line = file.lineNumber("port").map { ", line \($0)" } ?? ""
                throw ValidationError("\(path)\(line): port=\(text) is not a port number (1…65535)")
            }
            // A TLS mode that does not parse is an error naming its file and line, whichever file it is in
            // (unless the command line gives the mode, which wins).
            if self.sslMode == nil { _ = try Self.sslMode(nil, file: file, path: path, caFile: nil, warn: false) }
            merged.groups.merge(file.groups) { earlier, later in earlier.merging(later) { $1 } }
        }
        return merged
    }

    private static func read(_ path: String, option: String) throws -> MySQLOptionFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read \(option) \(path): check that the file exists and that you may read it")
        }
        return MySQLOptionFile(parsing: text)
    }

    /// The TLS mode: the command line's, else the option file's (an unknown value there is an error naming the file
    /// and line, never a silent PREFERRED), else VERIFY_CA when a CA is given (as the mysql client does), else
    /// PREFERRED. REQUIRED with a CA gets a warning: REQUIRED does not check the certificate.
    static func sslMode(
        _ commandLine: MySQLConnection.TLS.Mode?,
        file: MySQLOptionFile,
        path: String?,
        caFile: String?,
        warn: Bool = true
    ) throws -> MySQLConnection.TLS.Mode {
        var mode = commandLine
        if mode == nil, let text = file.value("ssl-mode") {
            guard let parsed = MySQLConnection.TLS.Mode(rawValue: text.uppercased()) else {
                let line = file.lineNumber("ssl-mode").map { ", line \($0)" } ?? ""
                throw ValidationError(
                    "\(path ?? "the option file")\(line): ssl-mode=\(text) is not a TLS mode; use one of "
                        + MySQLConnection.TLS.Mode.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            mode = parsed
        }
        let resolved = mode ?? (caFile != nil ? .verifyCA : .preferred)
        if warn, resolved == .required, caFile != nil {
            Diagnostics.print(
                "rewind: warning: ssl-mode REQUIRED encrypts but does not check the server's certificate against "
                    + "ssl-ca; use VERIFY_CA or VERIFY_IDENTITY to check it"
            )
        }
        return resolved
    }

    /// Reads the password from the terminal without echo.
    private static func promptPassword(user: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("--password prompts on a terminal; without one, set MYSQL_PWD or use --defaults-file")
        }
        guard let pointer = getpass("Enter password for \(user): ") else {
            throw ValidationError("cannot read the password from the terminal")
        }
        return String(cString: pointer)
    }
}

extension MySQLConnection.TLS.Mode: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}
