import NIOCore
import NIOSSL

/// Remembers the certificate of the server's chain that failed verification during a TLS handshake.
///
/// BoringSSL reports every failed chain check as `CERTIFICATE_VERIFY_FAILED`, whether the chain leads to no trusted
/// CA or a certificate has expired; with the certificate that failed and its dates, a failed handshake can say
/// which check failed (``MySQLError/tlsHandshakeFailed(_:host:rejectedCertificate:trustRoots:now:)``).
struct TLSCertificateRecorder: Sendable {
    private let rejected: NIOLoopBoundBox<NIOSSLCertificate?>

    init(eventLoop: any EventLoop) {
        self.rejected = .makeEmptyBox(valueType: NIOSSLCertificate.self, eventLoop: eventLoop)
    }

    /// A client handler whose certificate checks are BoringSSL's own, recording the first certificate they reject.
    /// Call it on the event loop.
    func makeClientHandler(context: NIOSSLContext, serverHostname: String?) throws -> NIOSSLClientHandler {
        let rejected = self.rejected
        // The only NIOSSL hook that sees BoringSSL's verdict on each certificate without replacing the verification
        // is deprecated; it is called through a protocol so that the deprecation stays in this one place.
        let maker: any VerdictObservingHandlerMaking = VerdictObservingHandlerMaker()
        return try maker.makeHandler(context: context, serverHostname: serverHostname) { verdict, certificate in
            if verdict == .failed, rejected.value == nil { rejected.value = certificate }
            return verdict
        }
    }

    /// The certificate the checks rejected, if any (read on the event loop).
    func rejectedCertificate() async -> NIOSSLCertificate? {
        let rejected = self.rejected
        return try? await rejected.eventLoop.submit { rejected.value }.get()
    }
}

private protocol VerdictObservingHandlerMaking {
    func makeHandler(
        context: NIOSSLContext,
        serverHostname: String?,
        observer: @escaping NIOSSLVerificationCallback
    ) throws -> NIOSSLClientHandler
}

private struct VerdictObservingHandlerMaker: VerdictObservingHandlerMaking {
    @available(*, deprecated, message: "uses NIOSSL's per-certificate verification callback")
    func makeHandler(
        context: NIOSSLContext,
        serverHostname: String?,
        observer: @escaping NIOSSLVerificationCallback
    ) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname, verificationCallback: observer)
    }
}
