import Foundation

/// The findings of one `rewind doctor` run, as text for people or JSON for scripts.
package struct DoctorReport: Codable, Hashable, Sendable {
    package var findings: [Finding]
    /// What was read, e.g. `3 pods, 2 claims, 1 volume, 1 storage class, 12 events, 2 logs`.
    package var input: String
    /// What could not be read, e.g. `persistentvolumes (Forbidden: ...)`; empty when everything was read.
    package var unread: [String]

    package var isClean: Bool { self.findings.isEmpty }

    package init(findings: [Finding], snapshot: ClusterSnapshot) {
        self.findings = findings
        self.input = [
            Self.count(snapshot.pods.count, "pod"), Self.count(snapshot.claims.count, "claim"),
            Self.count(snapshot.volumes.count, "volume"), Self.count(snapshot.storageClasses.count, "storage class"),
            Self.count(snapshot.events.count, "event"), Self.count(snapshot.logs.count, "log"),
        ].joined(separator: ", ")
        self.unread = snapshot.unread
    }

    /// Diagnoses the snapshot.
    package init(diagnosing snapshot: ClusterSnapshot) {
        self.init(findings: Doctor.diagnose(snapshot), snapshot: snapshot)
    }

    /// Plain text, one block per finding.
    package var text: String {
        var out = ""
        if self.findings.isEmpty {
            out = "rewind doctor: no problems found in what it read (\(self.input))\n"
        } else {
            let errors = self.findings.filter { $0.severity == .error }.count
            out =
                "rewind doctor: \(Self.count(self.findings.count, "problem")), \(Self.count(errors, "error")) "
                + "(read \(self.input))\n"
        }
        for kind in self.unread {
            out += "rewind doctor: could not read \(kind); the diagnosis leaves out what it would have shown\n"
        }
        for finding in self.findings {
            out += "\n\(finding.severity.rawValue.uppercased()) \(finding.object) [\(finding.code)]\n"
            out += "  \(finding.problem)\n"
            for line in finding.evidence { out += "  seen: \(line)\n" }
            out += "  fix:  \(finding.fix)\n"
        }
        return out
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : noun.hasSuffix("s") ? "es" : "s")"
    }

    /// Pretty JSON with sorted keys: the same input gives the same bytes.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    private enum CodingKeys: String, CodingKey { case findings, input, unread, clean }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.findings = try container.decode([Finding].self, forKey: .findings)
        self.input = try container.decode(String.self, forKey: .input)
        self.unread = try container.decodeIfPresent([String].self, forKey: .unread) ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.findings, forKey: .findings)
        try container.encode(self.input, forKey: .input)
        try container.encode(self.unread, forKey: .unread)
        try container.encode(self.isClean, forKey: .clean)
    }
}
