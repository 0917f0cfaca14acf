#!/usr/bin/env python3
"""Semantic checks of rendered Kubernetes manifests (`kubectl kustomize OVERLAY` output).

Schema validation (kubernetes-validate) and policy checks (checkov) do not see how objects refer to each other.
This script does, and fails with one line per problem:

- a workload's selector must match its pod template's labels; a Service's selector must match the pod template
  of exactly one workload;
  a Service's named targetPort must be a container port of those pods;
- every resource quantity (cpu, memory, storage) must parse, and requests must not exceed limits;
- every PersistentVolumeClaim and volumeClaimTemplate must ask for the overlay's StorageClass (`--storage-class`),
  or for none when the overlay relies on the cluster default (`--storage-class ''`); hand-made PersistentVolumes
  are refused (dynamic provisioning only);
- every volumeMount names a volume of the pod (or a volumeClaimTemplate); every ConfigMap, Secret and key that a
  pod refers to exists in the rendered output;
- MySQL's buffer pool as InnoDB really sizes it (rounded up to chunk size x instances) is exactly the configured
  size and at most 75% of the container's memory limit; with temptable_max_ram (set explicitly: its default is
  1 GiB) at most 90%;
- `kubectl delete -k` keeps data: no Namespace and no PersistentVolumeClaim among the rendered objects (they come
  from deploy/prepare, given with --external), and every volumeClaimTemplate's StatefulSet says
  persistentVolumeClaimRetentionPolicy whenDeleted/whenScaled Retain;
- with --cluster-classes (a `kubectl get storageclass -o json` file, repeatable) every claim binds on that
  cluster: a class it names exists, or it names none and the cluster has a default class;
- every pod template meets the Pod Security Admission level of its Namespace (the `enforce` label of the
  Namespace given with --external);
- an `*_FILE` variable that points into a mounted Secret names a key the Secret has;
- no Secret value on a command line and no credential in plain text (env, command lines, ConfigMaps, Secrets in
  the kustomization): check_credentials.py;
- probes never log in as root and never read a password; no container runs `chown -R` unconditionally;
- the mysql image is pinned to a patch release; every CronJob sets timeZone and is not suspended;
- a container running `rewind binlog archive --follow` serves --metrics-port on a declared container port and its
  livenessProbe asks that port's /healthz (a probe that looks at files, `test -w /archive`, never sees a stalled
  stream);
- with --check-claims, every claim a pod mounts by name exists: made by deploy/prepare (--external) or by a
  StatefulSet's volumeClaimTemplate (`TEMPLATE-STATEFULSET-ORDINAL`) among the rendered objects.

Usage: check_rendered.py --storage-class '' [--external prepared.yaml] [--cluster-classes classes.json] rendered.yaml
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from decimal import Decimal, InvalidOperation

import yaml

import check_credentials

QUANTITY = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
SUFFIX = {
    None: Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": Decimal(10**3),
    "M": Decimal(10**6), "G": Decimal(10**9), "T": Decimal(10**12), "P": Decimal(10**15), "E": Decimal(10**18),
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40), "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}
MYSQL_SIZE = re.compile(r"^([0-9]+)([KkMmGgTt]?)$")
BUFFER_POOL_SHARE = Decimal("0.75")
MEMORY_SHARE = Decimal("0.90")
CHUNK_DEFAULT = Decimal(128 * 2**20)
TEMPTABLE_DEFAULT = Decimal(2**30)
PINNED_MYSQL = re.compile(r"^(?:.*/)?mysql(?::\d+\.\d+\.\d+(?:-\S+)?|(?::\d+\.\d+\.\d+)?@sha256:[0-9a-f]{64})$")
# Pod Security Standards: volume types "restricted" allows, capabilities "baseline" allows to add.
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected",
                      "secret"}
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}


def parse_quantity(value: object) -> Decimal | None:
    """A Kubernetes resource.Quantity as a number, or None when it does not parse."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    match = QUANTITY.match(value.strip())
    if not match:
        return None
    number, suffix = match.groups()
    try:
        base = Decimal(number)
    except InvalidOperation:
        return None
    if suffix and suffix[0] in "eE":
        return base * (Decimal(10) ** int(suffix[1:]))
    return base * SUFFIX[suffix]


