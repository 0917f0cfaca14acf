/// Counts with the right noun form for messages: "1 event", "2 events".
enum Plural {
    /// `count` and `noun`, with an `s` unless `count` is 1 (nouns here are regular).
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
