import NIOCore

/// `RAND_EVENT` (13): the seeds of `RAND()` for the next statement-based query.
///
///     ┌───────────┬───────────┐
///     │ seed1 (8) │ seed2 (8) │
///     └───────────┴───────────┘
public struct RandEvent: Hashable, Sendable {
    public var seed1: UInt64
    public var seed2: UInt64

    public init(seed1: UInt64, seed2: UInt64) {
        self.seed1 = seed1
        self.seed2 = seed2
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        Self(
            seed1: try body.readLittleEndian(UInt64.self, field: "seed1"),
            seed2: try body.readLittleEndian(UInt64.self, field: "seed2"))
    }
}
