import BinlogFormat
import Logging
import MySQLWire
import NIOCore

extension BinlogInspector {
    /// Reads binlog files from a server instead of the disk (`mysqlbinlog --read-from-remote-server`), each over its
    /// own non-blocking binlog dump, and calls `body` for each event the filter shows, as ``read(paths:progress:_:)``
    /// does for files.
    ///
    /// Each file is streamed from its first event (the filter applies `--start-position`) to its end (its ROTATE or STOP, or the end of the server's binlog for the current file).
    /// The artificial events of the dump (the first ROTATE, a repeated FORMAT_DESCRIPTION, heartbeats) are not shown.
    ///
    /// - Throws: ``InspectionError`` for an event that does not decode (unless ``forceRead``), ``MySQLError`` when the
    ///   server cannot be reached or refuses the dump (e.g. no such file: error 1236).
    public func read(
        remoteFiles files: [String],
        configuration: MySQLConnection.Configuration,
        serverID: UInt32,
        logger: Logger,
        progress: ((_ file: String, _ position: UInt64) -> Void)? = nil,
        _ body: (Item) throws -> Void
    ) async throws -> Report {
        var report = Report()
        for (index, name) in files.enumerated() {
            // From the file's start, with --start-position applied by the filter as for files: the server would
            // refuse a position that is not an event boundary, and "the first event at or after N" is the contract.
            let start: UInt64 = 4
            let stop = try await MySQLConnection.withConnection(configuration: configuration, logger: logger) {
                connection in
                let stream = try await connection.binlogEvents(
                    BinlogDumpRequest(
                        start: .position(file: name, position: start), mode: .stopAtEnd, serverID: serverID)
                )
                var context = BinlogDecodingContext(verifiesChecksums: self.verifyChecksums)
                context.formatDescription.checksumAlgorithm = stream.hasCRC32 ? .crc32 : .off
                var decoder = BinlogEventDecoder(context: context)
                var selection = Selection(
                    filter: self.filter, fileName: name, isFirstFile: index == 0, isLastFile: index == files.count - 1)
                for try await bytes in stream {
                    guard let header = BinlogEventHeader(peekingAt: bytes) else { continue }
                    let isArtificial = header.isArtificial
                    if header.type == .heartbeat || header.type == .heartbeatV2 { continue }
                    let position = UInt64(header.nextPosition) &- UInt64(header.eventSize)
                    let record: BinlogEventRecord
                    do {
                        record = try decoder.decode(bytes, position: isArtificial ? 0 : position)
                    } catch var error as BinlogDecodingError {
                        error.position = error.position ?? position
                        error.fileName = error.fileName ?? name
                        report.errors.append(error)
                        guard self.forceRead else { throw InspectionError(underlying: error, report: report) }
                        continue
                    }
                    if isArtificial {
                        // The dump names the file it reads first; naming another one means this file is done.
                        if case .rotate(let rotate) = record.event, rotate.nextFileName != name { return false }
                        continue
                    }
                    report.eventsRead += 1
                    report.bytesRead += UInt64(header.eventSize)
                    if report.eventsRead & 0xFFF == 0 { progress?(name, position) }
                    if let error = record.missingTableMapError(context: decoder.context, fileName: name) {
                        report.errors.append(error)
                        guard self.forceRead else { throw InspectionError(underlying: error, report: report) }
                    }
                    if try selection.process(record, context: decoder.context, report: &report, emit: body) {
                        return true
                    }
                    if header.type == .rotate || header.type == .stop { break }
                }
                try selection.finish(report: &report, emit: body)
                return false
            }
            if stop { break }
        }
        return report
    }
}
