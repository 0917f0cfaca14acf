import ArgumentParser

/// `--format` and `--timezone`, shared by every listing.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text, or json (one object per line; schema in docs/binlog-json.md).")
    var format: OutputFormat = .text

    @Option(help: "Time zone for printed and parsed times: UTC, SYSTEM, +HH:MM or an IANA name.")
    var timezone: TimeZoneArgument = .utc
}
