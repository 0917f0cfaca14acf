/// One problem `rewind doctor` found: what is wrong, the evidence it saw, and how to fix it.
package struct Finding: Codable, Hashable, Sendable {
    /// A stable identifier of the kind of problem (for scripts and tests), e.g. `storage-class-not-found`.
    package struct Code: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { self.rawValue }

        package init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.rawValue)
        }

        /// A claim names a StorageClass the cluster does not have (Docker Desktop has `hostpath` or `standard`).
        /// Nothing to diagnose: no pod and no log was read (a wrong namespace, context or selector).
        package static let noPods = Self(rawValue: "no-pods")
        package static let storageClassNotFound = Self(rawValue: "storage-class-not-found")
        /// A claim names no class and the cluster has no default class.
        package static let noDefaultStorageClass = Self(rawValue: "no-default-storage-class")
        /// A claim stays Pending for another reason.
        package static let claimPending = Self(rawValue: "pvc-pending")
        /// A PersistentVolume and the claim meant for it name different StorageClasses, so they never bind.
        package static let storageClassMismatch = Self(rawValue: "pv-pvc-storage-class-mismatch")
        /// mysqld cannot write its data directory (`OS errno 13 - Permission denied`).
        package static let dataDirectoryPermissionDenied = Self(rawValue: "datadir-permission-denied")
        /// The data directory was left half-initialised by a failed first start, and the log proves it holds no
        /// data (the entrypoint was initialising it).
        package static let dataDirectoryHalfInitialised = Self(rawValue: "datadir-half-initialised")
        /// mysqld cannot open the data directory (`Data Dictionary initialization failed`) and nothing shows that
        /// it is empty: it may hold data, so the advice never deletes it.
        package static let dataDirectoryUnusable = Self(rawValue: "datadir-unusable")
        /// The data directory was written by a newer MySQL than the image's (`[MY-013171]`, downgrade).
        package static let dataDirectoryNewerVersion = Self(rawValue: "datadir-newer-version")
        /// A container restarts again and again.
        package static let crashLoopBackOff = Self(rawValue: "crash-loop-back-off")
        /// A container was killed for exceeding its memory limit.
        package static let oomKilled = Self(rawValue: "oom-killed")
        /// The node cannot pull a container image.
        package static let imagePullFailed = Self(rawValue: "image-pull-failed")
        /// The server runs without a binary log, so there is nothing to recover from.
        package static let binlogDisabled = Self(rawValue: "binlog-disabled")
        /// A container cannot start because the Secret (or a key of it) that its environment names is missing.
        package static let secretMissing = Self(rawValue: "secret-missing")
        /// The scheduler finds no node with enough free memory or CPU for the pod's requests.
        package static let podUnschedulable = Self(rawValue: "pod-unschedulable")
        /// Probes log in and get `Access denied`: the probe's account or password is not the server's.
        package static let probeAccessDenied = Self(rawValue: "probe-access-denied")
        /// A pod is not ready for a reason no other finding names: its conditions, states and Warning events.
        package static let podNotReady = Self(rawValue: "pod-not-ready")
        /// mysqld ignored a config file (world-writable), so Rewind's binlog settings are not in force.
        package static let configFileIgnored = Self(rawValue: "config-file-ignored")
    }

    /// `error`: the deployment cannot work until it is fixed; `warning`: it may, but look.
    package enum Severity: String, Codable, Hashable, Sendable {
        case error, warning
    }

    package var code: Code
    package var severity: Severity
    /// The object concerned, as `kind/name` (`pod/mysql-0`, `pvc/data-mysql-0`).
    package var object: String
    package var problem: String
    /// What was seen: status fields, event messages, log lines.
    package var evidence: [String]
    package var fix: String

    package init(code: Code, severity: Severity, object: String, problem: String, evidence: [String], fix: String) {
        self.code = code
        self.severity = severity
        self.object = object
        self.problem = problem
        self.evidence = evidence
        self.fix = fix
    }
}
