#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BackupStoreError {
    /// An I/O failure on `path` with `errno`'s reason.
    static func io(_ what: String, path: String) -> BackupStoreError {
        let reason = String(cString: strerror(errno))
        var hint = ""
        if errno == EACCES || errno == EROFS || errno == EPERM {
            hint = "; check that the directory is writable by this user"
        } else if errno == ENOSPC {
            hint = "; free some space or choose another --to directory"
        }
        return BackupStoreError(.io, "\(what) \(path): \(reason)\(hint)")
    }
}
