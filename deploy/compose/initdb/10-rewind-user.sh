# Sourced (not executed) by the mysql image's entrypoint on the first start of an empty data directory.
# The same file is shipped as deploy/k8s/base/mysql/10-rewind-user.sh; scripts/validate-deploy checks they are identical.
# Creates the account Rewind connects with (it reads binlogs like a replica and takes consistent backups), and
# rewind_probe@127.0.0.1, the account of the health checks: no password and no privileges, so a changed Secret or
# a missing root@'%' never makes them fail.
# REWIND_USER and REWIND_PASSWORD come from the environment (Compose .env) or from files named by
# REWIND_USER_FILE and REWIND_PASSWORD_FILE (the Kubernetes Secret mounted at /run/secrets/mysql).
# Both are written into SQL string literals with quotes and backslashes escaped (rewind_sql_string).

rewind_sql_string() { printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/''/g"; }

if [ -z "${REWIND_USER:-}" ] && [ -n "${REWIND_USER_FILE:-}" ]; then REWIND_USER=$(cat "$REWIND_USER_FILE"); fi
if [ -z "${REWIND_PASSWORD:-}" ] && [ -n "${REWIND_PASSWORD_FILE:-}" ]; then
    REWIND_PASSWORD=$(cat "$REWIND_PASSWORD_FILE")
fi

rewind_probe_sql="CREATE USER IF NOT EXISTS 'rewind_probe'@'127.0.0.1' IDENTIFIED BY '' WITH MAX_USER_CONNECTIONS 3;"
if [ -n "${REWIND_USER:-}" ] && [ -n "${REWIND_PASSWORD:-}" ]; then
    rewind_user_sql=$(rewind_sql_string "$REWIND_USER")
    rewind_password_sql=$(rewind_sql_string "$REWIND_PASSWORD")
    docker_process_sql --database=mysql <<SQL
$rewind_probe_sql
CREATE USER IF NOT EXISTS '${rewind_user_sql}'@'%' IDENTIFIED BY '${rewind_password_sql}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, RELOAD, PROCESS, SELECT, SHOW VIEW, EVENT, TRIGGER, LOCK TABLES,
      BACKUP_ADMIN ON *.* TO '${rewind_user_sql}'@'%';
SQL
    unset rewind_user_sql rewind_password_sql
else
    docker_process_sql --database=mysql <<SQL
$rewind_probe_sql
SQL
fi
unset rewind_probe_sql
