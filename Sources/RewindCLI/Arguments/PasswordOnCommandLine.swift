import ArgumentParser

/// The `mysql` client's ways of putting a password on the command line (`--password=X`, `-pX`), which Rewind
/// refuses before the argument parser sees them: the parser's own errors would print the password back, and a
/// password in the arguments is visible to every user of the machine (`ps`, `/proc/PID/cmdline`).
enum PasswordOnCommandLine {
    /// How to give a password instead.
    static let advice =
        "pass it in MYSQL_PWD, in the [client] group of a --defaults-file, --defaults-extra-file or ~/.my.cnf "
        + "(password=...), or give -p / --password alone to be prompted for it"

    /// The commands that take connection options and no positional argument.
    static let commandsWithoutPositionals: [[String]] = [
        ["status"], ["binlog", "archive"], ["checksum"], ["backup", "create"], ["restore"],
    ]

    /// The words that follow `-p` or `--password` in `arguments`: when the parser rejects one of them (a command
    /// that also takes positional arguments), its message would print what may be a password.
    static func wordsAfterPasswordFlags(_ arguments: [String]) -> [String] {
        arguments.indices.compactMap { index in
            guard arguments[index] == "-p" || arguments[index] == "--password", index + 1 < arguments.count,
                !arguments[index + 1].hasPrefix("-")
            else { return nil }
            return arguments[index + 1]
        }
    }

    /// Checks `arguments` (without the program name).
    ///
    /// - Throws: `ValidationError` naming the form used, never the value, when an argument carries a password.
    static func check(_ arguments: [String]) throws {
        // `status` and `binlog archive` take no positional argument: a word right after `-p` can only be a
        // password typed as `-p secret` (the parser would print it back as an unexpected argument).
        let takesNoPositional = Self.commandsWithoutPositionals.contains { arguments.starts(with: $0) }
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
