import BinlogFormat
import Recovery

/// Prints events as `mysqlbinlog` does: `# at POS`, a header line, the statement text, and with `-v` the row
/// changes as `### INSERT INTO …` pseudo-SQL (column names, where the binlog has them, as `/* name */`).
struct EventTextRenderer {
    /// 0: no rows; 1: `-v` rows; 2: `-vv` rows with column types.
    var verbosity: Int
    /// Seconds east of UTC for the header timestamps.
    var utcOffset: Int64

    /// Row events at least this large are written in pieces when the output allows (``OutputSink/streaming(_:)``).
    static let streamedEventBytes = 16 << 20

    /// Prints `item`.
    ///
    /// - Parameter defaultDatabase: the database the output's last `use` set (empty: none), as
    ///   ``defaultDatabase(after:current:)`` works it out over the events before.
    func render(_ item: BinlogInspector.Item, defaultDatabase: [UInt8] = [], into out: inout OutputSink) throws {
        var database = defaultDatabase
        do {
            try self.render(item.record, context: item.context, atPosition: nil, database: &database, into: &out)
        } catch let error as BinlogDecodingError {
            // Rows decode here, long after the reader: name the file, as the reader's errors do.
            throw error.adding(
                eventType: item.record.header.type, position: item.record.position, fileName: item.fileName)
        }
    }

