#!/bin/sh
# The restore Job: `rewind restore` of a Rewind base backup plus the archived binlogs into the restore target
# (mysql-restore), up to the point restore.env chose, then `rewind checksum` of the result (with EXPECT: compared,
# exit 2 on any difference). Connection from the environment (MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PWD: never
# on a command line). /backups and /archive are mounted read-only (BACKUP_DIR and ARCHIVE_DIR name others: the
# validation runs this script against real servers; restore-job-s3 sets both to s3://bucket/prefix/, and rewind
# takes the credentials, endpoint and key file from the environment).
set -eu
backups=${BACKUP_DIR:-/backups}
backups=${backups%/}
archive=${ARCHIVE_DIR:-/archive}

backup=${BACKUP:-latest}
if [ "$backup" = latest ]; then
    # The newest complete backup (one still running, killed or failed is never restored).
    list=$(rewind backup list "$backups" --format json) || {
        echo "restore: cannot list the backups in $backups (BACKUP_DIR; message above)" >&2
        exit 1
    }
    backup=$(printf '%s\n' "$list" | grep '"state":"complete"' \
        | sed -n 's/^.*"id":"\([0-9]\{8\}T[0-9]\{6\}Z\)".*$/\1/p' | tail -n 1)
    if [ -z "$backup" ]; then
        echo "restore: no complete Rewind backup in $backups; take one with rewind backup create" >&2
        exit 1
    fi
fi
case "$backups" in
    # In S3 rewind restore itself names what is missing.
    s3://*) ;;
    *) [ -d "$backups/$backup" ] || {
        echo "restore: $backups/$backup does not exist (BACKUP in restore.env)" >&2
        exit 1
    } ;;
esac
case "$archive" in
    # An archive in S3 (restore-job-s3): rewind joins what it needs into its cache.
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
    case "$EXPECT" in
        /*) expect=$EXPECT ;;
        *) expect=$backups/$EXPECT ;;
    esac
    # shellcheck disable=SC2086 # scope holds whole options
    rewind checksum $scope --expect "$expect"
else
    # shellcheck disable=SC2086
    rewind checksum $scope
fi
