#!/usr/bin/env python3
"""Runs a command with its stdout to /dev/null; prints wall seconds, the children's CPU seconds (user + system) and
peak RSS (MiB) as JSON."""
import json, resource, subprocess, sys, time

start = time.monotonic()
with open("/dev/null", "wb") as sink:
    proc = subprocess.run(sys.argv[1:], stdout=sink, stderr=subprocess.PIPE)
elapsed = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": round(elapsed, 3), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
                  "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
                  "exit": proc.returncode, "stderr": proc.stderr.decode(errors="replace")[-400:]}))
