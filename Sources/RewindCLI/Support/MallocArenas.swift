#if canImport(Glibc)
    import Glibc
#endif

/// Caps glibc's malloc arenas at two, unless `MALLOC_ARENA_MAX` is set.
///
/// glibc gives each thread that allocates under contention an arena of its own (up to 8 per core) and keeps what was
/// freed in it: with SwiftNIO's event loops and the concurrency pool moving buffers between threads, a parallel
/// restore held about 130 MiB of mostly free memory where two arenas hold about 115 MiB, and a restore on one
/// connection 89 MiB where two arenas hold 71 MiB (bench/restore, same input), at no measurable cost in speed.
enum MallocArenas {
    static func limit() {
        #if canImport(Glibc)
            guard getenv("MALLOC_ARENA_MAX") == nil else { return }
            self.mallopt(-8, 2)  // M_ARENA_MAX is -8 in malloc.h
        #endif
    }

    /// glibc's `mallopt(parameter, value)`: it is in glibc but not in Swift's Glibc module, so it is found at run time.
    static func mallopt(_ parameter: Int32, _ value: Int32) {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: Mallopt.self)(parameter, value)
        #endif
    }
}
