import Foundation

/// Binlog data that the archive does not have and cannot get any more: the server purged it first.
public struct ArchiveGap: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The last archived file before the gap and the offset archived of it.
    public var afterFile: String?
    public var afterPosition: UInt64?
    /// Files that were never archived, when their names are known from the numbering.
    public var missingFiles: [String]
    /// Where the archive went on.
    public var resumedAt: String
    public var detectedAt: Date
    public var reason: String

    public init(
        afterFile: String?,
        afterPosition: UInt64?,
        missingFiles: [String],
        resumedAt: String,
        detectedAt: Date = Date(),
        reason: String
    ) {
        self.afterFile = afterFile
        self.afterPosition = afterPosition
        self.missingFiles = missingFiles
        self.resumedAt = resumedAt
        self.detectedAt = detectedAt
        self.reason = reason
    }

    public var description: String {
        var text = "gap"
        if let afterFile { text += " after \(afterFile)" + (afterPosition.map { " at \($0)" } ?? "") }
        if !self.missingFiles.isEmpty { text += ", missing \(self.missingFiles.joined(separator: ", "))" }
        return text + ", resumed at \(self.resumedAt): \(self.reason)"
    }
}
