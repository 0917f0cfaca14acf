#!/usr/bin/env python3
"""Checks of the shipped binlog my.cnf fragment (deploy/compose/conf.d/rewind-binlog.cnf).

  check_mycnf.py names FILE                 every setting Rewind needs is there with the right value, each has a
                                            comment, nothing deprecated or unknown; MySQL-only settings by name
  check_mycnf.py mariadb-args FILE          the MariaDB-compatible settings as mariadbd options, one per line
  check_mycnf.py verify FILE DEFAULTS_FILE  ask a running MariaDB (through `mariadb --defaults-file`) that each
                                            MariaDB-compatible setting is in force with the file's value
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

# What Rewind needs, and the value it needs where one value is required (None: any value): read from the table that
# `rewind status` checks servers against (Sources/Recovery/Readiness/PITRRequirement.swift), exported by
# `rewind status --requirements --format json` as deploy/pitr-requirements.json (a test keeps the two equal).
REQUIREMENTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "pitr-requirements.json")
with open(REQUIREMENTS_FILE, encoding="utf-8") as _handle:
    REQUIREMENTS = [r for r in json.load(_handle) if r["in_my_cnf"]]
REQUIRED: dict[str, str | None] = {
    r["setting"]: r["expectation"][1:] if r["expectation"].startswith("=") else None for r in REQUIREMENTS
}
# Known to MySQL 8.0 only: MariaDB refuses to start with them, so they are checked here by name and value only.
MYSQL_ONLY = {r["setting"] for r in REQUIREMENTS if r["servers"] == "mysql"}
# Deprecated or removed: use the replacement instead.
DEPRECATED = {
    "expire_logs_days": "binlog_expire_logs_seconds",
    "log_slave_updates": "log_replica_updates",
    "binlog_max_flush_queue_time": None,
}
SETTING = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*(?:=\s*(.*?))?\s*$")
SIZE = re.compile(r"^([0-9]+)([KkMmGg])$")


def settings(path: str) -> list[tuple[int, str, str, bool]]:
    """(line number, name, value, has a comment right above) for each setting in [mysqld]."""
    result = []
    section = None
    previous_comment = False
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line:
                previous_comment = False
                continue
            if line.startswith(("#", ";")):
                previous_comment = True
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
                previous_comment = False
                continue
            match = SETTING.match(line)
            if section not in {"mysqld", "mariadbd", "server"} or not match:
                raise SystemExit(f"{path}:{number}: not a [mysqld] setting: {line}")
            name = match.group(1).replace("-", "_")
            result.append((number, name, (match.group(2) or "").strip(), previous_comment))
            previous_comment = False
    return result


def check_names(path: str) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for number, name, value, commented in settings(path):
        if name in DEPRECATED:
            instead = DEPRECATED[name]
            problems.append(f"{path}:{number}: {name} is deprecated" + (f"; use {instead}" if instead else ""))
        elif name not in REQUIRED:
            problems.append(f"{path}:{number}: {name} is not a setting this file is meant to carry (add it to "
                            "PITRRequirement.table in Sources/Recovery/Readiness, then regenerate "
                            "deploy/pitr-requirements.json with `rewind status --requirements --format json`)")
        if not commented:
            problems.append(f"{path}:{number}: {name} has no comment saying why")
        if name in seen:
            problems.append(f"{path}:{number}: {name} is set twice")
        seen[name] = value
    for name, wanted in REQUIRED.items():
        if name not in seen:
            problems.append(f"{path}: {name} is missing")
        elif wanted is not None and seen[name].upper() != wanted:
            problems.append(f"{path}: {name} = {seen[name]}, Rewind needs {wanted}")
    return problems


def mariadb_settings(path: str) -> list[tuple[str, str]]:
    return [(name, value) for _, name, value, _ in settings(path) if name not in MYSQL_ONLY]


def normalized(name: str, value: str) -> str:
    """The file's value as MariaDB reports it in @@name."""
    upper = value.upper()
    if name == "log_bin":
        return "1"
    if upper in {"ON", "TRUE"}:
        return "1"
    if upper in {"OFF", "FALSE"}:
        return "0"
    match = SIZE.match(value)
    if match:
        return str(int(match.group(1)) * {"K": 2**10, "M": 2**20, "G": 2**30}[match.group(2).upper()])
    return upper


def verify(path: str, defaults_file: str) -> list[str]:
    wanted = mariadb_settings(path)
    query = "SELECT " + ", ".join(f"@@GLOBAL.{name}" for name, _ in wanted) + ", @@GLOBAL.log_bin_basename"
    output = subprocess.run(
        ["mariadb", f"--defaults-file={defaults_file}", "--batch", "--skip-column-names", "-e", query],
        check=True, capture_output=True, text=True).stdout.rstrip("\n").split("\t")
    problems = []
    for (name, value), actual in zip(wanted, output):
        if actual.upper() != normalized(name, value):
            problems.append(f"{path}: {name} = {value} in the file, but the server has {actual}")
    basename = output[-1]
    log_bin = dict(wanted).get("log_bin")
    if log_bin and not basename.endswith("/" + log_bin):
        problems.append(f"{path}: log_bin = {log_bin}, but the server writes {basename}.*")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "names":
        problems = check_names(argv[1])
    elif len(argv) == 2 and argv[0] == "mariadb-args":
        for name, value in mariadb_settings(argv[1]):
            print(f"--{name}={value}" if value else f"--{name}")
        return 0
    elif len(argv) == 3 and argv[0] == "verify":
        problems = verify(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for text in problems:
        print(text, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
