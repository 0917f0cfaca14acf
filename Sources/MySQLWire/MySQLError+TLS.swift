import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension MySQLError {
    /// A failed TLS handshake, saying which check failed rather than what the socket saw afterwards ("I/O on
    /// closed channel"): the host name, the certificate's dates, the chain's trust, or the handshake itself.
    ///
    /// - Parameters:
    ///   - host: the host name the certificate was checked against.
    ///   - rejectedCertificate: the certificate of the chain that BoringSSL rejected (``TLSCertificateRecorder``).
    ///   - trustRoots: the CAs of `--ssl-ca` (`nil`: the system's), to tell an expired CA from the server's own.
    ///   - now: the time the certificate's dates were checked against.
    static func tlsHandshakeFailed(
        _ error: any Error,
        host: String?,
        rejectedCertificate: NIOSSLCertificate? = nil,
        trustRoots: (path: String, certificates: [NIOSSLCertificate])? = nil,
        now: time_t = time(nil)
    ) -> MySQLError {
        let text = "\(error)"
        let reason: String
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            reason =
                "host name check failed: the server's certificate does not name the host "
                + "\(host ?? "connected to") (VERIFY_IDENTITY); connect with a name the certificate holds, or use "
                + "--ssl-mode=VERIFY_CA"
        } else if text.contains("CERTIFICATE_VERIFY_FAILED") {
            reason = Self.certificateRejection(rejectedCertificate, trustRoots: trustRoots, now: now)
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("UNSUPPORTED_PROTOCOL") {
            reason = "the server does not speak a TLS version this client accepts (TLS 1.2 or later)"
        } else if text.contains("TLSV1_ALERT") || text.contains("SSLV3_ALERT") {
            reason =
                "the server refused the TLS handshake (a TLS alert: it may require a client certificate, "
                + "--ssl-cert and --ssl-key)"
        } else {
            reason = "the TLS handshake failed"
        }
        return MySQLError(code: .tlsFailed, reason: reason, cause: error as? any Error & Sendable)
    }

    /// Which certificate check failed: a date (expired, not valid yet) or the chain's trust.
    private static func certificateRejection(
        _ certificate: NIOSSLCertificate?,
        trustRoots: (path: String, certificates: [NIOSSLCertificate])?,
        now: time_t
    ) -> String {
        let roots = trustRoots.map { "a CA of --ssl-ca \($0.path)" } ?? "a CA this system trusts (no --ssl-ca given)"
        guard let certificate else {
            return "certificate check failed: the server's certificate is not trusted (it is not signed by \(roots)), "
                + "or it has expired or is not valid yet"
        }
        let whose =
            trustRoots?.certificates.contains(certificate) == true
            ? "the CA certificate in --ssl-ca \(trustRoots!.path)" : "the server's certificate"
        if certificate.notValidAfter < now {
            return "certificate expiry check failed: \(whose) expired on \(Self.utc(certificate.notValidAfter)) "
                + "(this machine's clock says \(Self.utc(now))); renew it"
        }
        if certificate.notValidBefore > now {
            return "certificate date check failed: \(whose) is not valid before "
                + "\(Self.utc(certificate.notValidBefore)) (this machine's clock says \(Self.utc(now))); is a clock wrong?"
        }
        return "certificate chain check failed: the server's certificate is not trusted, its chain does not lead to "
            + "\(roots); give --ssl-ca the CA that signed it"
    }

    /// `2026-11-29 11:30:50 UTC`
    private static func utc(_ time: time_t) -> String {
        var time = time
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "\(time) (seconds since 1970)" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}
