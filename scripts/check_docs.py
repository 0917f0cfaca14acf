#!/usr/bin/env python3
"""Docs say only what works: every `rewind COMMAND` in a doc's code (fenced blocks and `inline` spans) is a
command the binary has, or its paragraph says that it is coming (issue 14, item 13).

The commands come from the binary itself (`rewind --help`, and `rewind GROUP --help` for groups such as `binlog`),
so a doc that shows `rewind restore` before it exists fails, and passes once it lands. A paragraph that mentions a
missing command must say so: "not built yet", "coming", "not yet", "suspended until", "is being written".

Usage: check_docs.py --rewind .build/debug/rewind README.md docs/*.md ...
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

MARKERS = ("not built yet", "coming", "not yet", "suspended until", "is being written", "once it lands",
           "until it lands", "until they land")
COMMAND = re.compile(r"(?<![-\w/.:=])rewind\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")


def subcommands(binary: str, *path: str) -> set[str]:
    """Names under SUBCOMMANDS in `rewind [path] --help`."""
    out = subprocess.run([binary, *path, "--help"], capture_output=True, text=True, check=False).stdout
    names, inside = set(), False
    for line in out.splitlines():
        if line.strip() == "SUBCOMMANDS:":
            inside = True
            continue
        if inside:
            match = re.match(r"^  ([a-z][a-z-]*)\b", line)
            if match:
                names.add(match.group(1))
            elif line and not line.startswith(" "):
                inside = False
    return names - {"help"}


def paragraphs(text: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """(text that may carry the marker, code pieces with their line numbers) per paragraph; a fenced block also
    carries the paragraph before it, which is where its explanation stands."""
    result: list[tuple[str, list[tuple[int, str]]]] = []
    previous, buffer, code, fenced, fence_only = "", [], [], False, True

    def close() -> None:
        nonlocal previous, buffer, code, fence_only
        if buffer:
            paragraph = "\n".join(buffer)
            result.append(((previous + "\n" + paragraph) if fence_only else paragraph, code))
            previous = paragraph
        buffer, code, fence_only = [], [], True

    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("```"):
            fenced = not fenced
            buffer.append(line)
            continue
        if fenced:
            code.append((number, line))
            buffer.append(line)
            continue
        if not line.strip():
            close()
            continue
        fence_only = False
        buffer.append(line)
        for span in re.findall(r"`([^`]+)`", line):
            code.append((number, span))
    close()
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rewind", required=True, help="the rewind binary whose commands count as existing")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    top = subcommands(args.rewind)
    if not top:
        print(f"check_docs.py: {args.rewind} --help lists no subcommands", file=sys.stderr)
        return 2
    groups = {name: subcommands(args.rewind, name) for name in top}
    problems = []
    for path in args.files:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for paragraph, code in paragraphs(text):
            promised = paragraph.lower()
            for number, piece in code:
                for match in COMMAND.finditer(piece):
                    before = piece[:match.start()].split()
                    if before and before[-1] in {"-n", "--namespace"}:
                        continue  # kubectl -n rewind get ...
                    first, second = match.group(1), match.group(2)
                    if first in top and (not groups[first] or second is None or second in groups[first]):
                        continue
                    shown = f"rewind {first}" + (f" {second}" if first in top and second else "")
                    if any(marker in promised for marker in MARKERS):
                        continue
                    problems.append(f"{path}:{number}: `{shown}` is not a command of this rewind, and the paragraph "
                                    "does not say it is coming (say \"not built yet\" or \"coming\", or remove it)")
    for text in problems:
        print(text, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
