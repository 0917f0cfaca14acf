/// Output of `kubectl logs POD [-c CONTAINER] [--previous]`, or a log file given by hand (then `pod` may be `nil`,
/// meaning "any pod").
package struct ContainerLog: Hashable, Sendable {
    package var pod: String?
    package var container: String?
    /// From `--previous`: the run that crashed.
    package var previous: Bool
    package var text: String

    package init(pod: String?, container: String? = nil, previous: Bool = false, text: String) {
        self.pod = pod
        self.container = container
        self.previous = previous
        self.text = text
    }

    /// The last `count` non-empty lines.
    package func tail(_ count: Int) -> [String] {
        Array(self.text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }.suffix(count))
    }
}
