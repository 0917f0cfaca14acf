/// Why `rewind doctor` could not read its input (a file, a directory or kubectl). Never carries secrets: kubectl's
/// stderr is shown, its stdout (which may hold Secret data) is not.
package struct DoctorInputError: Error, Hashable, Sendable, CustomStringConvertible {
    package var reason: String
    package var path: String?
    /// kubectl's last line of stderr, when the error comes from kubectl.
    package var lastLine = ""

    /// kubectl was refused by RBAC (`Error from server (Forbidden): ... is forbidden: User ... cannot list`).
    package var isForbidden: Bool { self.lastLine.contains("(Forbidden)") || self.lastLine.contains("is forbidden") }

    package init(_ reason: String, path: String? = nil) {
        self.reason = reason
        self.path = path
    }

    package var description: String { self.path.map { "\($0): \(self.reason)" } ?? self.reason }
}
