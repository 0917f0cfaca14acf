import ArgumentParser

/// The `mysql` client's ways of putting a password on the command line (`--password=X`, `-pX`), which Rewind
/// refuses before the argument parser sees them: the parser's own errors would print the password back, and a
/// password in the arguments is visible to every user of the machine (`ps`, `/proc/PID/cmdline`).
enum PasswordOnCommandLine {
    /// How to give a password instead.
    static let advice =
        "pass it in MYSQL_PWD, in the [client] group of a --defaults-file, --defaults-extra-file or ~/.my.cnf "
        + "(password=...), or give -p / --password alone to be prompted for it"

    /// Checks `arguments` (without the program name).
    ///
    /// - Throws: `ValidationError` naming the form used, never the value, when an argument carries a password.
    static func check(_ arguments: [String]) throws {
        // `status` and `binlog archive` take no positional argument: a word right after `-p` can only be a
        // password typed as `-p secret` (the parser would print it back as an unexpected argument).
        let takesNoPositional = arguments.first == "status" || arguments.prefix(2) == ["binlog", "archive"]
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return }  // what follows is a file name, not an option
            let form: String
            if argument.hasPrefix("--password=") || argument.hasPrefix("--pass=") {
                form = "--password=..."
            } else if argument.hasPrefix("-p"), argument.count > 2, !argument.hasPrefix("--") {
                form = "-p<password>"
            } else if takesNoPositional, argument == "-p" || argument == "--password", index + 1 < arguments.count,
                !arguments[index + 1].hasPrefix("-")
            {
                form = "\(argument) <password>"
            } else {
                continue
            }
            throw ValidationError(
                "a password on the command line (\(form)) is refused: every user of this machine can read it "
                    + "in the process list; \(Self.advice).")
        }
    }
}
