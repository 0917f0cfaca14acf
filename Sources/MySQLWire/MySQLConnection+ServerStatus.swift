extension MySQLConnection {
    /// Reads what ``PITRReadiness/evaluate(_:)`` checks: version, binlog variables, current coordinates, binlog files.
    ///
    /// - Throws: ``MySQLError`` when a query fails for another reason than binary logging being off.
    public func serverStatusSnapshot() async throws -> ServerStatusSnapshot {
        let names = ServerStatusSnapshot.variableNames.map { "'\($0)'" }.joined(separator: ",")
        var variables: [String: String] = [:]
        for row in try await self.rows("SHOW GLOBAL VARIABLES WHERE Variable_name IN (\(names))") {
            if let name = row[0].string, let value = row[1].string { variables[name.lowercased()] = value }
        }
        let version = try await self.rows("SELECT VERSION()").first?[0].string ?? self.serverVersion
        var snapshot = ServerStatusSnapshot(version: version, variables: variables)

        let statusQueries = self.isMariaDB ? ["SHOW MASTER STATUS"] : ["SHOW BINARY LOG STATUS", "SHOW MASTER STATUS"]
        for sql in statusQueries {
            do {
                if let row = try await self.rows(sql).first {
                    snapshot.currentFile = row[0].string
                    snapshot.currentPosition = row[1].uint64
                }
                break
            } catch let error as MySQLError where error.code == .server {
                continue  // MySQL before 8.2 lacks SHOW BINARY LOG STATUS; 8.4 lacks SHOW MASTER STATUS
            }
        }

        do {
            snapshot.binaryLogs = try await self.rows("SHOW BINARY LOGS").compactMap { row in
                guard let name = row[0].string, let size = row[1].uint64 else { return nil }
                return ServerStatusSnapshot.BinaryLog(name: name, size: size)
            }
        } catch let error as MySQLError where error.serverError?.code == ServerErrorCode.noBinaryLogging {
            snapshot.binaryLogs = []
        }
        return snapshot
    }
}
