import NIOSSL

extension MySQLError {
    /// A failed TLS handshake, saying which check failed rather than what the socket saw afterwards ("I/O on
    /// closed channel"): the host name, the certificate chain or its dates, or the handshake itself.
    static func tlsHandshakeFailed(_ error: any Error, host: String?) -> MySQLError {
        let text = "\(error)"
        let reason: String
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            reason = "the server's certificate does not name the host \(host ?? "connected to") (VERIFY_IDENTITY); "
                + "connect with a name the certificate holds, or use --ssl-mode=VERIFY_CA"
        } else if text.contains("CERTIFICATE_VERIFY_FAILED") {
            reason = "the server's certificate is not trusted: it is not signed by a CA of --ssl-ca (or of the "
                + "system when no --ssl-ca is given), or it has expired or is not valid yet"
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("UNSUPPORTED_PROTOCOL") {
            reason = "the server does not speak a TLS version this client accepts (TLS 1.2 or later)"
        } else if text.contains("TLSV1_ALERT") || text.contains("SSLV3_ALERT") {
            reason = "the server refused the TLS handshake (a TLS alert: it may require a client certificate, "
                + "--ssl-cert and --ssl-key)"
        } else {
            reason = "the TLS handshake failed"
        }
        return MySQLError(code: .tlsFailed, reason: reason, cause: error as? any Error & Sendable)
    }
}
