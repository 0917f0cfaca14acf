import ObjectCodec

extension BackupStoreError {
    /// The store error for an object that cannot be encoded or decoded; the codec's message names the object and
    /// what to do (give the key, the right key).
    init(_ error: ObjectCodecError) {
        self.init(.encoding, error.description)
    }

    /// Runs `body`, turning an ``ObjectCodecError`` into a ``BackupStoreError``.
    static func mappingCodec<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ObjectCodecError {
            throw BackupStoreError(error)
        }
    }
}
