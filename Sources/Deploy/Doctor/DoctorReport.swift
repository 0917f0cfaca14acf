import Foundation

/// The findings of one `rewind doctor` run, as text for people or JSON for scripts.
package struct DoctorReport: Codable, Hashable, Sendable {
    package var findings: [Finding]
    /// What was read, e.g. `3 pods, 2 claims, 1 volumes, 1 storage classes, 12 events, 2 logs`.
    package var input: String

    package var isClean: Bool { self.findings.isEmpty }

    package init(findings: [Finding], snapshot: ClusterSnapshot) {
        self.findings = findings
        self.input =
            "\(snapshot.pods.count) pods, \(snapshot.claims.count) claims, \(snapshot.volumes.count) volumes, "
            + "\(snapshot.storageClasses.count) storage classes, \(snapshot.events.count) events, "
            + "\(snapshot.logs.count) logs"
    }

    /// Diagnoses the snapshot.
    package init(diagnosing snapshot: ClusterSnapshot) {
        self.init(findings: Doctor.diagnose(snapshot), snapshot: snapshot)
    }

    /// Plain text, one block per finding.
    package var text: String {
        guard !self.findings.isEmpty else { return "rewind doctor: no problems found (read \(self.input))\n" }
        let errors = self.findings.filter { $0.severity == .error }.count
        var out = "rewind doctor: \(self.findings.count) problem(s), \(errors) error(s) (read \(self.input))\n"
        for finding in self.findings {
            out += "\n\(finding.severity.rawValue.uppercased()) \(finding.object) [\(finding.code)]\n"
            out += "  \(finding.problem)\n"
            for line in finding.evidence { out += "  seen: \(line)\n" }
            out += "  fix:  \(finding.fix)\n"
        }
        return out
    }

    /// Pretty JSON with sorted keys: the same input gives the same bytes.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    private enum CodingKeys: String, CodingKey { case findings, input, clean }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.findings = try container.decode([Finding].self, forKey: .findings)
        self.input = try container.decode(String.self, forKey: .input)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.findings, forKey: .findings)
        try container.encode(self.input, forKey: .input)
        try container.encode(self.isClean, forKey: .clean)
    }
}
