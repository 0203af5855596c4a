#!/usr/bin/env bash
# Start PostgreSQL and Redis from Debian's packages on loopback, for CI and for local runs of
# the full suite. Prints the DATABASE_URL and REDIS_URL to export. Needs root (apt, su).
set -euo pipefail
# Only the two export lines may reach stdout (the caller evals it): everything the tools say
# (pg_ctlcluster's "Removed stale pid file", NOTICEs, redis banners) goes to stderr. No extra
# descriptor is kept for stdout, since the daemons started here would inherit it and keep the
# caller's $(...) waiting for ever.
start_services() {

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
DB_NAME="${DB_NAME:-portal}"
DB_USER="${DB_USER:-portal}"
DB_PASSWORD="${DB_PASSWORD:-portal}"

# PostgreSQL: use the distribution's cluster tooling (initdb refuses to run as root).
if ! command -v pg_lsclusters >/dev/null; then
  echo "postgresql is not installed (apt-get install postgresql)" >&2
  exit 1
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
  pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -p $PG_PORT -tAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -q" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD' CREATEDB;
  END IF;
END \$\$;
SQL
if ! su postgres -c "psql -p $PG_PORT -tAc \"select 1 from pg_database where datname='$DB_NAME'\"" | grep -q 1; then
  su postgres -c "createdb -p $PG_PORT -O $DB_USER $DB_NAME"
fi
# The test database is created by the test runner; pg_trgm must be creatable by our user.
su postgres -c "psql -p $PG_PORT -q -d template1 -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'"

# Redis on loopback only, no persistence: it is a broker and a cache here.
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

}
start_services >&2

echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
