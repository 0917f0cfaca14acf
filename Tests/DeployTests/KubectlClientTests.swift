import Foundation
import Testing

@testable import Deploy

/// ``KubectlClient`` against a stand-in `kubectl` script that answers from a fixture folder.
@Suite struct KubectlClientTests {
    /// A temporary directory holding an executable `kubectl` that logs its arguments and prints fixture files.
    /// `forbidden` kinds (`pv`, `storageclass`) are refused as RBAC refuses them, alone or within a list.
    private func fakeKubectl(fixture: String, failGet: Bool = false, forbidden: [String] = []) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewind-fake-kubectl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = DoctorFixture(name: fixture).path
        let script = """
            #!/bin/sh
            echo "$*" >> "\(directory)/calls"
            case "$*" in
              *" get "*)
                if [ "\(failGet)" = true ]; then
                  echo 'E1125 memcache.go:265] "Unhandled Error"' >&2
                  echo 'The connection to the server localhost:8080 was refused' >&2
                  exit 1
                fi
                python3 - "\(source)" "\(forbidden.joined(separator: ","))" "$@" <<'PY'
            import json, os, sys
            source, forbidden, args = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
            kinds = args[args.index("get") + 1].split(",")
            plural = {"pv": "persistentvolumes", "storageclass": "storageclasses", "pods": "pods",
                      "pvc": "persistentvolumeclaims", "events": "events"}
            refused = [k for k in kinds if k in forbidden]
            if refused:
                print('Error from server (Forbidden): %s is forbidden: User "dev" cannot list resource "%s" in API '
                      'group "" at the cluster scope' % (plural[refused[0]], plural[refused[0]]), file=sys.stderr)
                sys.exit(1)
            items = []
            for kind in kinds:
                path = os.path.join(source, kind + ".json")
                if os.path.exists(path):
                    items += json.load(open(path))["items"]
            print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
            PY
                ;;
              *" logs "*"--previous"*)
                cat "\(source)/mysql-0_mysql.previous.log" 2>/dev/null \\
                  || { echo 'previous terminated container not found' >&2; exit 1; } ;;
              *" logs "*) cat "\(source)/mysql-0_mysql.log" 2>/dev/null || true ;;
            esac
            """
        // The script is written here but the executable is made by `install` in a child process: a file
        // this process had open for writing could leak into a child that another test forks at that
        // moment, and exec of a file someone holds open for writing fails with ETXTBSY.
        let scriptPath = directory + "/kubectl.sh"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let install = Process()
        install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
        install.arguments = ["-m", "0755", scriptPath, directory + "/kubectl"]
        try install.run()
        install.waitUntilExit()
        guard install.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: directory + "/kubectl"])
        }
        return directory
    }

    @Test func noKubectlOnPathGivesNil() {
        #expect(KubectlClient(namespace: "rewind", context: nil, environment: ["PATH": "/nonexistent"]) == nil)
    }

    @Test func readsObjectsAndTheLogsOfTroubledContainers() throws {
        let directory = try self.fakeKubectl(fixture: "seed-windows-hostpath")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try #require(
            KubectlClient(namespace: "rewind", context: "docker-desktop", environment: ["PATH": directory])
        )
        let snapshot = try client.snapshot()
        #expect(snapshot.pods.count == 1 && snapshot.volumes.count == 1 && snapshot.sawStorageClasses)
        #expect(snapshot.logs.map(\.previous) == [true, false])
        #expect(
            Doctor.diagnose(snapshot).map(\.code) == [
                .dataDirectoryPermissionDenied, .dataDirectoryHalfInitialised, .crashLoopBackOff,
            ]
        )
        let calls = try String(contentsOfFile: directory + "/calls", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(
            calls.first
                == "--context docker-desktop --namespace rewind get pods,pvc,pv,storageclass,events -o json"
        )
        #expect(
            calls.contains("--context docker-desktop --namespace rewind logs mysql-0 -c mysql --tail 200 --previous")
        )
    }

    @Test func healthyPodsGetNoLogFetches() throws {
        let directory = try self.fakeKubectl(fixture: "clean")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try #require(KubectlClient(namespace: "rewind", context: nil, environment: ["PATH": directory]))
        let snapshot = try client.snapshot()
        #expect(snapshot.logs.isEmpty)
        #expect(Doctor.diagnose(snapshot).isEmpty)
        let calls = try String(contentsOfFile: directory + "/calls", encoding: .utf8)
        #expect(!calls.contains(" logs "))
    }

    @Test func failingKubectlThrowsItsLastErrorLine() throws {
        let directory = try self.fakeKubectl(fixture: "clean", failGet: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try #require(KubectlClient(namespace: "rewind", context: nil, environment: ["PATH": directory]))
        let error = #expect(throws: DoctorInputError.self) { try client.snapshot() }
        #expect(error?.reason.hasSuffix("The connection to the server localhost:8080 was refused") == true)
    }

    @Test func kindsTheUserMayNotListAreLeftOutAndNamed() throws {
        let directory = try self.fakeKubectl(fixture: "data-dictionary-failed", forbidden: ["pv", "storageclass"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try #require(KubectlClient(namespace: "rewind", context: nil, environment: ["PATH": directory]))
        let snapshot = try client.snapshot()
        #expect(snapshot.pods.count == 1 && snapshot.claims.count == 1 && snapshot.volumes.isEmpty)
        #expect(!snapshot.sawStorageClasses)
        #expect(snapshot.unread.count == 2)
        #expect(snapshot.unread.first?.hasPrefix("persistentvolumes (Error from server (Forbidden)") == true)
        #expect(Doctor.diagnose(snapshot).map(\.code) == [.dataDirectoryUnusable, .crashLoopBackOff])
        let text = DoctorReport(diagnosing: snapshot).text
        #expect(text.contains("rewind doctor: could not read persistentvolumes (Error from server (Forbidden)"))
        #expect(text.contains("rewind doctor: could not read storageclasses ("))
        let calls = try String(contentsOfFile: directory + "/calls", encoding: .utf8)
        #expect(calls.contains("--namespace rewind get pods -o json"))
        #expect(calls.contains("--namespace rewind get storageclass -o json"))
    }

    @Test func nothingReadableThrows() throws {
        let directory = try self.fakeKubectl(
            fixture: "clean",
            forbidden: ["pods", "pvc", "pv", "storageclass", "events"]
        )
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try #require(KubectlClient(namespace: "rewind", context: nil, environment: ["PATH": directory]))
        #expect(throws: DoctorInputError.self) { try client.snapshot() }
    }
}
