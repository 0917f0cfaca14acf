#!/usr/bin/env python3
"""Offline checks of a Dockerfile (no Docker engine here): what `docker build` would trip over first.

- every instruction is a known Dockerfile instruction, and the file has at least one FROM;
- `COPY --from=STAGE` names an earlier stage; every other COPY/ADD source exists in the build context and is
  not excluded by the Dockerfile's own `<Dockerfile>.dockerignore` (or the context's .dockerignore);
- the final stage sets a non-root USER as a numeric UID (so Kubernetes' runAsNonRoot can verify it);
- no secrets baked in: no ENV/ARG whose name says PASSWORD, PWD, SECRET or TOKEN.

Usage: check_dockerfile.py DOCKERFILE CONTEXT_DIR
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shlex
import sys

INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
    "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Instructions with their continuation lines joined, comments and blank lines dropped."""
    result: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        result.append((start, pending + line))
        pending = ""
    if pending:
        result.append((start, pending))
    return result


def ignore_rules(dockerfile: str, context: str) -> list[tuple[bool, str]]:
    for path in (dockerfile + ".dockerignore", os.path.join(context, ".dockerignore")):
        if os.path.isfile(path):
            rules = []
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        rules.append((line.startswith("!"), line.lstrip("!").rstrip("/")))
            return rules
    return []


def excluded(path: str, rules: list[tuple[bool, str]]) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes. A parent directory's match counts."""
    result = False
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for negated, pattern in rules:
        if any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            result = not negated
    return result


def main(dockerfile: str, context: str) -> int:
    with open(dockerfile, encoding="utf-8") as handle:
        lines = logical_lines(handle.read())
    problems: list[str] = []
    rules = ignore_rules(dockerfile, context)
    stages: list[str] = []
    final_user: str | None = None
    for number, line in lines:
        where = f"{dockerfile}:{number}"
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction not in INSTRUCTIONS:
            problems.append(f"{where}: unknown instruction {instruction}")
            continue
        if instruction == "FROM":
            words = rest.split()
            stages.append(words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(stages)))
            final_user = None
        elif not stages and instruction != "ARG":
            problems.append(f"{where}: {instruction} before the first FROM")
        elif instruction == "USER":
            final_user = rest.strip()
        elif instruction in {"ENV", "ARG"}:
            name = re.split(r"[= ]", rest.strip(), maxsplit=1)[0]
            if re.search(r"PASSWORD|PWD|SECRET|TOKEN", name, re.IGNORECASE):
                problems.append(f"{where}: {instruction} {name} would bake a secret into the image")
        elif instruction in {"COPY", "ADD"}:
            words = shlex.split(rest)
            flags = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            source_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            if source_stage is not None:
                if source_stage not in stages[:-1]:
                    problems.append(f"{where}: COPY --from={source_stage} names no earlier stage")
                continue
            found_any = False
            for source in paths[:-1]:
                matches = glob.glob(os.path.join(context, source))
                found_any = found_any or bool(matches)
                # A wildcard that matches nothing is how a Dockerfile copies an optional file (Package.resolve[d]).
                if not matches and not glob.has_magic(source):
                    problems.append(f"{where}: {source} does not exist in the build context {context}")
                for match in matches:
                    relative = os.path.relpath(match, context)
                    if excluded(relative, rules):
                        problems.append(f"{where}: {relative} is excluded by the .dockerignore")
            if not found_any:
                problems.append(f"{where}: {instruction} matches no file in the build context {context}")
    if not stages:
        problems.append(f"{dockerfile}: no FROM")
    if final_user is None:
        problems.append(f"{dockerfile}: the final stage runs as root (no USER)")
    elif not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", final_user):
        problems.append(f"{dockerfile}: USER {final_user} is not a numeric non-root UID")
    for text in problems:
        print(text, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
