#!/usr/bin/env python3
"""Every host path a Compose file mounts or builds from exists, and the MySQL data directory is a named volume;
every published port binds to 127.0.0.1, and the mysql image is pinned to a patch release.

Reads the output of `docker-compose config` (which resolves relative paths against the compose file's folder) on
stdin. A missing bind-mount source is silently created as an empty directory by Docker, so a mistyped
conf.d path would start MySQL without its binlog settings; this check makes it an error instead. A port published
without a host address listens on every interface, with a root password anyone on the network can try.

Usage: docker-compose -f FILE --env-file ENV config | check_compose_mounts.py
"""

from __future__ import annotations

import os
import re
import sys

import yaml

DATA_DIRECTORIES = {"/var/lib/mysql"}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# mysql:8.0.44, mysql:8.4.7, or a digest; not mysql, mysql:8, mysql:8.0, mysql:latest.
PINNED_MYSQL = re.compile(r"^(?:.*/)?mysql(?::\d+\.\d+\.\d+(?:-\S+)?|@sha256:[0-9a-f]{64}|:\d+\.\d+\.\d+@sha256:[0-9a-f]{64})$")


def port_host(entry: object) -> str | None:
    """The host address of a published port (short `IP:HOST:CONTAINER[/proto]` or long syntax); None = all."""
    if isinstance(entry, dict):
        return entry.get("host_ip") or None
    text = str(entry).rsplit("/", 1)[0]
    if text.startswith("["):
        return text[1:text.index("]")]
    parts = text.split(":")
    return parts[0] if len(parts) == 3 else None


def volume_parts(entry: object) -> tuple[str | None, str | None, str]:
    """(source, target, type) of a short- or long-syntax service volume."""
    if isinstance(entry, dict):
        return entry.get("source"), entry.get("target"), entry.get("type", "volume")
    text = str(entry)
    parts = text.split(":")
    if len(parts) == 1:
        return None, parts[0], "volume"
    source = parts[0]
    kind = "bind" if source.startswith(("/", ".", "~")) else "volume"
    return source, parts[1], kind


def main() -> int:
    config = yaml.safe_load(sys.stdin) or {}
    problems = []
    for service_name, service in (config.get("services") or {}).items():
        for entry in service.get("volumes") or []:
            source, target, kind = volume_parts(entry)
            if kind == "bind":
                if not source or not os.path.exists(source):
                    problems.append(f"service {service_name}: mounts {source} at {target}, which does not exist")
                if target in DATA_DIRECTORIES:
                    problems.append(f"service {service_name}: {target} is a bind mount; use a named volume "
                                    "(bind mounts from Windows give errno 13 on mysql-bin.index)")
        for entry in service.get("ports") or []:
            host = port_host(entry)
            if host not in LOOPBACK:
                problems.append(f"service {service_name}: port {entry} is published on every interface; bind it to "
                                "127.0.0.1 (\"127.0.0.1:3306:3306\") and open it to the network only on purpose")
        image = str(service.get("image") or "")
        if re.match(r"^(?:.*/)?mysql(?:[:@]|$)", image) and not PINNED_MYSQL.match(image):
            problems.append(f"service {service_name}: image {image} floats across releases; pin a patch release "
                            "(mysql:8.0.44, mysql:8.4.7) so a pull never upgrades the data directory unasked")
        build = service.get("build")
        if isinstance(build, dict):
            context = build.get("context", ".")
            if not os.path.isdir(context):
                problems.append(f"service {service_name}: build context {context} does not exist")
            dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(dockerfile):
                problems.append(f"service {service_name}: Dockerfile {dockerfile} does not exist")
        elif isinstance(build, str) and not os.path.isdir(build):
            problems.append(f"service {service_name}: build context {build} does not exist")
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            if not os.path.isfile(env_file):
                problems.append(f"service {service_name}: env_file {env_file} does not exist")
    for text in problems:
        print(text, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
