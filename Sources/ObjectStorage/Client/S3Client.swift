import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small S3 REST client: objects (PUT, GET with a range, HEAD, DELETE), listings (ListObjectsV2) and multipart
/// uploads, signed with Signature V4, over async-http-client. Every request is retried with exponential backoff
/// on 5xx, 429, timeouts and cut connections; other answers become an ``S3Error`` that names the operation, the
/// bucket and key, the store's answer, and what to check.
///
/// Use ``withClient(_:_:)`` so the HTTP client is always shut down.
package struct S3Client: Sendable {
    package let configuration: S3ClientConfiguration
    private let http: HTTPClient
    private let signer: SigV4Signer

    /// The largest XML answer read into memory (a listing page of 1,000 keys is about 300 KB).
    package static let maxXMLBytes = 8 << 20

    init(configuration: S3ClientConfiguration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
    }

    /// Runs `body` with a client and shuts the client down afterwards, also when `body` throws.
    package static func withClient<Result: Sendable>(
        _ configuration: S3ClientConfiguration, _ body: (S3Client) async throws -> Result
    ) async throws -> Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = configuration.caFile {
            tls.trustRoots = .file(caFile)
        }
        var httpConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(60)))
        httpConfiguration.decompression = .disabled
        httpConfiguration.httpVersion = .http1Only
        // A refused connection fails the attempt at once; the client's own retries (with backoff) take over.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let client = S3Client(configuration: configuration, http: http)
        do {
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    // MARK: Objects

    /// Stores an object.
    ///
    /// - Parameters:
    ///   - ifNoneMatch: send `If-None-Match: *`, so the write fails with `preconditionFailed` when the key exists
    ///     (the store must support conditional writes: AWS since 2024, MinIO, moto).
    ///   - metadata: user metadata, sent as `x-amz-meta-NAME` headers.
    /// - Returns: the new object's ETag.
    @discardableResult
    package func putObject(
        bucket: String, key: String, body: ByteBuffer, contentType: String = "application/octet-stream",
        metadata: [String: String] = [:], ifNoneMatch: Bool = false
    ) async throws -> String {
        var headers = [("content-type", contentType)]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-\(name.lowercased())", value))
        }
        if ifNoneMatch { headers.append(("if-none-match", "*")) }
        let response = try await send(
            "PUT", bucket: bucket, key: key, headers: headers, body: body, operation: "PUT")
        return Self.etag(response.headers)
    }

    /// Reads an object, or the bytes `range` of it, into memory.
    ///
    /// - Parameter maxBytes: refuse a larger answer (a store that sends more than it should).
    package func getObject(
        bucket: String, key: String, range: ClosedRange<Int64>? = nil, maxBytes: Int = 256 << 20
    ) async throws -> ByteBuffer {
        var headers: [(String, String)] = []
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        let response = try await send(
            "GET", bucket: bucket, key: key, headers: headers, operation: "GET", maxBody: maxBytes)
        return response.body
    }

    /// The object's size, ETag and metadata; `nil` when there is no such key.
    package func headObject(bucket: String, key: String) async throws -> S3ObjectInfo? {
        do {
            let response = try await send("HEAD", bucket: bucket, key: key, operation: "HEAD")
            var metadata: [String: String] = [:]
            for header in response.headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
                metadata[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
            }
            let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
            return S3ObjectInfo(key: key, size: size, etag: Self.etag(response.headers), metadata: metadata)
        } catch let error as S3Error where error.code == .noSuchKey {
            return nil
        }
    }

    /// Deletes an object (S3 answers success for a key that is not there).
    package func deleteObject(bucket: String, key: String) async throws {
        _ = try await send("DELETE", bucket: bucket, key: key, operation: "DELETE")
    }

    /// Checks that the bucket exists and the credentials may use it.
    package func headBucket(_ bucket: String) async throws {
        do {
            _ = try await send("HEAD", bucket: bucket, key: nil, operation: "HEAD bucket")
        } catch var error as S3Error where error.code == .noSuchKey {
            error.code = .noSuchBucket
            error.message =
                "the bucket '\(bucket)' does not exist at \(configuration.endpoint.absoluteString); create it "
                + "(aws s3 mb s3://\(bucket)) or check the bucket name and --endpoint/AWS_ENDPOINT_URL"
            throw error
        }
    }

    // MARK: Listings

    /// One page of the keys under `prefix`, in key order.
    package func listObjectsPage(
        bucket: String, prefix: String, delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int = 1000
    ) async throws -> S3ListPage {
        var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys))]
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await send(
            "GET", bucket: bucket, key: nil, query: query, operation: "LIST", maxBody: Self.maxXMLBytes)
        return try S3ListPage.decode(Array(buffer: response.body), bucket: bucket)
    }

    /// Every key under `prefix`, in key order, following continuation tokens.
    package func listObjects(bucket: String, prefix: String) async throws -> [S3ObjectInfo] {
        var all: [S3ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token)
            all += page.objects
            token = page.continuationToken
        } while token != nil
        return all
    }

    // MARK: Multipart uploads

    /// Starts a multipart upload and returns its upload id.
    package func createMultipartUpload(
        bucket: String, key: String, metadata: [String: String] = [:]
    ) async throws -> String {
        var headers: [(String, String)] = [("content-type", "application/octet-stream")]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-\(name.lowercased())", value))
        }
        let response = try await send(
            "POST", bucket: bucket, key: key, query: [("uploads", "")], headers: headers,
            operation: "CreateMultipartUpload", maxBody: Self.maxXMLBytes)
        guard let root = XMLElementTree.parse(Array(buffer: response.body)), let id = root.value("UploadId") else {
            throw S3Error(.badResponse, "CreateMultipartUpload s3://\(bucket)/\(key): no UploadId in the answer")
        }
        return id
    }

    /// Uploads one part (1...10000; every part but the last at least 5 MiB) and returns its ETag.
    package func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, body: ByteBuffer
    ) async throws -> String {
        let response = try await send(
            "PUT", bucket: bucket, key: key, query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
            body: body, operation: "UploadPart \(partNumber)")
        return Self.etag(response.headers)
    }

    /// Joins the parts into the object.
    ///
    /// - Parameter ifNoneMatch: send `If-None-Match: *`, so the join fails with `preconditionFailed` when the key
    ///   exists (AWS since 2024, MinIO, moto); the object then stays as it was.
    package func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [(number: Int, etag: String)], ifNoneMatch: Bool = false
    ) async throws {
        var xml = "<CompleteMultipartUpload>"
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(part.etag)\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var headers = [("content-type", "application/xml")]
        if ifNoneMatch { headers.append(("if-none-match", "*")) }
        let response = try await send(
            "POST", bucket: bucket, key: key, query: [("uploadId", uploadID)],
            headers: headers, body: ByteBuffer(string: xml),
            operation: "CompleteMultipartUpload", maxBody: Self.maxXMLBytes)
        // S3 can answer 200 with an <Error> body when the join fails late.
        if let root = XMLElementTree.parse(Array(buffer: response.body)), root.name == "Error" {
            throw S3Error(
                .server,
                "CompleteMultipartUpload s3://\(bucket)/\(key): \(root.value("Code") ?? "?"): "
                    + "\(root.value("Message") ?? "")", status: 200, s3Code: root.value("Code"))
        }
    }

    /// Abandons a multipart upload and frees its parts.
    package func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        _ = try await send(
            "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadID)], operation: "AbortMultipartUpload")
    }

    /// Multipart uploads begun under `prefix` and neither completed nor aborted (first 1,000).
    package func listMultipartUploads(bucket: String, prefix: String) async throws -> [(key: String, uploadID: String)]
    {
        let response = try await send(
            "GET", bucket: bucket, key: nil, query: [("uploads", ""), ("prefix", prefix)],
            operation: "ListMultipartUploads", maxBody: Self.maxXMLBytes)
        guard let root = XMLElementTree.parse(Array(buffer: response.body)) else {
            throw S3Error(.badResponse, "ListMultipartUploads s3://\(bucket)/\(prefix): the answer is not XML")
        }
        return root.children("Upload").compactMap { upload in
            guard let key = upload.value("Key"), let id = upload.value("UploadId") else { return nil }
            return (key, id)
        }
    }

    // MARK: Requests

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// The URL and the path that is signed, for a bucket and an optional key.
    func url(bucket: String, key: String?, query: [(String, String)]) -> (url: String, host: String, path: String) {
        let endpoint = configuration.endpoint
        let scheme = endpoint.scheme ?? "https"
        var host = endpoint.host ?? ""
        if let port = endpoint.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) {
            host += ":\(port)"
        }
        let encodedKey = key.map { SigV4Signer.uriEncode($0, keepSlash: true) } ?? ""
        let path: String
        switch configuration.addressing {
        case .path:
            path = "/\(bucket)" + (key == nil ? "" : "/\(encodedKey)")
        case .virtual:
            host = "\(bucket).\(host)"
            path = "/\(encodedKey)"
        }
        let queryString = query.map { pair in
            pair.1.isEmpty && (pair.0 == "uploads")
                ? SigV4Signer.uriEncode(pair.0)
                : "\(SigV4Signer.uriEncode(pair.0))=\(SigV4Signer.uriEncode(pair.1))"
        }.joined(separator: "&")
        return ("\(scheme)://\(host)\(path)\(queryString.isEmpty ? "" : "?\(queryString)")", host, path)
    }

    private func send(
        _ method: String, bucket: String, key: String?, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: ByteBuffer? = nil, operation: String, maxBody: Int = Self.maxXMLBytes
    ) async throws -> Response {
        let target = url(bucket: bucket, key: key, query: query)
        let payloadHash =
            body.map { $0.withUnsafeReadableBytes { SigV4Signer.sha256Hex(bufferPointer: $0) } }
            ?? SigV4Signer.emptyPayloadHash
        let what = "\(operation) s3://\(bucket)/\(key ?? "")"
        var attempt = 1
        var backoff = configuration.initialBackoff
        while true {
            do {
                return try await attemptOnce(
                    method, target: target, query: query, headers: headers, body: body, payloadHash: payloadHash,
                    what: what, maxBody: maxBody)
            } catch let error as S3Error where error.isRetryable && attempt < configuration.maxAttempts {
                attempt += 1
                let jitter = Double.random(in: 0.8...1.2)
                try await Task.sleep(for: backoff * jitter)
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
        }
    }

    private func attemptOnce(
        _ method: String, target: (url: String, host: String, path: String), query: [(String, String)],
        headers: [(String, String)], body: ByteBuffer?, payloadHash: String, what: String, maxBody: Int
    ) async throws -> Response {
        var toSign = headers
        toSign.append(("host", target.host))
        let auth = signer.sign(
            method: method, path: target.path, query: query, headers: toSign, payloadHash: payloadHash, date: Date())
        var request = HTTPClientRequest(url: target.url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in toSign + auth { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.body = .bytes(body)
        } else if method == "PUT" || method == "POST" {
            request.body = .bytes(ByteBuffer())
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .init(configuration.requestTimeout))
        } catch {
            throw S3Error(
                .transport,
                "\(what): \(Self.describeTransport(error)) talking to \(configuration.endpoint.absoluteString); "
                    + "check that the endpoint is reachable")
        }
        let status = Int(response.status.code)
        let bytes: ByteBuffer
        do {
            bytes = method == "HEAD" ? ByteBuffer() : try await response.body.collect(upTo: maxBody)
        } catch is NIOTooManyBytesError {
            throw S3Error(.badResponse, "\(what): the answer is larger than \(maxBody) bytes", status: status)
        } catch {
            throw S3Error(.transport, "\(what): the answer was cut (\(Self.describeTransport(error)))")
        }
        if (200..<300).contains(status) {
            return Response(status: status, headers: response.headers, body: bytes)
        }
        throw failure(status: status, body: bytes, what: what)
    }

    private func failure(status: Int, body: ByteBuffer, what: String) -> S3Error {
        let root = XMLElementTree.parse(Array(buffer: body))
        let s3Code = root?.value("Code")
        let message = root?.value("Message").map { ": \($0)" } ?? ""
        let answered = "\(what): \(status) \(s3Code ?? "")\(message)"
        switch (status, s3Code) {
        case (_, "NoSuchBucket"):
            return S3Error(
                .noSuchBucket, "\(answered); create the bucket or check its name and the endpoint", status: status,
                s3Code: s3Code)
        case (404, _) where s3Code == nil || s3Code == "NoSuchKey" || s3Code == "NotFound":
            return S3Error(.noSuchKey, answered, status: status, s3Code: s3Code)
        case (403, _), (_, "InvalidAccessKeyId"), (_, "SignatureDoesNotMatch"), (_, "AccessDenied"):
            return S3Error(
                .accessDenied,
                "\(answered); check the credentials (\(configuration.credentials)), the region "
                    + "(\(configuration.region)) and that they may use this bucket", status: status, s3Code: s3Code)
        case (412, _), (409, "ConditionalRequestConflict"):
            return S3Error(.preconditionFailed, answered, status: status, s3Code: s3Code)
        default:
            return S3Error(.server, answered, status: status, s3Code: s3Code)
        }
    }

    private static func etag(_ headers: HTTPHeaders) -> String {
        (headers.first(name: "etag") ?? "").trimmingCharacters(in: ["\""])
    }

    private static func describeTransport(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer in time"
            case .connectTimeout: return "the connection timed out"
            case .remoteConnectionClosed: return "the connection was closed by the server"
            default: return "\(error)"
            }
        }
        if let error = error as? NIOConnectionError {
            let reason = error.connectionErrors.first.map { "\($0.error)" } ?? "no address to connect to"
            return "cannot connect (\(reason))"
        }
        return "\(error)"
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
