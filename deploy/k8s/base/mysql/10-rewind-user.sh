# Sourced (not executed) by the mysql image's entrypoint on the first start of an empty data directory.
# The same file is shipped as deploy/k8s/base/mysql/10-rewind-user.sh; scripts/validate-deploy checks they are identical.
# Creates the account Rewind connects with: it reads binlogs like a replica and takes consistent backups.
# REWIND_USER and REWIND_PASSWORD come from the environment (compose .env or the Kubernetes Secret).
if [ -n "${REWIND_USER:-}" ] && [ -n "${REWIND_PASSWORD:-}" ]; then
    rewind_password_sql=$(printf '%s' "$REWIND_PASSWORD" | sed "s/\\\\/\\\\\\\\/g; s/'/''/g")
    docker_process_sql --database=mysql <<SQL
CREATE USER IF NOT EXISTS '${REWIND_USER}'@'%' IDENTIFIED BY '${rewind_password_sql}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, RELOAD, PROCESS, SELECT, SHOW VIEW, EVENT, TRIGGER, LOCK TABLES,
      BACKUP_ADMIN ON *.* TO '${REWIND_USER}'@'%';
SQL
    unset rewind_password_sql
fi
