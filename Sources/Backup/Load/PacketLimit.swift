import MySQLWire

/// Makes the target's `max_allowed_packet` large enough for the backup's longest statement: raises the global value
/// where the loader may (new connections get it) and puts it back afterwards, else refuses before loading.
struct PacketLimit {
    var original: UInt64
    var raisedTo: UInt64?

    static func ensure(manifest: BackupManifest, control: MySQLConnection, server: String) async throws -> PacketLimit {
        let rows = try await ServerErrors.during("reading max_allowed_packet", server: server) {
            try await control.rows("SELECT @@GLOBAL.max_allowed_packet")
        }
        let current = rows.first?[0].uint64 ?? 0
        var largest: (table: String, bytes: Int) = ("", 0)
        for table in manifest.tables {
            for chunk in table.chunks where chunk.maxStatementBytes > largest.bytes {
                largest = (table.qualifiedName, chunk.maxStatementBytes)
            }
        }
        let needed = UInt64(largest.bytes) + 1024
        guard needed > current else { return PacketLimit(original: current, raisedTo: nil) }
        let target = (needed + 1023) / 1024 * 1024
        do {
            _ = try await control.query("SET GLOBAL max_allowed_packet = \(target)")
        } catch let error as MySQLError {
            throw BackupError(
                .packetTooSmall,
                "\(largest.table) has a row of \(largest.bytes) bytes as SQL, more than the target \(server)'s "
                    + "max_allowed_packet (\(current)), and the loader may not raise it (\(error.serverError?.message ?? "\(error)")): "
                    + "set max_allowed_packet = \(target) or more on the target, or load as a user with SUPER"
            )
        }
        return PacketLimit(original: current, raisedTo: target)
    }

    func restore(_ control: MySQLConnection) async throws {
        guard self.raisedTo != nil else { return }
        _ = try await control.query("SET GLOBAL max_allowed_packet = \(self.original)")
    }
}
