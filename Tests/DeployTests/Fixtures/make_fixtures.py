#!/usr/bin/env python3
"""Writes the `rewind doctor` fixtures: one folder per case, as `kubectl get ... -o json` and `kubectl logs` print them.

Each folder holds pods.json, pvc.json, pv.json, storageclass.json, events.json (v1 List objects with the fields the
API server fills in) and POD_CONTAINER[.previous].log files, plus expected.txt with the finding codes
`rewind doctor` must report, one per line (empty for a clean cluster). One folder (storage-class-not-found) holds
a single cluster.json instead, as `kubectl get pods,pvc,pv,storageclass,events -o json` prints it.
scripts/validate-deploy checks every object against the Kubernetes schema (kubernetes-validate --strict).

Run from anywhere: python3 Tests/DeployTests/Fixtures/make_fixtures.py
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
NS = "rewind"
T0 = "2026-11-20T09:12:00Z"
T1 = "2026-11-20T09:12:31Z"
T2 = "2026-11-20T09:14:05Z"


def uid(seed: str) -> str:
    h = hashlib.sha1(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def meta(name: str, namespace: str | None = NS, **extra) -> dict:
    m = {"creationTimestamp": T0, "name": name, "resourceVersion": str(1000 + len(name)), "uid": uid(name)}
    if namespace:
        m["namespace"] = namespace
    m.update(extra)
    return m


def lst(items: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def storage_class(name: str, default: bool, provisioner: str) -> dict:
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": meta(name, None, annotations=annotations),
        "provisioner": provisioner, "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
    }


HOSTPATH_SC = storage_class("hostpath", True, "docker.io/hostpath")


def pvc(name: str, phase: str, storage_class: str | None, volume: str | None = None) -> dict:
    spec: dict = {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}, "volumeMode": "Filesystem",
    }
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    if volume:
        spec["volumeName"] = volume
    status: dict = {"phase": phase}
    if phase == "Bound":
        status.update({"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "5Gi"}})
    labels = {"app.kubernetes.io/component": "database", "app.kubernetes.io/name": "mysql"}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta(name, labels=labels),
            "spec": spec, "status": status}


def pv(name: str, phase: str, storage_class: str, path: str, claim: str | None, reclaim: str = "Delete") -> dict:
    spec: dict = {
        "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "5Gi"},
        "hostPath": {"path": path, "type": ""}, "persistentVolumeReclaimPolicy": reclaim,
        "storageClassName": storage_class, "volumeMode": "Filesystem",
    }
    if claim:
        spec["claimRef"] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": claim, "namespace": NS,
                            "uid": uid(claim)}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta(name, None), "spec": spec,
            "status": {"phase": phase}}


def event(kind: str, name: str, reason: str, message: str, type_: str = "Normal", count: int = 1,
          component: str = "persistentvolume-controller", api_version: str = "v1") -> dict:
    ev_name = f"{name}.{hashlib.sha1((reason + message).encode()).hexdigest()[:16]}"
    return {
        "apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": T0,
        "involvedObject": {"apiVersion": api_version, "kind": kind, "name": name, "namespace": NS,
                           "resourceVersion": "1001", "uid": uid(name)},
        "kind": "Event", "lastTimestamp": T2, "message": message, "metadata": meta(ev_name),
        "reason": reason, "reportingComponent": component, "reportingInstance": "",
        "source": {"component": component}, "type": type_,
    }


SECRET_ENV = [
    {"name": key, "valueFrom": {"secretKeyRef": {"key": key, "name": "mysql-credentials-5m2k7hc8bt"}}}
    for key in ("MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD", "REWIND_USER",
                "REWIND_PASSWORD")
]


def mysql_pod(state: dict, last_state: dict, ready: bool, restarts: int, phase: str = "Running",
              args: list[str] | None = None, claim: str = "data-mysql-0", memory: str = "768Mi") -> dict:
    container = {
        "env": SECRET_ENV, "image": "mysql:8.0", "imagePullPolicy": "IfNotPresent", "name": "mysql",
        "ports": [{"containerPort": 3306, "name": "mysql", "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "1", "memory": memory}, "requests": {"cpu": "250m", "memory": memory}},
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                            "privileged": False, "readOnlyRootFilesystem": True},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "volumeMounts": [{"mountPath": "/var/lib/mysql", "name": "data"},
                         {"mountPath": "/etc/mysql/conf.d", "name": "config", "readOnly": True}],
    }
    if args:
        container["args"] = args
    status = {
        "conditions": [
            {"lastProbeTime": None, "lastTransitionTime": T0, "status": "True", "type": "PodScheduled"},
            {"lastProbeTime": None, "lastTransitionTime": T1, "status": "True" if ready else "False",
             "type": "Ready"},
        ],
        "hostIP": "192.168.65.3", "phase": phase, "podIP": "10.1.0.23", "qosClass": "Guaranteed",
        "startTime": T0,
    }
    if state is not None:
        status["containerStatuses"] = [{
            "containerID": "docker://" + hashlib.sha256(b"mysql").hexdigest(),
            "image": "mysql:8.0",
            "imageID": "docker-pullable://mysql@sha256:" + hashlib.sha256(b"mysql:8.0").hexdigest(),
            "lastState": last_state, "name": "mysql", "ready": ready, "restartCount": restarts,
            "started": ready, "state": state,
        }]
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": meta("mysql-0", labels={"app.kubernetes.io/component": "database",
                                            "app.kubernetes.io/name": "mysql",
                                            "apps.kubernetes.io/pod-index": "0",
                                            "statefulset.kubernetes.io/pod-name": "mysql-0"},
                         ownerReferences=[{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                           "kind": "StatefulSet", "name": "mysql", "uid": uid("sts-mysql")}]),
        "spec": {
            "automountServiceAccountToken": False, "containers": [container], "hostname": "mysql-0",
            "nodeName": "docker-desktop", "restartPolicy": "Always",
            "securityContext": {"fsGroup": 999, "fsGroupChangePolicy": "OnRootMismatch", "runAsGroup": 999,
                                "runAsNonRoot": True, "runAsUser": 999,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "subdomain": "mysql-headless", "terminationGracePeriodSeconds": 120,
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}},
                        {"configMap": {"defaultMode": 420, "name": "mysql-config-8f9h2kd7c4"}, "name": "config"}],
        },
        "status": status,
    }


RUNNING = {"running": {"startedAt": T1}}
NOTHING: dict = {}


def crash_loop(exit_code: int = 1, reason: str = "Error") -> tuple[dict, dict]:
    return (
        {"waiting": {"message": "back-off 2m40s restarting failed container=mysql pod=mysql-0_rewind("
                                + uid("mysql-0") + ")", "reason": "CrashLoopBackOff"}},
        {"terminated": {"containerID": "docker://" + hashlib.sha256(b"prev").hexdigest(), "exitCode": exit_code,
                        "finishedAt": T2, "reason": reason, "startedAt": T1}},
    )


ENTRYPOINT_START = """\
2026-11-20 09:12:31+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.
2026-11-20 09:12:31+00:00 [Note] [Entrypoint]: Initializing database files
2026-11-20T09:12:31.912034Z 0 [Warning] [MY-011068] [Server] The syntax '--skip-host-cache' is deprecated and will be removed in a future release. Please use SET GLOBAL host_cache_size=0 instead.
2026-11-20T09:12:31.913871Z 0 [System] [MY-013169] [Server] /usr/sbin/mysqld (mysqld 8.0.40) initializing of server in progress as process 80
"""

ERRNO13_LOG = ENTRYPOINT_START + """\
mysqld: File './mysql-bin.index' not found (OS errno 13 - Permission denied)
2026-11-20T09:12:31.921877Z 0 [ERROR] [MY-010119] [Server] Aborting
2026-11-20T09:12:31.922101Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.40)  MySQL Community Server - GPL.
"""

DD_LOG = """\
2026-11-20 09:14:05+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.
2026-11-20T09:14:05.633512Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.40) starting as process 1
2026-11-20T09:14:05.640011Z 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.
2026-11-20T09:14:05.702364Z 1 [ERROR] [MY-012592] [InnoDB] Operating system error number 2 in a file operation.
2026-11-20T09:14:05.702401Z 1 [ERROR] [MY-012593] [InnoDB] The error means the system cannot find the path specified.
2026-11-20T09:14:05.702488Z 1 [ERROR] [MY-012216] [InnoDB] Cannot open datafile for read-only: './mysql.ibd' OS error: 71
2026-11-20T09:14:05.702631Z 1 [ERROR] [MY-012930] [InnoDB] Plugin initialization aborted with error Generic error.
2026-11-20T09:14:05.703044Z 1 [ERROR] [MY-010334] [Server] Failed to initialize DD Storage Engine
2026-11-20T09:14:05.703212Z 0 [ERROR] [MY-010020] [Server] Data Dictionary initialization failed.
2026-11-20T09:14:05.703290Z 0 [ERROR] [MY-010119] [Server] Aborting
2026-11-20T09:14:05.711002Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.40)  MySQL Community Server - GPL.
"""

HEALTHY_LOG = """\
2026-11-20 09:12:31+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.
2026-11-20 09:12:31+00:00 [Note] [Entrypoint]: Switching to dedicated user 'mysql'
2026-11-20T09:12:32.331203Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.40) starting as process 1
2026-11-20T09:12:32.340012Z 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.
2026-11-20T09:12:32.811020Z 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.
2026-11-20T09:12:33.102811Z 0 [System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock
2026-11-20T09:12:33.103027Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.40'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.
"""

UNKNOWN_VARIABLE_LOG = """\
2026-11-20 09:14:05+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.
2026-11-20T09:14:05.633512Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.40) starting as process 1
2026-11-20T09:14:05.640223Z 0 [ERROR] [MY-000067] [Server] unknown variable 'binlog_row_metdata=FULL'.
2026-11-20T09:14:05.640331Z 0 [ERROR] [MY-010119] [Server] Aborting
2026-11-20T09:14:05.641002Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.40)  MySQL Community Server - GPL.
"""

WORLD_WRITABLE_LOG = """\
mysqld: [Warning] World-writable config file '/etc/mysql/conf.d/rewind-binlog.cnf' is ignored.
""" + HEALTHY_LOG

BINLOG_OFF_LOG = HEALTHY_LOG


DOWNGRADE_LOG = """\
2026-11-20 09:14:05+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.
2026-11-20T09:14:05.633512Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.40) starting as process 1
2026-11-20T09:14:05.640011Z 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.
2026-11-20T09:14:05.702364Z 1 [ERROR] [MY-013171] [InnoDB] Cannot boot server version 80040 on data directory built by version 80407. Downgrade is not supported
mysqld: Can't open file: 'mysql.ibd' (errno: 0 - )
2026-11-20T09:14:05.702631Z 1 [ERROR] [MY-012930] [InnoDB] Plugin initialization aborted with error Generic error.
2026-11-20T09:14:05.703044Z 1 [ERROR] [MY-010334] [Server] Failed to initialize DD Storage Engine
2026-11-20T09:14:05.703212Z 0 [ERROR] [MY-010020] [Server] Data Dictionary initialization failed.
2026-11-20T09:14:05.703290Z 0 [ERROR] [MY-010119] [Server] Aborting
2026-11-20T09:14:05.711002Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.40)  MySQL Community Server - GPL.
"""

REINITIALISE_LOG = """\
2026-11-20 09:14:05+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.44-1.el9 started.
2026-11-20 09:14:05+00:00 [Note] [Entrypoint]: Initializing database files
2026-11-20T09:14:05.913871Z 0 [System] [MY-013169] [Server] /usr/sbin/mysqld (mysqld 8.0.44) initializing of server in progress as process 80
2026-11-20T09:14:05.915102Z 0 [ERROR] [MY-010457] [Server] --initialize specified but the data directory has files in it. Aborting.
2026-11-20T09:14:05.915177Z 0 [ERROR] [MY-013236] [Server] The designated data directory /var/lib/mysql/data/ is unusable. You can remove all files that the server added to it.
2026-11-20T09:14:05.915311Z 0 [ERROR] [MY-010119] [Server] Aborting
"""


def dynamic_pv(claim: str = "data-mysql-0") -> dict:
    name = "pvc-" + uid(claim)
    return pv(name, "Bound", "hostpath", f"/var/lib/k8s-pvs/{claim}/{name}", claim)


def write(case: str, files: dict[str, object], expected: list[str]) -> None:
    folder = os.path.join(HERE, case)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, content in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                json.dump(content, handle, indent=4, sort_keys=True)
                handle.write("\n")
    with open(os.path.join(folder, "expected.txt"), "w", encoding="utf-8") as handle:
        handle.write("".join(code + "\n" for code in expected))


def standard_files(pod: dict, claim: dict, volumes: list[dict], events: list[dict], classes=None) -> dict:
    return {
        "pods.json": lst([pod]), "pvc.json": lst([claim]), "pv.json": lst(volumes),
        "storageclass.json": lst(classes if classes is not None else [HOSTPATH_SC]), "events.json": lst(events),
    }


def main() -> None:
    started = [
        event("Pod", "mysql-0", "Scheduled", "Successfully assigned rewind/mysql-0 to docker-desktop",
              component="default-scheduler"),
        event("Pod", "mysql-0", "Pulled", 'Container image "mysql:8.0" already present on machine',
              component="kubelet"),
    ]

    # A healthy docker-desktop install.
    files = standard_files(mysql_pod(RUNNING, NOTHING, True, 0),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")),
                           [dynamic_pv()],
                           started + [event("PersistentVolumeClaim", "data-mysql-0", "ProvisioningSucceeded",
                                            "Successfully provisioned volume pvc-" + uid("data-mysql-0"),
                                            component="docker.io/hostpath")])
    files["mysql-0_mysql.log"] = HEALTHY_LOG
    write("clean", files, [])

    # Seed failure 1: the claim asks for `standard`, Docker Desktop only has `hostpath`. One combined List.
    pending_pod = mysql_pod(None, NOTHING, False, 0, phase="Pending")
    pending_pod["status"]["conditions"] = [{
        "lastProbeTime": None, "lastTransitionTime": T0, "message": "0/1 nodes are available: pod has unbound "
        "immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for "
        "scheduling.", "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    for key in ("hostIP", "podIP", "startTime"):
        pending_pod["status"].pop(key)
    cluster = lst([
        pending_pod, pvc("data-mysql-0", "Pending", "standard"), HOSTPATH_SC,
        event("PersistentVolumeClaim", "data-mysql-0", "ProvisioningFailed",
              'storageclass.storage.k8s.io "standard" not found', type_="Warning", count=14),
        event("Pod", "mysql-0", "FailedScheduling", pending_pod["status"]["conditions"][0]["message"],
              type_="Warning", component="default-scheduler"),
    ])
    write("storage-class-not-found", {"cluster.json": cluster}, ["storage-class-not-found"])

    # Seed failure 4: a hand-made PV (class "manual", a Windows folder) and a claim of class hostpath naming it.
    write("pv-pvc-mismatch", standard_files(
        pending_pod, pvc("data-mysql-0", "Pending", "hostpath", "mysql-pv"),
        [pv("mysql-pv", "Available", "manual", "/run/desktop/mnt/host/c/Users/dev/mysql-data", None, "Retain")],
        [event("PersistentVolumeClaim", "data-mysql-0", "VolumeMismatch",
               'Cannot bind to requested volume "mysql-pv": storageClassName does not match', type_="Warning",
               count=9)]), ["pv-pvc-storage-class-mismatch"])

    # Seed failure 2: errno 13 on a hostPath PV on a Windows folder (fsGroup ignored).
    windows_pv = pv("mysql-pv", "Bound", "", "/run/desktop/mnt/host/c/Users/dev/mysql-data", "data-mysql-0",
                    "Retain")
    state, last = crash_loop()
    files = standard_files(mysql_pod(state, last, False, 3), pvc("data-mysql-0", "Bound", "", "mysql-pv"),
                           [windows_pv],
                           started + [event("Pod", "mysql-0", "BackOff", "Back-off restarting failed container "
                                            "mysql in pod mysql-0_rewind(" + uid("mysql-0") + ")", type_="Warning",
                                            count=12, component="kubelet")])
    files["mysql-0_mysql.previous.log"] = ERRNO13_LOG
    write("errno13-hostpath-ntfs", files, ["datadir-permission-denied", "crash-loop-back-off"])

    # Seed failure 3: Data Dictionary initialization failed, in CrashLoopBackOff. This run's log alone does not show
    # that the directory never held data, so the doctor must not advise deleting it (datadir-unusable).
    state, last = crash_loop()
    files = standard_files(mysql_pod(state, last, False, 7),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.previous.log"] = DD_LOG
    write("data-dictionary-failed", files, ["datadir-unusable", "crash-loop-back-off"])

    # The seed's whole story at its end: Windows hostPath PV, errno 13 at first, now the data dictionary fails.
    state, last = crash_loop()
    files = standard_files(mysql_pod(state, last, False, 11), pvc("data-mysql-0", "Bound", "", "mysql-pv"),
                           [windows_pv], started)
    files["mysql-0_mysql.log"] = ERRNO13_LOG
    files["mysql-0_mysql.previous.log"] = DD_LOG
    write("seed-windows-hostpath", files,
          ["datadir-permission-denied", "datadir-half-initialised", "crash-loop-back-off"])

    # A crash the doctor has no specific rule for: CrashLoopBackOff with the last log lines.
    state, last = crash_loop()
    files = standard_files(mysql_pod(state, last, False, 4),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.previous.log"] = UNKNOWN_VARIABLE_LOG
    write("crashloop-unknown-variable", files, ["crash-loop-back-off"])

    # OOMKilled: the buffer pool outgrew the limit; running again after a restart.
    files = standard_files(mysql_pod(RUNNING, crash_loop(137, "OOMKilled")[1], True, 2, memory="512Mi"),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.log"] = HEALTHY_LOG
    write("oomkilled", files, ["oom-killed"])

    # Image pull: rewind:local was never built.
    archiver = copy.deepcopy(mysql_pod(RUNNING, NOTHING, True, 0))
    archiver["metadata"] = meta("rewind-archiver-0", labels={"app.kubernetes.io/name": "rewind-archiver"})
    archiver["spec"]["containers"] = [{
        "command": ["rewind", "binlog", "archive", "--to", "/archive", "--follow"],
        "env": [{"name": "MYSQL_HOST", "value": "mysql"}], "image": "rewind:local",
        "imagePullPolicy": "IfNotPresent", "name": "archiver",
        "volumeMounts": [{"mountPath": "/archive", "name": "archive"}],
    }]
    archiver["spec"]["volumes"] = [{"name": "archive", "persistentVolumeClaim": {"claimName": "archive-rewind-archiver-0"}}]
    archiver["spec"]["hostname"] = "rewind-archiver-0"
    archiver["status"]["phase"] = "Pending"
    archiver["status"]["containerStatuses"] = [{
        "image": "rewind:local", "imageID": "", "lastState": {}, "name": "archiver", "ready": False,
        "restartCount": 0, "started": False,
        "state": {"waiting": {"message": 'Back-off pulling image "rewind:local"', "reason": "ImagePullBackOff"}},
    }]
    healthy = mysql_pod(RUNNING, NOTHING, True, 0)
    files = {
        "pods.json": lst([healthy, archiver]),
        "pvc.json": lst([pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")),
                         pvc("archive-rewind-archiver-0", "Bound", "hostpath",
                             "pvc-" + uid("archive-rewind-archiver-0"))]),
        "pv.json": lst([dynamic_pv(), dynamic_pv("archive-rewind-archiver-0")]),
        "storageclass.json": lst([HOSTPATH_SC]),
        "events.json": lst([event("Pod", "rewind-archiver-0", "Failed", 'Failed to pull image "rewind:local": Error '
                                  'response from daemon: pull access denied for rewind, repository does not exist '
                                  'or may require \'docker login\'', type_="Warning", count=5, component="kubelet")]),
        "mysql-0_mysql.log": HEALTHY_LOG,
    }
    write("image-pull", files, ["image-pull-failed"])

    # Binlog disabled by an argument someone added.
    files = standard_files(mysql_pod(RUNNING, NOTHING, True, 0, args=["--skip-log-bin"]),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.log"] = BINLOG_OFF_LOG
    write("binlog-disabled", files, ["binlog-disabled"])

    # World-writable config file from a Windows bind mount: ignored, so the binlog settings are not in force.
    files = standard_files(mysql_pod(RUNNING, NOTHING, True, 0),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.log"] = WORLD_WRITABLE_LOG
    write("config-ignored", files, ["config-file-ignored"])

    # No class named and no default class (a bare kubeadm cluster).
    files = standard_files(pending_pod, pvc("data-mysql-0", "Pending", None), [],
                           [event("PersistentVolumeClaim", "data-mysql-0", "FailedBinding",
                                  "no persistent volumes available for this claim and no storage class is set",
                                  type_="Warning", count=20)],
                           classes=[storage_class("local-path", False, "rancher.io/local-path")])
    write("no-default-storage-class", files, ["no-default-storage-class"])

    # Held-out failures (issue 12). A data directory written by MySQL 8.4, started with an 8.0 image: a downgrade.
    # The log also says "Data Dictionary initialization failed"; the advice must never delete the volume.
    state, last = crash_loop()
    files = standard_files(mysql_pod(state, last, False, 5),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started)
    files["mysql-0_mysql.previous.log"] = DOWNGRADE_LOG
    write("downgrade-newer-datadir", files, ["datadir-newer-version", "crash-loop-back-off"])

    # A Secret without a key the pod's environment names: CreateContainerConfigError, no log at all.
    waiting = {"waiting": {"message": "couldn't find key REWIND_PASSWORD in Secret rewind/mysql-credentials",
                           "reason": "CreateContainerConfigError"}}
    pod = mysql_pod(waiting, NOTHING, False, 0, phase="Pending")
    files = standard_files(pod, pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")),
                           [dynamic_pv()],
                           started[:1] + [event("Pod", "mysql-0", "Failed", "Error: couldn't find key REWIND_PASSWORD "
                                                "in Secret rewind/mysql-credentials", type_="Warning", count=8,
                                                component="kubelet")])
    write("secret-key-missing", files, ["secret-missing"])

    # No node has the memory the pod requests (a laptop cluster with 2 GiB): never scheduled.
    message = ("0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No "
               "preemption victims found for incoming pod.")
    pod = mysql_pod(None, NOTHING, False, 0, phase="Pending", memory="4Gi")
    pod["status"]["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": T0, "message": message,
                                    "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    for key in ("hostIP", "podIP", "startTime"):
        pod["status"].pop(key)
    files = standard_files(pod, pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")),
                           [dynamic_pv()],
                           [event("Pod", "mysql-0", "FailedScheduling", message, type_="Warning", count=6,
                                  component="default-scheduler")])
    write("insufficient-memory", files, ["pod-unschedulable"])

    # The Secret changed after the first start: the data directory keeps the old root password, the probe logs in
    # with the new one and is refused; mysqld runs, the pod never gets ready.
    denied = ("Readiness probe failed: mysql: [Warning] Using a password on the command line interface can be "
              "insecure.\nERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)\n")
    files = standard_files(mysql_pod(RUNNING, NOTHING, False, 0),
                           pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")), [dynamic_pv()],
                           started + [event("Pod", "mysql-0", "Unhealthy", denied, type_="Warning", count=42,
                                            component="kubelet")])
    files["mysql-0_mysql.log"] = HEALTHY_LOG
    write("probe-access-denied", files, ["probe-access-denied"])

    # Not ready for a reason without a rule (a ConfigMap the pod mounts is missing): the general finding.
    pod = mysql_pod({"waiting": {"reason": "ContainerCreating"}}, NOTHING, False, 0, phase="Pending")
    files = standard_files(pod, pvc("data-mysql-0", "Bound", "hostpath", "pvc-" + uid("data-mysql-0")),
                           [dynamic_pv()],
                           started[:1] + [event("Pod", "mysql-0", "FailedMount", 'MountVolume.SetUp failed for '
                                                'volume "config" : configmap "mysql-config-8f9h2kd7c4" not found',
                                                type_="Warning", count=9, component="kubelet")])
    write("not-ready-failed-mount", files, ["pod-not-ready"])

    # A Deployment (not the shipped StatefulSet) whose first start failed and left files: the log proves the
    # directory was being initialised, so wiping is safe; the fix names deployment/db, not statefulset mysql.
    state, last = crash_loop()
    pod = mysql_pod(state, last, False, 3, claim="db-data")
    pod["metadata"] = meta("db-6c9f7d8b5-x2kqp", labels={"app": "db", "pod-template-hash": "6c9f7d8b5"},
                           ownerReferences=[{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                             "controller": True, "kind": "ReplicaSet", "name": "db-6c9f7d8b5",
                                             "uid": uid("rs-db")}])
    pod["spec"].pop("hostname")
    pod["spec"].pop("subdomain")
    files = standard_files(pod, pvc("db-data", "Bound", "hostpath", "pvc-" + uid("db-data")),
                           [dynamic_pv("db-data")], [])
    files["db-6c9f7d8b5-x2kqp_mysql.previous.log"] = REINITIALISE_LOG
    write("deployment-half-initialised", files, ["datadir-half-initialised", "crash-loop-back-off"])


if __name__ == "__main__":
    main()
