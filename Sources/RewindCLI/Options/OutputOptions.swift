import ArgumentParser

/// `--format` and `--timezone`, shared by every listing.
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Output format: text, or json (one object per line; schemas: binlog show and stats in "
                + "docs/binlog-json.md, timeline in docs/timeline.md)."))
    var format: OutputFormat = .text

    @Option(help: "Time zone for printed and parsed times: UTC, SYSTEM, +HH:MM or an IANA name.")
    var timezone: TimeZoneArgument = .utc
}
