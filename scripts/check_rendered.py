#!/usr/bin/env python3
"""Semantic checks of rendered Kubernetes manifests (`kubectl kustomize OVERLAY` output).

Schema validation (kubernetes-validate) and policy checks (checkov) do not see how objects refer to each other.
This script does, and fails with one line per problem:

- a workload's selector must match its pod template's labels; a Service's selector must match some pod template;
  a Service's named targetPort must be a container port of those pods;
- every resource quantity (cpu, memory, storage) must parse, and requests must not exceed limits;
- every PersistentVolumeClaim and volumeClaimTemplate must ask for the overlay's StorageClass (`--storage-class`),
  or for none when the overlay relies on the cluster default (`--storage-class ''`); hand-made PersistentVolumes
  are refused (dynamic provisioning only);
- every volumeMount names a volume of the pod (or a volumeClaimTemplate); every ConfigMap, Secret and key that a
  pod refers to exists in the rendered output;
- MySQL's innodb_buffer_pool_size (from the mounted ConfigMap) stays within 75% of the container's memory limit.

Usage: check_rendered.py --storage-class hostpath rendered.yaml
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal, InvalidOperation

import yaml

QUANTITY = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
SUFFIX = {
    None: Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": Decimal(10**3),
    "M": Decimal(10**6), "G": Decimal(10**9), "T": Decimal(10**12), "P": Decimal(10**15), "E": Decimal(10**18),
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40), "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}
MYSQL_SIZE = re.compile(r"^([0-9]+)([KkMmGgTt]?)$")
BUFFER_POOL_SHARE = Decimal("0.75")
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
    def __init__(self, docs: list[dict], storage_class: str | None) -> None:
        self.docs = docs
        self.storage_class = storage_class
        self.problems: list[str] = []
        self.config_maps = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ConfigMap"}
        self.secrets = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Secret"}

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
            elif kind == "PersistentVolume":
                self.problem(
                    f"{name_of(obj)}: hand-made PersistentVolume; use dynamic provisioning through the StorageClass "
                    "(a PV whose storageClassName differs from its claim's never binds)")
        return self.problems

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
                if "value" in env and re.search(r"(PASSWORD|PWD|SECRET|TOKEN)", env.get("name", "")):
                    self.problem(f"{cwhere}: {env['name']} is set inline; take it from the Secret (secretKeyRef)")
            for source in container.get("envFrom") or []:
                if "secretRef" in source:
                    self.check_secret(cwhere, source["secretRef"].get("name"), None, source["secretRef"])
                if "configMapRef" in source:
                    self.check_config_map(cwhere, source["configMapRef"].get("name"), None, source["configMapRef"])
            self.check_resources(cwhere, container.get("resources") or {})
            self.check_buffer_pool(cwhere, container, volumes)

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

    def check_buffer_pool(self, where: str, container: dict, volumes: dict) -> None:
        limit = parse_quantity(((container.get("resources") or {}).get("limits") or {}).get("memory", ""))
        for mount in container.get("volumeMounts") or []:
            volume = volumes.get(mount.get("name")) or {}
            config_map = self.config_maps.get((volume.get("configMap") or {}).get("name", ""))
            if config_map is None:
                continue
            for file_name, text in (config_map.get("data") or {}).items():
                for line in str(text).splitlines():
                    match = re.match(r"^\s*innodb[_-]buffer[_-]pool[_-]size\s*=\s*(\S+)", line)
                    if not match:
                        continue
                    size = parse_mysql_size(match.group(1))
                    if size is None:
                        self.problem(f"{where}: {file_name}: innodb_buffer_pool_size {match.group(1)} does not parse")
                    elif limit is None:
                        self.problem(f"{where}: sets innodb_buffer_pool_size but has no memory limit")
                    elif size > limit * BUFFER_POOL_SHARE:
                        self.problem(f"{where}: innodb_buffer_pool_size {match.group(1)} is more than 75% of the "
                                     f"memory limit {container['resources']['limits']['memory']} (OOMKilled ahead)")

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
        for other in self.docs:
            template = pod_template(other)
            if template is None:
                continue
            labels = (template.get("metadata") or {}).get("labels") or {}
            if all(labels.get(k) == v for k, v in selector.items()):
                matching.append(template)
        if not matching:
            self.problem(f"{where}: selector {selector} matches no pod template")
            return
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage-class", required=True,
                        help="the StorageClass every claim must use; '' for the cluster default (none set)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    failed = False
    for path in args.files:
        with open(path, encoding="utf-8") as handle:
            docs = [d for d in yaml.safe_load_all(handle) if d]
        problems = Checker(docs, args.storage_class or None).run()
        for text in problems:
            print(f"{path}: {text}", file=sys.stderr)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
