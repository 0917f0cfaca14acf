#!/bin/sh
# The restore Job: `rewind restore` of a Rewind base backup plus the archived binlogs into the restore target
# (mysql-restore), up to the point restore.env chose, then `rewind checksum` of the result (with EXPECT: compared,
# exit 2 on any difference). Connection from the environment (MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PWD: never
# on a command line). /backups and /archive are mounted read-only (BACKUP_DIR and ARCHIVE_DIR name others: the
# validation runs this script against real servers; restore-job-s3 sets ARCHIVE_DIR to s3://bucket/prefix/).
set -eu
backups=${BACKUP_DIR:-/backups}
archive=${ARCHIVE_DIR:-/archive}

backup=${BACKUP:-latest}
if [ "$backup" = latest ]; then
    backup=$(ls -1 "$backups" | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort | tail -n 1 || true)
    if [ -z "$backup" ]; then
        echo "restore: no Rewind backup in $backups (the claim rewind-backups); take one with rewind backup create" >&2
        exit 1
    fi
fi
[ -d "$backups/$backup" ] || { echo "restore: $backups/$backup does not exist (BACKUP in restore.env)" >&2; exit 1; }
case "$archive" in
    # An archive in S3 (restore-job-s3): rewind joins what it needs into its cache; credentials, endpoint and the
    # key file come from the environment.
    s3://*) ;;
    *) [ -f "$archive/rewind-archive.json" ] || { echo "restore: $archive holds no rewind archive" >&2; exit 1; } ;;
esac

# The target starts with the Job: wait until it takes logins (`rewind status` exits 1 only when it cannot connect;
# 10 minutes at most, as a first start initialises the data directory).
waited=0
while :; do
    status=0
    rewind status >/dev/null 2>&1 || status=$?
    [ "$status" -ne 1 ] && break
    if [ "$waited" -ge "${WAIT_SECONDS:-600}" ]; then
        echo "restore: $MYSQL_HOST:$MYSQL_PORT did not accept a login in ${waited} s; see kubectl -n rewind get pods" >&2
        exit 1
    fi
    sleep 5
    waited=$((waited + 5))
done

set -- --backup "$backups/$backup" --binlogs "$archive"
[ -n "${UNTIL_DATETIME:-}" ] && set -- "$@" --until-datetime "$UNTIL_DATETIME"
[ -n "${UNTIL_GTID:-}" ] && set -- "$@" --until-gtid "$UNTIL_GTID"
[ -n "${UNTIL_POSITION:-}" ] && set -- "$@" --until-position "$UNTIL_POSITION"
[ -n "${BEFORE:-}" ] && set -- "$@" --before "$BEFORE"
for transaction in ${SKIP:-}; do set -- "$@" --skip "$transaction"; done
scope=
for database in ${DATABASES:-}; do set -- "$@" --database "$database"; scope="$scope --database $database"; done

echo "restore: rewind restore $*" >&2
rewind restore "$@" --dry-run
rewind restore "$@"

# The proof restore printed is rewind's own; the checksum is what a person compares with the source.
if [ -n "${EXPECT:-}" ]; then
    # shellcheck disable=SC2086 # scope holds whole options
    rewind checksum $scope --expect "$backups/$EXPECT"
else
    # shellcheck disable=SC2086
    rewind checksum $scope
fi
