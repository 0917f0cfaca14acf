#!/bin/sh
# Liveness of `rewind binlog archive --follow` (the archiver's livenessProbe; scripts/validate-deploy runs it
# against a real server). It fails only when the stream has stalled: the server's binlog has moved past what the
# archive holds AND no file in the archive has changed for STALL_SECONDS (default 300). An idle server (the
# archive is level with it) and an unreachable server (the archiver reconnects by itself; the readiness probe
# reports it) pass: restarting the archiver would not help there.
# Needs: rewind, MYSQL_HOST, MYSQL_PORT, MYSQL_USER and MYSQL_PWD (never on a command line), ARCHIVE_DIR (/archive).
set -u
archive=${ARCHIVE_DIR:-/archive}
stall=${STALL_SECONDS:-300}

status=$(rewind status --host "${MYSQL_HOST:-127.0.0.1}" --port "${MYSQL_PORT:-3306}" --user "${MYSQL_USER:-}" 2>/dev/null)
# `rewind status` prints "Current binlog: FILE at POSITION".
current=$(printf '%s\n' "$status" | sed -n 's/^Current binlog: \([^ ]*\) at \([0-9][0-9]*\)$/\1 \2/p' | head -n 1)
if [ -z "$current" ]; then
    echo "alive: the server's binlog position is unknown (server unreachable or binlog off); not a stalled stream"
    exit 0
fi
file=${current% *}
position=${current#* }

size=0
[ -f "$archive/$file" ] && size=$(stat -c %s "$archive/$file")
if [ "$size" -ge "$position" ]; then
    echo "alive: the archive holds $file up to $size, the server is at $position"
    exit 0
fi

now=$(date +%s)
newest=0
for path in "$archive"/*; do
    [ -f "$path" ] || continue
    modified=$(stat -c %Y "$path")
    [ "$modified" -gt "$newest" ] && newest=$modified
done
age=$((now - newest))
if [ "$age" -gt "$stall" ]; then
    echo "stalled: the server is at $file:$position, the archive holds $file up to $size and nothing in $archive" \
        "changed for ${age}s (more than STALL_SECONDS=$stall)"
    exit 1
fi
echo "alive: the archive is behind ($file at $size of $position) but changed ${age}s ago"
exit 0
