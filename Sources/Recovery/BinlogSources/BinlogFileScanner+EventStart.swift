import BinlogFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BinlogFileScanner {
    /// Where an event probably starts, at or after `offset`, found without reading the file from its start: the
    /// first position within `limit` bytes where an event header says it ends where its `log_pos` (the end
    /// position the server wrote into it) says, and so do the `chain` events after it (or the file ends
    /// exactly after one of them).
    ///
    /// A guess, if a good one: the bytes of a row image or a statement can look like such headers. Only a scan
    /// of the file that reaches this position proves it. `nil` when nothing within `limit` looks like an event,
    /// and for files whose headers are not v4 (no `log_pos` to check).
    ///
    /// - Throws: ``RecoveryError`` when the file cannot be read.
    public func probableEventStart(atOrAfter offset: UInt64, within limit: Int = 1 << 20, chain: Int = 4) throws
        -> UInt64?
    {
        let headerLength = UInt64(BinlogEventHeader.v4Length)
        guard self.context.formatDescription.headerLength >= UInt8(headerLength), offset < self.size else {
            return nil
        }
        // Read in small windows: the first event start is usually a few KB away.
        let step = 64 << 10
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: step + Int(headerLength), alignment: 16)
        defer { window.deallocate() }
        var windowStart = offset
        var read = 0
        let (fileSize, descriptor) = (self.size, self.descriptor)
        /// The size of the event whose header is `bytes`, at `position`, when it ends where its `log_pos` says.
        func endingSize(_ bytes: UnsafeRawBufferPointer, at position: UInt64) -> UInt64? {
            let size = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt32.self)))
            let end = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 13, as: UInt32.self))
            guard size >= headerLength, size <= UInt64(BinlogStreamDecoder.maximumEventSize),
                position + size <= fileSize, UInt64(end) == (position + size) & 0xFFFF_FFFF
            else { return nil }
            return size
        }
        var header = [UInt8](repeating: 0, count: Int(headerLength))
        func eventSize(at position: UInt64) -> UInt64? {
            guard position + headerLength <= fileSize else { return nil }
            if position >= windowStart, position + headerLength <= windowStart + UInt64(read) {
                let start = Int(position - windowStart)
                return endingSize(
                    UnsafeRawBufferPointer(rebasing: window[start..<(start + Int(headerLength))]), at: position)
            }
            return header.withUnsafeMutableBytes { buffer -> UInt64? in
                guard PositionedBinlogReader.readFully(descriptor, into: buffer, at: position).count == buffer.count
                else { return nil }
                return endingSize(UnsafeRawBufferPointer(buffer), at: position)
            }
        }
        var candidate = offset
        while candidate < offset + UInt64(limit), candidate < fileSize {
            if candidate >= windowStart + UInt64(min(read, step)) {
                windowStart = candidate
                let length = Int(min(UInt64(window.count), fileSize - candidate))
                let result = PositionedBinlogReader.readFully(
                    descriptor,
                    into: UnsafeMutableRawBufferPointer(rebasing: window[0..<length]),
                    at: candidate
                )
                if result.error != 0 {
                    throw RecoveryError(
                        reason: "read failed at byte \(candidate): \(String(cString: strerror(result.error)))",
                        path: self.path
                    )
                }
                read = result.count
                guard read > 0 else { return nil }
            }
            defer { candidate += 1 }
            guard var next = eventSize(at: candidate).map({ candidate + $0 }) else { continue }
            var followed = 0
            while followed < chain, next < fileSize, let size = eventSize(at: next) {
                next += size
                followed += 1
            }
            if followed == chain || next == fileSize { return candidate }
        }
        return nil
    }
}
