#!/usr/bin/env bash
# Install (from Debian's packages) and start the servers the test suite talks to:
# PostgreSQL and Redis on 127.0.0.1, with throwaway data directories.
# Prints the `export` lines for the URLs. Safe to run twice.
set -euo pipefail

RUN_DIR=${KEFU_CI_RUN_DIR:-/tmp/kefu-ci-services}
PG_PORT=${KEFU_CI_PG_PORT:-55432}
REDIS_PORT=${KEFU_CI_REDIS_PORT:-56379}
mkdir -p "$RUN_DIR"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
PG_DATA="$RUN_DIR/pg"
if ! "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null; then
  rm -rf "$PG_DATA"
  install -d -o postgres -g postgres "$PG_DATA"
  chmod 1777 "$RUN_DIR"  # the socket directory must be writable by postgres
  # PostgreSQL refuses to run as root: it runs as the postgres user.
  su postgres -s /bin/sh -c "$PG_BIN/initdb -D '$PG_DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PG_DATA' -l '$PG_DATA/server.log' -w \
    -o '-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$RUN_DIR -c fsync=off -c max_connections=200' start" >&2
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --logfile "$RUN_DIR/redis.log" >&2
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

bash "$(dirname "$0")/dovecot.sh"

echo "export KEFU_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
echo "export KEFU_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
