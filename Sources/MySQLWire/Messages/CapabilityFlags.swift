/// Capability flags the client and server exchange in the handshake (`CLIENT_*` in MySQL's `mysql_com.h`).
///
/// The low 32 bits are MySQL's; MariaDB sends its extended capabilities (`MARIADB_CLIENT_*`) in bits 32–63.
package struct CapabilityFlags: OptionSet, Hashable, Sendable {
    package var rawValue: UInt64
    package init(rawValue: UInt64) { self.rawValue = rawValue }

    /// `CLIENT_LONG_PASSWORD` (1); MariaDB servers leave it unset to announce extended capabilities.
    package static let longPassword = Self(rawValue: 1 << 0)
    /// `CLIENT_FOUND_ROWS` (2)
    package static let foundRows = Self(rawValue: 1 << 1)
    /// `CLIENT_LONG_FLAG` (4)
    package static let longFlag = Self(rawValue: 1 << 2)
    /// `CLIENT_CONNECT_WITH_DB` (8)
    package static let connectWithDB = Self(rawValue: 1 << 3)
    /// `CLIENT_LOCAL_FILES` (128)
    package static let localFiles = Self(rawValue: 1 << 7)
    /// `CLIENT_PROTOCOL_41` (512)
    package static let protocol41 = Self(rawValue: 1 << 9)
    /// `CLIENT_SSL` (2048)
    package static let ssl = Self(rawValue: 1 << 11)
    /// `CLIENT_TRANSACTIONS` (8192)
    package static let transactions = Self(rawValue: 1 << 13)
    /// `CLIENT_SECURE_CONNECTION` (32768)
    package static let secureConnection = Self(rawValue: 1 << 15)
    /// `CLIENT_MULTI_STATEMENTS` (1 << 16)
    package static let multiStatements = Self(rawValue: 1 << 16)
    /// `CLIENT_MULTI_RESULTS` (1 << 17)
    package static let multiResults = Self(rawValue: 1 << 17)
    /// `CLIENT_PS_MULTI_RESULTS` (1 << 18)
    package static let psMultiResults = Self(rawValue: 1 << 18)
    /// `CLIENT_PLUGIN_AUTH` (1 << 19)
    package static let pluginAuth = Self(rawValue: 1 << 19)
    /// `CLIENT_CONNECT_ATTRS` (1 << 20)
    package static let connectAttributes = Self(rawValue: 1 << 20)
    /// `CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA` (1 << 21)
    package static let pluginAuthLengthEncodedClientData = Self(rawValue: 1 << 21)
    /// `CLIENT_SESSION_TRACK` (1 << 23)
    package static let sessionTrack = Self(rawValue: 1 << 23)
    /// `CLIENT_DEPRECATE_EOF` (1 << 24): OK packets (header `0xFE`) replace EOF packets in result sets.
    package static let deprecateEOF = Self(rawValue: 1 << 24)

    /// What this client asks for (the server's flags are intersected with this).
    package static let clientDefault: Self = [
        .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .multiStatements, .multiResults,
        .pluginAuth, .pluginAuthLengthEncodedClientData, .deprecateEOF, .connectAttributes,
    ]
}

/// Server status flags of OK and EOF packets (`SERVER_STATUS_*` in `mysql_com.h`).
package struct ServerStatusFlags: OptionSet, Hashable, Sendable {
    package var rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `SERVER_STATUS_IN_TRANS` (1)
    package static let inTransaction = Self(rawValue: 0x0001)
    /// `SERVER_STATUS_AUTOCOMMIT` (2)
    package static let autocommit = Self(rawValue: 0x0002)
    /// `SERVER_MORE_RESULTS_EXISTS` (8): another result set follows.
    package static let moreResultsExist = Self(rawValue: 0x0008)
}
