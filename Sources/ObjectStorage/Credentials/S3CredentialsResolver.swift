import Foundation

/// Finds S3 credentials the way the AWS CLI does, without ever putting them on a command line:
/// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) from the environment, else the profile
/// `AWS_PROFILE` (default `default`) in `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`).
/// In Kubernetes the environment comes from a Secret (see deploy/).
package struct S3CredentialsResolver: Sendable {
    package var environment: [String: String]

    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// - Throws: ``S3Error`` with code `credentials` saying what was looked at and what to set.
    package func resolve() throws -> S3Credentials {
        let id = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (let id?, let secret?):
            return S3Credentials(
                accessKeyID: id, secretAccessKey: secret,
                sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
                source: "environment")
        case (.some, nil):
            throw S3Error(.credentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both")
        case (nil, .some):
            throw S3Error(.credentials, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both")
        case (nil, nil):
            break
        }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let path = credentialsFilePath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw S3Error(
                .credentials,
                "no S3 credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and \(path) cannot be read; "
                    + "set them in the environment (in Kubernetes from a Secret) or write the profile '\(profile)'")
        }
        let sections = Self.parseINI(text)
        guard let values = sections[profile] else {
            throw S3Error(
                .credentials,
                "no profile '\(profile)' in \(path) (it has: \(sections.keys.sorted().joined(separator: ", "))); "
                    + "set AWS_PROFILE to one of them")
        }
        guard let key = values["aws_access_key_id"], let secretKey = values["aws_secret_access_key"] else {
            throw S3Error(
                .credentials,
                "profile '\(profile)' in \(path) lacks aws_access_key_id or aws_secret_access_key")
        }
        return S3Credentials(
            accessKeyID: key, secretAccessKey: secretKey, sessionToken: values["aws_session_token"],
            source: "profile \(profile) in \(path)")
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in `~/.aws/config`, else `us-east-1`.
    package func region() -> String {
        if let region = environment["AWS_REGION"], !region.isEmpty { return region }
        if let region = environment["AWS_DEFAULT_REGION"], !region.isEmpty { return region }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let path = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let sections = Self.parseINI(text)
            let name = profile == "default" ? "default" : "profile \(profile)"
            if let region = sections[name]?["region"] ?? sections[profile]?["region"] { return region }
        }
        return "us-east-1"
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    private var credentialsFilePath: String {
        environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.aws/credentials"
    }

    /// `[section]` then `key = value` lines; `#` and `;` start comments.
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }
}
