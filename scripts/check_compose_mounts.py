#!/usr/bin/env python3
"""Every host path a Compose file mounts or builds from exists, and the MySQL data directory is a named volume.

Reads the output of `docker-compose config` (which resolves relative paths against the compose file's folder) on
stdin. A missing bind-mount source is silently created as an empty directory by Docker, so a mistyped
conf.d path would start MySQL without its binlog settings; this check makes it an error instead.

Usage: docker-compose -f FILE --env-file ENV config | check_compose_mounts.py
"""

from __future__ import annotations

import os
import sys

import yaml

DATA_DIRECTORIES = {"/var/lib/mysql"}


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
