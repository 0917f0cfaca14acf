import Foundation

/// Backup ids: the UTC start time, `YYYYMMDDTHHMMSSZ`, which also sorts them by time.
public enum BackupID {
    public static func make(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Whether `name` looks like an id.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 16, bytes[8] == 0x54, bytes[15] == 0x5A else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 8 || index == 15 || (0x30...0x39).contains(byte)
        }
    }
}