    private func render(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, atPosition: UInt64?, database: inout [UInt8],
        into out: inout OutputSink
    ) throws {
        let header = record.header
        // The header line of every event, written straight into the buffer (no String per event).
        let stamp = Int64(header.timestamp) + self.utcOffset
        out.append { buffer in
            buffer.append("# at ")
            buffer.appendDecimal(atPosition ?? record.position)
            buffer.append("\n#")
            TimeFormatting.appendMysqlbinlogStamp(stamp, to: &buffer)
            buffer.append(" server id ")
            buffer.appendDecimal(UInt64(header.serverID))
            buffer.append("  end_log_pos ")
            buffer.appendDecimal(UInt64(record.endPosition))
            if let checksum = record.checksum {
                buffer.append(" CRC32 0x")
                buffer.appendHex(UInt64(checksum), width: 8)
            }
            buffer.append(" \t")
        }
        switch record.event {
        case .formatDescription(let event):
            // As mysqlbinlog: the event's own time, and "at startup" when the server wrote a creation time.
            out.write(
                "Start: binlog v \(event.binlogVersion), server v \(event.serverVersion) created "
                    + TimeFormatting.mysqlbinlogStamp(Int64(header.timestamp) + self.utcOffset)
                    + (event.createTimestamp != 0 ? " at startup" : "")
                    + (header.flags & BinlogEventHeader.flagBinlogInUse != 0 ? " (binlog in use)" : "")
                    + " checksum \(event.checksumAlgorithm)\n")
        case .startV3(let event):
            out.write(
                "Start: binlog v \(event.binlogVersion), server v \(event.serverVersion) created "
                    + TimeFormatting.mysqlbinlogStamp(Int64(header.timestamp) + self.utcOffset)
                    + (event.createTimestamp != 0 ? " at startup" : "") + "\n")
        case .query(let query):
            out.write(
                "Query\tthread_id=\(query.threadID)\texec_time=\(query.executionTime)\terror_code=\(query.errorCode)")
            if let xid = query.status.mariadbXID ?? query.status.ddlXID { out.write("\txid=\(xid)") }
            out.write("\n")
            if Self.updateDefaultDatabase(query, flags: header.flags, current: &database) {
                out.write("use `")
                out.write(bytes: query.database)
                out.write("`/*!*/;\n")
            }
            out.write("SET TIMESTAMP=\(header.timestamp)")
            if let micros = query.status.microseconds ?? query.status.mariadbHighResolutionNow {
                out.write(".\(String(micros).leftPadded(6))")
            }
            out.write("/*!*/;\n")
            out.write(bytes: query.query)
            out.write("\n/*!*/;\n")
        case .stop:
            out.write("Stop\n")
        case .rotate(let event):
            out.write("Rotate to \(event.nextFileName)  pos: \(event.position)\n")
        case .intvar(let event):
            out.write("Intvar\nSET \(event.variableName)=\(event.value)/*!*/;\n")
        case .rand(let event):
            out.write("Rand\nSET @@RAND_SEED1=\(event.seed1), @@RAND_SEED2=\(event.seed2)/*!*/;\n")
        case .userVar(let event):
            out.write("User_var\nSET @`")
            out.write(bytes: event.name)
            out.write("`:=\(Self.userVarText(event.value))/*!*/;\n")
        case .xid(let event):
            out.write("Xid = \(event.xid)\nCOMMIT/*!*/;\n")
        case .tableMap(let map):
            out.write("Table_map: `\(map.database)`.`\(map.table)` mapped to number \(map.tableID)\n")
        case .rows(let rows):
            out.append { buffer in
                switch rows.kind {
                case .insert: buffer.append("Write_rows")
                case .update: buffer.append("Update_rows")
                case .delete: buffer.append("Delete_rows")
                }
                buffer.append(": table id ")
                buffer.appendDecimal(UInt64(rows.tableID))
                buffer.append(rows.isStatementEnd ? " flags: STMT_END_F\n" : "\n")
            }
            if self.verbosity > 0 {
                guard let map = context.tableMap(for: rows) else {
                    out.write("### (no table map for table id \(rows.tableID): rows not decoded)\n")
                    break
                }
                do {
                    let comments = self.columnComments(map)
                    var count = 0
                    if out.writesThrough && Int(header.eventSize) >= Self.streamedEventBytes {
                        // One huge event (``ParallelRenderer`` hands these to the output itself): its rows go out
                        // in pieces, not as one text of several times its size.
                        count = try out.streaming { stream in
                            try rows.appendVerboseRows(table: map, comments: comments, to: &stream)
                        }
                    } else {
                        try out.append { buffer in
                            count = try rows.appendVerboseRows(table: map, comments: comments, to: &buffer)
                        }
                    }
                    out.write("# Number of rows: \(count)\n")
                } catch let error as BinlogDecodingError {
                    throw error.adding(eventType: header.type, position: atPosition ?? record.position)
                }
            }
        case .incident(let event):
            out.write(
                "Incident: \(event.incident == 1 ? "LOST_EVENTS" : "incident \(event.incident)") \(event.message)\nRELOAD DATABASE; # Shall generate syntax error\n"
            )
        case .heartbeat(let event):
            out.write("Heartbeat \(event.logFileName)\(event.position.map { " pos \($0)" } ?? "")\n")
        case .ignorable(let type):
            out.write("Ignorable event type \(type.rawValue)\n")
        case .rowsQuery(let event):
            out.write("Rows_query\n# ")
            out.write(bytes: event.query, continuingLinesWith: "# ")
            out.write("\n")
        case .mariadbAnnotateRows(let event):
            out.write("Annotate_rows:\n#Q> ")
            out.write(bytes: event.query, continuingLinesWith: "#Q> ")
            out.write("\n")
        case .gtid(let event):
            if event.isAnonymous {
                out.write("Anonymous_GTID")
            } else {
                out.write("GTID")
            }
            if let last = event.lastCommitted, let sequence = event.sequenceNumber {
                out.write("\tlast_committed=\(last)\tsequence_number=\(sequence)")
            }
            out.write("\trbr_only=\(event.flags & 1 == 0 ? "yes" : "no")")
            if let micros = event.originalCommitTimestamp { out.write("\toriginal_committed_timestamp=\(micros)") }
            if let micros = event.immediateCommitTimestamp { out.write("\timmediate_commit_timestamp=\(micros)") }
            if let length = event.transactionLength { out.write("\ttransaction_length=\(length)") }
            out.write("\n")
            if let gtid = event.gtid {
                out.write("SET @@SESSION.GTID_NEXT= '\(gtid)'/*!*/;\n")
            } else {
                out.write("SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;\n")
            }
        case .previousGTIDs(let event):
            out.write("Previous-GTIDs\n# \(event.gtids)\n")
        case .xaPrepare(let event):
            out.write("XA PREPARE \(event.isOnePhase ? "ONE PHASE " : "")formatID=\(event.formatID)\n")
        case .transactionPayload(let payload):
            out.write(
                "Transaction_Payload\tpayload_size=\(payload.payloadSize)\tcompression_type=\(payload.compressionType == 0 ? "ZSTD" : "NONE")"
                    + "\tuncompressed_size=\(payload.uncompressedSize)\n## Start of compressed events!\n")
            for inner in payload.events {
                try self.render(inner, context: context, atPosition: record.position, database: &database, into: &out)
            }
            out.write("## End of compressed events!\n")
        case .loadData(let event):
            out.write("\(header.type.name)\tfile_id=\(event.fileID)\tblock_len=\(event.block.count)\n")
            if let query = event.query {
                out.write(bytes: query.query)
                out.write("\n/*!*/;\n")
            }
        case .groupReplication(let type, let bytes):
            out.write("\(type.name)\t\(bytes.count) bytes\n")
        case .mariadbBinlogCheckpoint(let event):
            out.write("Binlog checkpoint \(event.fileName)\n")
        case .mariadbGTID(let event):
            out.write("GTID \(event.gtid) \(event.isStandalone ? "ddl" : "trans")")
            if let commit = event.commitID { out.write(" cid=\(commit)") }
            out.write("\n")
        case .mariadbGTIDList(let event):
            out.write("Gtid list [\(event.gtids.map(\.description).joined(separator: ",\n# "))]\n")
        case .mariadbStartEncryption(let event):
            out.write("Start_encryption scheme=\(event.scheme) key_version=\(event.keyVersion)\n")
        case .unsupported(let type, let reason):
            out.write("\(type.name) (type \(type.rawValue)): not decoded: \(reason)\n")
        case .unknown(let type, let bytes):
            out.write("Unknown event type \(type.rawValue), \(bytes.readableBytes) bytes\n")
        }
    }

    /// `LOG_EVENT_SUPPRESS_USE_F` (0x8): the server asks readers not to print `use` for this statement (CREATE
    /// and DROP DATABASE carry the database they create or drop, which may not exist yet or any more).
    static let flagSuppressUse: UInt16 = 0x8

    /// Whether a `use` line goes before `query`, updating the database the output is in, as `mysqlbinlog` does:
    /// only when the statement's default database differs from the one set last, never for a statement
    /// flagged `LOG_EVENT_SUPPRESS_USE_F` (after which the next statement sets its database again).
    static func updateDefaultDatabase(_ query: QueryEvent, flags: UInt16, current: inout [UInt8]) -> Bool {
        if flags & Self.flagSuppressUse != 0 {
            if !(query.isBegin || query.isCommit || query.isRollback) { current = [] }
            return false
        }
        guard query.database != current else { return false }
        current = query.database
        return !query.database.isEmpty
    }

    /// The default database after `record` (and the events inside it, for a transaction payload).
    static func defaultDatabase(after record: BinlogEventRecord, current: [UInt8]) -> [UInt8] {
        var database = current
        switch record.event {
        case .query(let query):
            _ = Self.updateDefaultDatabase(query, flags: record.header.flags, current: &database)
        case .transactionPayload(let payload):
            for inner in payload.events { database = Self.defaultDatabase(after: inner, current: database) }
        default:
            break
        }
        return database
    }

    /// What follows each `@n=value`: ` /* name */` with -v (when the binlog names columns), and with -vv also
    /// the type as mysqlbinlog -vv prints it (` /* name INT meta=0 nullable=1 */`).
    private func columnComments(_ map: TableMapEvent) -> [[UInt8]?] {
        map.columns.map { column in
            if self.verbosity >= 2 {
                let name = column.name.map { "\($0) " } ?? ""
                return Array(
                    " /* \(name)\(column.realType) meta=\(column.metadata) nullable=\(column.isNullable ? 1 : 0) */"
                        .utf8)
            }
            return column.name.map { Array(" /* \($0) */".utf8) }
        }
    }

    static func userVarText(_ value: UserVarEvent.Value?) -> String {
        guard let value else { return "NULL" }
        switch value {
        case .string(let bytes, let collation):
            return "_binary X'" + bytes.map { String($0, radix: 16).leftPaddedHex() }.joined().uppercased()
                + "' COLLATE \(collation)"
        case .real(let double): return "\(double)"
        case .integer(let int, let isUnsigned): return isUnsigned ? "\(UInt64(bitPattern: int))" : "\(int)"
        case .decimal(let text): return text
        case .other(let type, let bytes): return "/* type \(type), \(bytes.count) bytes */"
        }
    }
}

extension String {
    func leftPadded8() -> String { self.count >= 8 ? self : String(repeating: "0", count: 8 - self.count) + self }
    func leftPadded(_ width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
