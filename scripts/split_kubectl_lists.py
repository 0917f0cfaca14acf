#!/usr/bin/env python3
"""Writes the objects of every `kubectl get -o json` file under ROOT/*/ as YAML into OUT, for kubernetes-validate.

Usage: split_kubectl_lists.py ROOT OUT
"""

import glob
import json
import os
import sys

import yaml


def main(root: str, out: str) -> int:
    files = sorted(glob.glob(os.path.join(root, "*", "*.json")))
    if not files:
        print(f"no kubectl JSON under {root}", file=sys.stderr)
        return 1
    for path in files:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        items = document.get("items", [document])
        if not items:
            continue
        name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path) + ".yaml"
        with open(os.path.join(out, name), "w", encoding="utf-8") as handle:
            yaml.safe_dump_all(items, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