def parse_mysql_size(value: str) -> Decimal | None:
    match = MYSQL_SIZE.match(value.strip())
    if not match:
        return None
    number, unit = match.groups()
    return Decimal(number) * {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}[unit.lower()]


def name_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')}/{meta.get('name')}"


def pod_template(obj: dict) -> dict | None:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return {"metadata": obj.get("metadata") or {}, "spec": spec}
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
    if kind in WORKLOADS:
        return spec.get("template")
    return None


class Checker:
    def __init__(self, docs: list[dict], storage_class: str | None, external: list[dict] | None = None,
                 cluster_classes: dict[str, list[dict]] | None = None, check_claims: bool = False) -> None:
        self.docs = docs
        self.check_claims = check_claims
        self.storage_class = storage_class
        self.external = external or []
        self.cluster_classes = cluster_classes or {}
        self.problems: list[str] = []
        everything = docs + self.external
        self.config_maps = {d["metadata"]["name"]: d for d in everything if d.get("kind") == "ConfigMap"}
        self.secrets = {d["metadata"]["name"]: d for d in everything if d.get("kind") == "Secret"}
        self.namespaces = {d["metadata"]["name"]: d for d in self.external if d.get("kind") == "Namespace"}

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def run(self) -> list[str]:
        for obj in self.docs:
            kind = obj.get("kind")
            if kind in WORKLOADS:
                self.check_workload(obj)
            elif kind == "Service":
                self.check_service(obj)
            elif kind == "PersistentVolumeClaim":
                self.check_claim(name_of(obj), obj.get("spec") or {})
                self.problem(f"{name_of(obj)}: a PersistentVolumeClaim in the kustomization is deleted by `kubectl "
                             "delete -k` with its data; make it in deploy/prepare or use a volumeClaimTemplate")
            elif kind == "Namespace":
                self.problem(f"{name_of(obj)}: a Namespace in the kustomization is deleted by `kubectl delete -k`, "
                             "and every volume in it; deploy/prepare makes it")
            elif kind == "ConfigMap":
                for text in check_credentials.config_map_problems(name_of(obj), obj):
                    self.problem(text)
            elif kind == "Secret":
                for text in check_credentials.secret_object_problems(name_of(obj), obj):
                    self.problem(text)
            elif kind == "PersistentVolume":
                self.problem(
                    f"{name_of(obj)}: hand-made PersistentVolume; use dynamic provisioning through the StorageClass "
                    "(a PV whose storageClassName differs from its claim's never binds)")
        for external in self.external:
            if external.get("kind") == "PersistentVolumeClaim":
                self.check_claim(name_of(external) + " (external)", external.get("spec") or {})
        if self.check_claims:
            self.check_claim_references()
        return self.problems

    def check_claim_references(self) -> None:
        """Every persistentVolumeClaim a pod mounts is deploy/prepare's or a StatefulSet's volumeClaimTemplate's."""
        def plain(obj: dict) -> str:
            return str((obj.get("metadata") or {}).get("name"))

        claims = {plain(d) for d in self.external if d.get("kind") == "PersistentVolumeClaim"}
        for obj in self.docs:
            if obj.get("kind") != "StatefulSet":
                continue
            spec = obj.get("spec") or {}
            for template in spec.get("volumeClaimTemplates") or []:
                for ordinal in range(int(spec.get("replicas", 1))):
                    claims.add(f"{plain(template)}-{plain(obj)}-{ordinal}")
        for obj in self.docs:
            template = pod_template(obj) if obj.get("kind") in WORKLOADS else None
            for volume in ((template or {}).get("spec") or {}).get("volumes") or []:
                claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
                if claim and claim not in claims:
                    self.problem(f"{name_of(obj)}: volume {volume.get('name')} mounts the claim {claim}, which neither "
                                 "deploy/prepare nor a StatefulSet's volumeClaimTemplate makes (known: "
                                 f"{', '.join(sorted(claims)) or 'none'})")

    # Workloads

    def check_workload(self, obj: dict) -> None:
        where = name_of(obj)
        spec = obj.get("spec") or {}
        template = pod_template(obj)
        if template is None:
            self.problem(f"{where}: no pod template")
            return
        labels = (template.get("metadata") or {}).get("labels") or {}
        selector = (spec.get("selector") or {}).get("matchLabels")
        if obj.get("kind") in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}:
            if not selector:
                self.problem(f"{where}: spec.selector.matchLabels is empty")
            for key, value in (selector or {}).items():
                if labels.get(key) != value:
                    self.problem(
                        f"{where}: selector {key}={value} does not match template label {key}={labels.get(key)}")
        claim_templates = set()
        for claim in spec.get("volumeClaimTemplates") or []:
            claim_name = (claim.get("metadata") or {}).get("name")
            claim_templates.add(claim_name)
            self.check_claim(f"{where} volumeClaimTemplate {claim_name}", claim.get("spec") or {})
        if claim_templates:
            policy = spec.get("persistentVolumeClaimRetentionPolicy") or {}
            for field in ("whenDeleted", "whenScaled"):
                if policy.get(field) != "Retain":
                    self.problem(f"{where}: persistentVolumeClaimRetentionPolicy.{field} is {policy.get(field)!r}; "
                                 "say Retain, so deleting or scaling the StatefulSet never deletes its volumes")
        if obj.get("kind") == "CronJob" and not spec.get("timeZone"):
            self.problem(f"{where}: no timeZone; the schedule would follow the controller manager's local time "
                         "(set timeZone: Etc/UTC or your zone)")
        if obj.get("kind") == "CronJob" and spec.get("suspend") is True:
            self.problem(f"{where}: suspended; a backup CronJob that never runs leaves the recoverable window "
                         "without a base backup (set suspend: false)")
        namespace = (obj.get("metadata") or {}).get("namespace")
        self.check_pod_security(where, namespace, template.get("spec") or {})
        self.check_pod(where, template.get("spec") or {}, claim_templates)

    def check_pod(self, where: str, pod: dict, claim_templates: set[str]) -> None:
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        for volume in volumes.values():
            if "configMap" in volume:
                self.check_config_map(where, volume["configMap"].get("name"), None, volume["configMap"])
            if "secret" in volume:
                self.check_secret(where, volume["secret"].get("secretName"), None, volume["secret"])
        containers = (pod.get("initContainers") or []) + (pod.get("containers") or [])
        for container in containers:
            cwhere = f"{where} container {container.get('name')}"
            for mount in container.get("volumeMounts") or []:
                if mount.get("name") not in volumes and mount.get("name") not in claim_templates:
                    self.problem(f"{cwhere}: volumeMount {mount.get('name')} ({mount.get('mountPath')}) names no "
                                 "volume of the pod")
            for env in container.get("env") or []:
                source = env.get("valueFrom") or {}
                if "secretKeyRef" in source:
                    ref = source["secretKeyRef"]
                    self.check_secret(cwhere, ref.get("name"), ref.get("key"), ref)
                if "configMapKeyRef" in source:
                    ref = source["configMapKeyRef"]
                    self.check_config_map(cwhere, ref.get("name"), ref.get("key"), ref)
                if ("value" in env and re.search(r"(PASSWORD|PWD|SECRET|TOKEN)", env.get("name", ""))
                        and not env.get("name", "").endswith("_FILE")):
                    self.problem(f"{cwhere}: {env['name']} is set inline; take it from the Secret (secretKeyRef)")
            for source in container.get("envFrom") or []:
                if "secretRef" in source:
                    self.check_secret(cwhere, source["secretRef"].get("name"), None, source["secretRef"])
                if "configMapRef" in source:
                    self.check_config_map(cwhere, source["configMapRef"].get("name"), None, source["configMapRef"])
            self.check_resources(cwhere, container.get("resources") or {})
            self.check_buffer_pool(cwhere, container, volumes)
            self.check_secret_files(cwhere, container, volumes)
            for text in check_credentials.container_problems(cwhere, container, self.secrets):
                self.problem(text)
            self.check_probes(cwhere, container)
            self.check_command(cwhere, container)
            image = str(container.get("image") or "")
            if re.match(r"^(?:.*/)?mysql(?:[:@]|$)", image) and not PINNED_MYSQL.match(image):
                self.problem(f"{cwhere}: image {image} floats across releases; pin a patch release (mysql:8.0.44, "
                             "mysql:8.4.7) so a restart never upgrades the data directory unasked")

    def check_config_map(self, where: str, name: str | None, key: str | None, ref: dict) -> None:
        if ref.get("optional"):
            return
        config_map = self.config_maps.get(name or "")
        if config_map is None:
            self.problem(f"{where}: ConfigMap {name} is not in the rendered output")
        elif key is not None and key not in (config_map.get("data") or {}):
            self.problem(f"{where}: ConfigMap {name} has no key {key}")

    def check_secret(self, where: str, name: str | None, key: str | None, ref: dict) -> None:
        if ref.get("optional"):
            return
        secret = self.secrets.get(name or "")
        if secret is None:
            self.problem(f"{where}: Secret {name} is not in the rendered output")
        elif key is not None and key not in {**(secret.get("data") or {}), **(secret.get("stringData") or {})}:
            self.problem(f"{where}: Secret {name} has no key {key}")

    def check_resources(self, where: str, resources: dict) -> None:
        parsed: dict[str, dict[str, Decimal]] = {}
        for section in ("requests", "limits"):
            for resource, value in (resources.get(section) or {}).items():
                quantity = parse_quantity(value)
                if quantity is None:
                    self.problem(f"{where}: {section}.{resource} {value!r} is not a Kubernetes quantity")
                else:
                    parsed.setdefault(section, {})[resource] = quantity
        for resource, request in (parsed.get("requests") or {}).items():
            limit = (parsed.get("limits") or {}).get(resource)
            if limit is not None and request > limit:
                self.problem(f"{where}: requests.{resource} is larger than limits.{resource}")

    def mysql_settings(self, container: dict, volumes: dict) -> dict[str, tuple[str, str]]:
        """[mysqld] settings of the ConfigMaps mounted into the container: name -> (value, file name)."""
        settings: dict[str, tuple[str, str]] = {}
        for mount in container.get("volumeMounts") or []:
            volume = volumes.get(mount.get("name")) or {}
            config_map = self.config_maps.get((volume.get("configMap") or {}).get("name", ""))
            if config_map is None:
                continue
            for file_name, text in sorted((config_map.get("data") or {}).items()):
                if not file_name.endswith(".cnf"):
                    continue
                for line in str(text).splitlines():
                    match = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(\S+)", line)
                    if match:
                        settings[match.group(1).replace("-", "_").lower()] = (match.group(2), file_name)
        return settings

    def check_buffer_pool(self, where: str, container: dict, volumes: dict) -> None:
        settings = self.mysql_settings(container, volumes)
        if "innodb_buffer_pool_size" not in settings:
            return
        limit_text = ((container.get("resources") or {}).get("limits") or {}).get("memory", "")
        limit = parse_quantity(limit_text)
        value, file_name = settings["innodb_buffer_pool_size"]
        size = parse_mysql_size(value)
        if size is None:
            self.problem(f"{where}: {file_name}: innodb_buffer_pool_size {value} does not parse")
            return
        if limit is None:
            self.problem(f"{where}: sets innodb_buffer_pool_size but has no memory limit")
            return
        # InnoDB rounds the pool up to a multiple of chunk size x instances; instances default to 8 from 1 GiB on
        # (MySQL 8.0; 8.4 derives it from the CPU count), so a pool that large must name them.
        chunk = parse_mysql_size(settings.get("innodb_buffer_pool_chunk_size", ("128M", ""))[0]) or CHUNK_DEFAULT
        instances_text = settings.get("innodb_buffer_pool_instances", ("", ""))[0]
        if instances_text:
            instances = Decimal(int(instances_text)) if instances_text.isdigit() else Decimal(1)
        else:
            instances = Decimal(8) if size >= 2**30 else Decimal(1)
            if size >= 2**30:
                self.problem(f"{where}: {file_name}: innodb_buffer_pool_size {value} without "
                             "innodb_buffer_pool_instances; its default differs between 8.0 and 8.4, so the "
                             "effective size is unknown: set it")
        unit = chunk * instances
        effective = Decimal(-(-int(size) // int(unit)) * int(unit))  # ceiling, in whole bytes
        mib = lambda n: f"{int(n / 2**20)}M"  # noqa: E731
        if effective != size:
            self.problem(f"{where}: {file_name}: innodb_buffer_pool_size {value} is rounded up by InnoDB to "
                         f"{mib(effective)} (a multiple of chunk size x instances = {mib(unit)}); write the size it "
                         "really gets, or change innodb_buffer_pool_instances")
        if effective > limit * BUFFER_POOL_SHARE:
            self.problem(f"{where}: innodb_buffer_pool_size {value} (effective {mib(effective)}) is more than 75% of "
                         f"the memory limit {limit_text} (OOMKilled ahead)")
        temptable_text = settings.get("temptable_max_ram", ("", ""))[0]
        temptable = parse_mysql_size(temptable_text) if temptable_text else None
        if temptable is None:
            self.problem(f"{where}: temptable_max_ram is not set; its default (1G on 8.0, 3% of the host's RAM on 8.4) "
                         f"does not follow the memory limit {limit_text}: set it in sizing.cnf")
            temptable = TEMPTABLE_DEFAULT
        if effective + temptable > limit * MEMORY_SHARE:
            self.problem(f"{where}: buffer pool {mib(effective)} + temptable_max_ram {mib(temptable)} is more than 90% "
                         f"of the memory limit {limit_text} (OOMKilled ahead)")

    def check_secret_files(self, where: str, container: dict, volumes: dict) -> None:
        """FOO_FILE=/run/secrets/x/KEY with a Secret volume mounted at /run/secrets/x: the Secret must have KEY."""
        mounts = []
        for mount in container.get("volumeMounts") or []:
            secret = (volumes.get(mount.get("name")) or {}).get("secret")
            if secret is not None:
                mounts.append((mount.get("mountPath", "").rstrip("/") + "/", secret))
        for env in container.get("env") or []:
            value = env.get("value")
            if not env.get("name", "").endswith("_FILE") or not isinstance(value, str):
                continue
            for path, secret in mounts:
                if value.startswith(path):
                    key = value[len(path):]
                    items = {item.get("path"): item.get("key") for item in secret.get("items") or []}
                    self.check_secret(where + f" {env['name']}", secret.get("secretName"), items.get(key, key), secret)
                    break
            else:
                if value.startswith("/run/secrets/"):
                    self.problem(f"{where}: {env['name']}={value} is under no mounted Secret")

    def check_probes(self, where: str, container: dict) -> None:
        """The MySQL container's probes (other containers log in with their own account, as they must)."""
        if not re.match(r"^(?:.*/)?mysql(?:[:@]|$)", str(container.get("image") or "")):
            return
        for probe_name in ("startupProbe", "readinessProbe", "livenessProbe"):
            command = ((container.get(probe_name) or {}).get("exec") or {}).get("command") or []
            text = " ".join(str(part) for part in command)
            if re.search(r"(?:-u\s*root\b|--user[= ]root\b)", text):
                self.problem(f"{where}: {probe_name} logs in as root; with skip_name_resolve a TCP login from "
                             "127.0.0.1 needs root@'%', and a changed Secret makes it fail: use the probe account "
                             "(rewind_probe) or the socket")
            if re.search(r"PASSWORD|MYSQL_PWD|(?:^|\s)-p\S|--password", text):
                self.problem(f"{where}: {probe_name} reads a password; a Secret changed after the first start then "
                             "gives \"Access denied\" and an unready pod: use the probe account without password")

    def check_command(self, where: str, container: dict) -> None:
        text = " ".join(str(part) for part in (container.get("command") or []) + (container.get("args") or []))
        if re.search(r"chown\s+-R", text) and not re.search(r"\b(if|\|\||&&)\b|\|\||&&", text.split("chown")[0]):
            self.problem(f"{where}: runs chown -R on every start; walk the volume only when its top directory has "
                         "the wrong owner (idempotent)")
        self.check_archiver_liveness(where, container)

    def check_archiver_liveness(self, where: str, container: dict) -> None:
        """The archiver's liveness must come from its own /healthz, which notices a stalled stream."""
        argv = [str(part) for part in (container.get("command") or []) + (container.get("args") or [])]
        if not ("archive" in argv and "--follow" in argv and any(a.endswith("rewind") for a in argv[:1])):
            return
        port = None
        if "--metrics-port" in argv and argv.index("--metrics-port") + 1 < len(argv):
            port = argv[argv.index("--metrics-port") + 1]
        if port is None:
            self.problem(f"{where}: rewind binlog archive --follow without --metrics-port; its liveness check "
                         "(/healthz) and metrics are off")
            return
        ports = {str(p.get("containerPort")): p.get("name") for p in container.get("ports") or []}
        if port not in ports:
            self.problem(f"{where}: --metrics-port {port} is not a containerPort of the container")
        probe = (container.get("livenessProbe") or {}).get("httpGet") or {}
        if probe.get("path") != "/healthz" or str(probe.get("port")) not in {port, str(ports.get(port))}:
            self.problem(f"{where}: the livenessProbe does not ask /healthz on --metrics-port {port}; a probe that "
                         "looks at files (test -w /archive) never notices a stalled stream")

    # Pod Security Admission

    def check_pod_security(self, where: str, namespace: str | None, pod: dict) -> None:
        if not self.namespaces:
            return
        ns = self.namespaces.get(namespace or "")
        if ns is None:
            self.problem(f"{where}: namespace {namespace} is not among the --external objects (deploy/prepare)")
            return
        level = ((ns.get("metadata") or {}).get("labels") or {}).get("pod-security.kubernetes.io/enforce")
        if level not in {"restricted", "baseline"}:
            self.problem(f"{where}: Namespace {namespace} has no pod-security.kubernetes.io/enforce label "
                         "(restricted or baseline)")
            return
        for violation in pod_security_violations(pod, level):
            self.problem(f"{where}: violates Pod Security {level!r} of namespace {namespace}: {violation}")

    # Storage

    def check_claim(self, where: str, spec: dict) -> None:
        requested = spec.get("storageClassName")
        if self.storage_class is None:
            if requested is not None:
                self.problem(f"{where}: storageClassName {requested!r} set; this overlay uses the cluster default "
                             "(leave it unset)")
        elif requested != self.storage_class:
            self.problem(f"{where}: storageClassName {requested!r} does not match the overlay's "
                         f"{self.storage_class!r}")
        for cluster, classes in sorted(self.cluster_classes.items()):
            names = {(c.get("metadata") or {}).get("name") for c in classes}
            defaults = [c for c in classes if ((c.get("metadata") or {}).get("annotations") or {}).get(
                "storageclass.kubernetes.io/is-default-class") == "true"]
            if requested is None and not defaults:
                self.problem(f"{where}: names no StorageClass and cluster {cluster} has no default class "
                             f"({', '.join(sorted(n for n in names if n)) or 'none'})")
            elif requested is not None and requested not in names:
                self.problem(f"{where}: storageClassName {requested!r} does not exist on cluster {cluster} "
                             f"({', '.join(sorted(n for n in names if n)) or 'none'}); leave it unset")
        storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        if storage is None:
            self.problem(f"{where}: no resources.requests.storage")
        elif parse_quantity(storage) is None:
            self.problem(f"{where}: storage {storage!r} is not a Kubernetes quantity")
        if spec.get("volumeName"):
            self.problem(f"{where}: volumeName pins a hand-made PersistentVolume; let the StorageClass provision")

    # Services

    def check_service(self, obj: dict) -> None:
        where = name_of(obj)
        spec = obj.get("spec") or {}
        selector = spec.get("selector") or {}
        if not selector:
            return
        matching = []
        owners = []
        for other in self.docs:
            template = pod_template(other)
            if template is None:
                continue
            labels = (template.get("metadata") or {}).get("labels") or {}
            if all(labels.get(k) == v for k, v in selector.items()):
                matching.append(template)
                owners.append(name_of(other))
        if not matching:
            self.problem(f"{where}: selector {selector} matches no pod template")
            return
        if len(owners) > 1:
            self.problem(f"{where}: selector {selector} matches the pods of {', '.join(owners)}; a Service must "
                         "reach one workload (clients of one server would land on another)")
        port_names = {
            port.get("name")
            for template in matching
            for container in (template.get("spec") or {}).get("containers") or []
            for port in container.get("ports") or []
        }
        for port in spec.get("ports") or []:
            target = port.get("targetPort")
            if isinstance(target, str) and target not in port_names:
                self.problem(f"{where}: targetPort {target} is not a named container port of its pods")


def pod_security_violations(pod: dict, level: str) -> list[str]:
    """What a pod spec breaks of the Pod Security Standard `level` (baseline or restricted), as sentences."""
    found = []
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(field):
            found.append(f"{field} is true")
    pod_context = pod.get("securityContext") or {}
    containers = (pod.get("initContainers") or []) + (pod.get("containers") or [])
    for volume in pod.get("volumes") or []:
        kinds = set(volume) - {"name"}
        if "hostPath" in kinds:
            found.append(f"volume {volume.get('name')} is a hostPath")
        elif level == "restricted" and not kinds <= RESTRICTED_VOLUMES:
            found.append(f"volume {volume.get('name')} is of type {', '.join(sorted(kinds))}")
    if (pod_context.get("seccompProfile") or {}).get("type") == "Unconfined":
        found.append("pod seccompProfile is Unconfined")
    for container in containers:
        name = container.get("name")
        context = container.get("securityContext") or {}
        caps = context.get("capabilities") or {}
        if context.get("privileged"):
            found.append(f"container {name} is privileged")
        for port in container.get("ports") or []:
            if port.get("hostPort"):
                found.append(f"container {name} uses hostPort {port['hostPort']}")
        added = set(caps.get("add") or [])
        if not added <= BASELINE_CAPABILITIES:
            found.append(f"container {name} adds {', '.join(sorted(added - BASELINE_CAPABILITIES))}")
        if level != "restricted":
            continue
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"container {name} does not set allowPrivilegeEscalation: false")
        if "ALL" not in (caps.get("drop") or []):
            found.append(f"container {name} does not drop ALL capabilities")
        if added - {"NET_BIND_SERVICE"}:
            found.append(f"container {name} adds {', '.join(sorted(added - {'NET_BIND_SERVICE'}))}")
        non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        if non_root is not True:
            found.append(f"container {name} does not run with runAsNonRoot: true")
        if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
            found.append(f"container {name} runs as UID 0")
        seccomp = (context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type")
        if seccomp not in {"RuntimeDefault", "Localhost"}:
            found.append(f"container {name} has no seccompProfile RuntimeDefault")
    return found


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".json"):
        import json
        document = json.loads(text)
        return document.get("items", [document]) if isinstance(document, dict) else []
    return [d for d in yaml.safe_load_all(text) if d]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage-class", required=True,
                        help="the StorageClass every claim must use; '' for the cluster default (none set)")
    parser.add_argument("--external", action="append", default=[],
                        help="objects made outside the kustomization (deploy/prepare kubernetes --output FILE)")
    parser.add_argument("--cluster-classes", action="append", default=[],
                        help="`kubectl get storageclass -o json` of a cluster every claim must bind on")
    parser.add_argument("--check-claims", action="store_true",
                        help="every claim a pod mounts must be made by deploy/prepare or a volumeClaimTemplate")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    external = [d for path in args.external for d in load(path)]
    classes = {os.path.basename(path): load(path) for path in args.cluster_classes}
    failed = False
    for path in args.files:
        docs = load(path)
        problems = Checker(docs, args.storage_class or None, external, classes, args.check_claims).run()
        for text in problems:
            print(f"{path}: {text}", file=sys.stderr)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
