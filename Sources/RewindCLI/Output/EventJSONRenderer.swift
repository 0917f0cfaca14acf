import BinlogFormat
import Recovery

/// Prints one JSON object per event per line (schema: docs/binlog-json.md).
struct EventJSONRenderer {
    /// Whether row values are included (`-v`); without it, row events carry counts only.
    var includeRows: Bool
    var utcOffset: Int64

    func render(_ item: BinlogInspector.Item, into out: inout OutputSink) throws {
        do {
            if self.includeRows, out.writesThrough,
                Int(item.record.header.eventSize) >= EventTextRenderer.streamedEventBytes,
                case .rows(let rows) = item.record.event, let map = item.context.tableMap(for: rows)
            {
                try self.stream(rows, table: map, item: item, into: &out)
            } else {
                out.write(
                    bytes: try self.objectBytes(
                        item.record, context: item.context, file: item.fileName,
                        transactionGTID: item.transactionGTID))
            }
        } catch let error as BinlogDecodingError {
            throw error.adding(
                eventType: item.record.header.type, position: item.record.position, fileName: item.fileName)
        }
        out.write("\n")
    }

    /// One huge row event (``ParallelRenderer`` hands these to the output itself): the same object as
    /// ``objectBytes(_:context:file:transactionGTID:)`` writes, byte for byte, but its rows go out in pieces as they
    /// render, not as one text of up to several times the event's size. The keys before `rows` come first, with
    /// `row_count` from the walk that steps over the values.
    private func stream(
        _ rows: RowsEvent, table map: TableMapEvent, item: BinlogInspector.Item, into out: inout OutputSink
    ) throws {
        let counted = EventJSONRenderer(includeRows: false, utcOffset: self.utcOffset)
        var none: [UInt8]?
        var head = JSONText.objectBytes(
            try counted.pairs(
                item.record, context: item.context, file: item.fileName, transactionGTID: item.transactionGTID,
                rows: &none))
        head.removeLast()  // the closing brace
        head.append(contentsOf: #","rows":["#.utf8)
        out.write(bytes: head)
        let keys = Self.quotedKeys(map)
        try out.streaming { stream in
            var count = 0
            try rows.forEachRow(table: map) { change in
                count += 1
                if count > 1 { stream.append(UInt8(ascii: ",")) }
                Self.appendChange(change, table: map, keys: keys, to: &stream)
            }
            stream.append(UInt8(ascii: "]"))
            stream.append(UInt8(ascii: "}"))
        }
    }

    func object(_ record: BinlogEventRecord, context: BinlogDecodingContext, file: String?, transactionGTID: GTID?)
        throws -> String
    {
        String(
            decoding: try self.objectBytes(record, context: context, file: file, transactionGTID: transactionGTID),
            as: UTF8.self)
    }

    /// The event's JSON object. The rows of `-v` (the bulk of the output) are written as bytes after the other keys,
    /// never made into a `String`.
    private func objectBytes(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, file: String?, transactionGTID: GTID?
    ) throws -> [UInt8] {
        var rows: [UInt8]?
        var bytes = JSONText.objectBytes(
            try self.pairs(record, context: context, file: file, transactionGTID: transactionGTID, rows: &rows))
        if let rows {
            bytes.removeLast()  // the closing brace
            bytes.append(contentsOf: #","rows":"#.utf8)
            bytes.append(contentsOf: rows)
            bytes.append(UInt8(ascii: "}"))
        }
        return bytes
    }

    /// The event's keys and values (JSON text), in the order written; the rows of a rows event with `-v` go to
    /// `rows` (the value of the last key, `rows`).
    private func pairs(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, file: String?, transactionGTID: GTID?,
        rows: inout [UInt8]?
    ) throws -> [(String, String)] {
        let header = record.header
        var pairs: [(String, String)] = []
        if let file { pairs.append(("file", JSONText.quote(file))) }
        pairs.append(("position", "\(record.position)"))
        pairs.append(("end_position", "\(record.endPosition)"))
        pairs.append(
            ("timestamp", JSONText.quote(TimeFormatting.iso8601(Int64(header.timestamp), offset: self.utcOffset))))
        pairs.append(("unix_time", "\(header.timestamp)"))
        pairs.append(("type", JSONText.quote(header.type.name)))
        pairs.append(("type_code", "\(header.type.rawValue)"))
        pairs.append(("server_id", "\(header.serverID)"))
        pairs.append(("size", "\(header.eventSize)"))
        pairs.append(("flags", "\(header.flags)"))
        if let checksum = record.checksum {
            pairs.append(("crc32", JSONText.quote("0x" + String(checksum, radix: 16).leftPadded8())))
        }
        if let gtid = transactionGTID { pairs.append(("transaction_gtid", JSONText.quote(gtid.description))) }
        pairs.append(contentsOf: try self.body(record, context: context, rows: &rows))
        return pairs
    }

    private func body(_ record: BinlogEventRecord, context: BinlogDecodingContext, rows rowsOutput: inout [UInt8]?)
        throws -> [(String, String)]
    {
        switch record.event {
        case .formatDescription(let event):
            return [
                ("binlog_version", "\(event.binlogVersion)"), ("server_version", JSONText.quote(event.serverVersion)),
                ("checksum", JSONText.quote(event.checksumAlgorithm.description)),
                ("in_use", record.header.flags & BinlogEventHeader.flagBinlogInUse != 0 ? "true" : "false"),
            ]
        case .startV3(let event):
            return [
                ("binlog_version", "\(event.binlogVersion)"), ("server_version", JSONText.quote(event.serverVersion)),
            ]
        case .query(let query):
            var pairs: [(String, String)] = [
                ("database", JSONText.bytes(query.database)), ("query", JSONText.bytes(query.query)),
                ("thread_id", "\(query.threadID)"), ("exec_time", "\(query.executionTime)"),
                ("error_code", "\(query.errorCode)"),
            ]
            if let sqlMode = query.status.sqlMode { pairs.append(("sql_mode", "\(sqlMode)")) }
            if let zone = query.status.timeZone { pairs.append(("time_zone", JSONText.quote(zone))) }
            if let charset = query.status.charset {
                pairs.append(
                    (
                        "charset",
                        "{\"client\":\(charset.client),\"connection\":\(charset.connection),\"server\":\(charset.server)}"
                    ))
            }
            return pairs
        case .stop: return []
        case .rotate(let event):
            return [("next_file", JSONText.quote(event.nextFileName)), ("next_position", "\(event.position)")]
        case .intvar(let event): return [("variable", JSONText.quote(event.variableName)), ("value", "\(event.value)")]
        case .rand(let event): return [("seed1", "\(event.seed1)"), ("seed2", "\(event.seed2)")]
        case .userVar(let event):
            return [
                ("name", JSONText.bytes(event.name)),
                ("value", JSONText.quote(EventTextRenderer.userVarText(event.value))),
            ]
        case .xid(let event): return [("xid", "\(event.xid)")]
        case .tableMap(let map):
            let columns = map.columns.enumerated().map { index, column in
                JSONText.object([
                    ("index", "\(index + 1)"), ("name", column.name.map(JSONText.quote) ?? "null"),
                    ("type", JSONText.quote(column.realType.description)), ("metadata", "\(column.metadata)"),
                    ("nullable", column.isNullable ? "true" : "false"),
                    ("unsigned", column.isUnsigned.map { $0 ? "true" : "false" } ?? "null"),
                    ("collation", column.collation.map { "\($0)" } ?? "null"),
                    ("primary_key", column.isPrimaryKey ? "true" : "false"),
                ])
            }
            return [
                ("table_id", "\(map.tableID)"), ("database", JSONText.quote(map.database)),
                ("table", JSONText.quote(map.table)), ("columns", "[" + columns.joined(separator: ",") + "]"),
            ]
        case .rows(let rows):
            var pairs: [(String, String)] = [
                ("table_id", "\(rows.tableID)"), ("operation", JSONText.quote(rows.kind.rawValue)),
            ]
            guard let map = context.tableMap(for: rows) else {
                pairs.append(("error", JSONText.quote("no table map for table id \(rows.tableID)")))
                return pairs
            }
            pairs.append(("database", JSONText.quote(map.database)))
            pairs.append(("table", JSONText.quote(map.table)))
            guard self.includeRows else {
                // Counted as `binlog stats` counts them: the values' lengths are stepped over, not decoded.
                pairs.append(("row_count", "\(try rows.rowCount(table: map))"))
                return pairs
            }
            // The rows are written as bytes into one buffer (not a string per value): `-v` on a big binlog.
            var rowsJSON: [UInt8] = [UInt8(ascii: "[")]
            let keys = Self.quotedKeys(map)
            var count = 0
            try rows.forEachRow(table: map) { change in
                count += 1
                if count > 1 { rowsJSON.append(UInt8(ascii: ",")) }
                Self.appendChange(change, table: map, keys: keys, to: &rowsJSON)
            }
            rowsJSON.append(UInt8(ascii: "]"))
            pairs.append(("row_count", "\(count)"))
            rowsOutput = rowsJSON
            return pairs
        case .incident(let event):
            return [("incident", "\(event.incident)"), ("message", JSONText.quote(event.message))]
        case .heartbeat(let event): return [("log_file", JSONText.quote(event.logFileName))]
        case .ignorable: return []
        case .rowsQuery(let event), .mariadbAnnotateRows(let event): return [("query", JSONText.bytes(event.query))]
        case .gtid(let event):
            var pairs: [(String, String)] = [
                ("gtid", event.gtid.map { JSONText.quote($0.description) } ?? "null"),
                ("anonymous", event.isAnonymous ? "true" : "false"),
            ]
            if let tag = event.tag { pairs.append(("tag", JSONText.quote(tag))) }
            if let value = event.lastCommitted { pairs.append(("last_committed", "\(value)")) }
            if let value = event.sequenceNumber { pairs.append(("sequence_number", "\(value)")) }
            if let value = event.originalCommitTimestamp { pairs.append(("original_commit_timestamp_us", "\(value)")) }
            if let value = event.immediateCommitTimestamp {
                pairs.append(("immediate_commit_timestamp_us", "\(value)"))
            }
            if let value = event.transactionLength { pairs.append(("transaction_length", "\(value)")) }
            return pairs
        case .previousGTIDs(let event): return [("gtid_set", JSONText.quote(event.gtids.description))]
        case .xaPrepare(let event):
            return [
                ("one_phase", event.isOnePhase ? "true" : "false"), ("format_id", "\(event.formatID)"),
                ("gtrid", JSONText.bytes(event.gtrid)), ("bqual", JSONText.bytes(event.bqual)),
            ]
        case .transactionPayload(let payload):
            let inner = try payload.events.map {
                try self.object($0, context: context, file: nil, transactionGTID: nil)
            }
            return [
                ("compression", JSONText.quote(payload.compressionType == 0 ? "ZSTD" : "NONE")),
                ("payload_size", "\(payload.payloadSize)"), ("uncompressed_size", "\(payload.uncompressedSize)"),
                ("events", "[" + inner.joined(separator: ",") + "]"),
            ]
        case .loadData(let event):
            var pairs: [(String, String)] = [
                ("kind", JSONText.quote(event.kind.rawValue)), ("file_id", "\(event.fileID)"),
                ("block_length", "\(event.block.count)"),
            ]
            if let query = event.query { pairs.append(("query", JSONText.bytes(query.query))) }
            return pairs
        case .groupReplication(_, let bytes): return [("length", "\(bytes.count)")]
        case .mariadbBinlogCheckpoint(let event): return [("binlog_file", JSONText.quote(event.fileName))]
        case .mariadbGTID(let event):
            var pairs: [(String, String)] = [
                ("gtid", JSONText.quote(event.gtid.description)),
                ("standalone", event.isStandalone ? "true" : "false"),
            ]
            if let commit = event.commitID { pairs.append(("commit_id", "\(commit)")) }
            return pairs
        case .mariadbGTIDList(let event):
            return [
                ("gtid_list", "[" + event.gtids.map { JSONText.quote($0.description) }.joined(separator: ",") + "]")
            ]
        case .mariadbStartEncryption(let event):
            return [("scheme", "\(event.scheme)"), ("key_version", "\(event.keyVersion)")]
        case .unsupported(_, let reason): return [("unsupported", JSONText.quote(reason))]
        case .unknown(_, let bytes): return [("unknown", "true"), ("length", "\(bytes.readableBytes)")]
        }
    }

    /// Each column's key as quoted JSON: its name, or `@N` when the binlog has no names.
    private static func quotedKeys(_ table: TableMapEvent) -> [[UInt8]] {
        table.columns.indices.map { index in
            var key: [UInt8] = []
            JSONText.appendQuoted(table.columns[index].name ?? "@\(index + 1)", to: &key)
            return key
        }
    }

    /// Appends one row change as `{"before":…,"after":…}` (the images the event has).
    private static func appendChange<Output: JSONValueOutput & ~Copyable>(
        _ change: RowChange, table: TableMapEvent, keys: [[UInt8]], to output: inout Output
    ) {
        output.append(UInt8(ascii: "{"))
        if let before = change.before {
            output.appendText(#""before":"#)
            Self.appendImage(before, table: table, keys: keys, to: &output)
        }
        if let after = change.after {
            if change.before != nil { output.append(UInt8(ascii: ",")) }
            output.appendText(#""after":"#)
            Self.appendImage(after, table: table, keys: keys, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Appends a row image as a JSON object: each present column's value under its key (NULL as `null`; a JSON
    /// partial update as `{"json_diff": …}`).
    private static func appendImage<Output: JSONValueOutput & ~Copyable>(
        _ image: RowImage, table: TableMapEvent, keys: [[UInt8]], to output: inout Output
    ) {
        output.append(UInt8(ascii: "{"))
        var first = true
        let hasDiffs = !image.jsonDiffs.isEmpty
        // The descriptors are borrowed through a buffer pointer: a copy of each retained its strings and arrays
        // (a fifth of `show -v --format json`).
        table.columns.withUnsafeBufferPointer { columns in
            for (index, value) in image.values.enumerated() {
                let diffs = hasDiffs ? image.jsonDiffs[index] : nil
                guard diffs != nil || value != nil else { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                keys[index].withUnsafeBytes { output.appendBytes($0) }
                output.append(UInt8(ascii: ":"))
                if let diffs {
                    output.appendText(#"{"json_diff":"#)
                    var quoted: [UInt8] = []
                    JSONText.appendQuoted(JSONDiff.sqlExpression(diffs, columnNumber: index + 1), to: &quoted)
                    quoted.withUnsafeBytes { output.appendBytes($0) }
                    output.append(UInt8(ascii: "}"))
                } else if let value {
                    output.appendJSON(value, column: columns[index])
                }
            }
        }
        output.append(UInt8(ascii: "}"))
    }
}

/// Where a row's JSON goes: a buffer (`[UInt8]`), or the output of one huge event, which hands its bytes on as they
/// render (``FlushingTextBuffer``). Each renders a value the fastest way it can.
protocol JSONValueOutput: ByteOutput, ~Copyable {
    mutating func appendJSON(_ value: MySQLValue, column: ColumnDescriptor)
}

extension JSONValueOutput where Self: ~Copyable {
    /// Appends a literal's UTF-8.
    @inline(__always)
    mutating func appendText(_ text: StaticString) {
        self.appendBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

extension Array: JSONValueOutput where Element == UInt8 {
    @inline(__always)
    mutating func appendJSON(_ value: MySQLValue, column: ColumnDescriptor) {
        value.appendJSONRepresentation(to: &self, column: column)
    }
}

extension FlushingTextBuffer: JSONValueOutput {
    mutating func appendJSON(_ value: MySQLValue, column: ColumnDescriptor) {
        value.appendJSONRepresentation(to: &self, column: column)
    }
}
