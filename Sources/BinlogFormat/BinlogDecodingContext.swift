/// What a reader must remember between events: the format description (header size, post-header sizes,
/// checksum) and the table maps that ROWS events refer to. Explicit state, never global.
public struct BinlogDecodingContext: Sendable {
    public var formatDescription: FormatDescriptionEvent
    /// Table maps by table id, as the last TABLE_MAP for each id said.
    public var tableMaps: [UInt64: TableMapEvent]
    /// Whether CRC32 trailers are verified (`--verify-checksums`, on by default).
    public var verifiesChecksums: Bool
    /// `true` once a START_ENCRYPTION event was seen: the events after it cannot be read.
    public var isEncrypted: Bool

    public init(formatDescription: FormatDescriptionEvent = .bootstrap, verifiesChecksums: Bool = true) {
        self.formatDescription = formatDescription
        self.tableMaps = [:]
        self.verifiesChecksums = verifiesChecksums
        self.isEncrypted = false
    }

    /// The table map a ROWS event refers to.
    public func tableMap(for event: RowsEvent) -> TableMapEvent? { self.tableMaps[event.tableID] }
}
