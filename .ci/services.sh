# Sourced by .ci/run: throwaway Redis and PostgreSQL servers on loopback for the guard's store tests.
# Installs them from Debian's packages when missing, starts them on free ports, exports the connection
# URLs the tests read, and stops them (and removes their data) when the calling shell exits.

SERVICES_DIR="$(mktemp -d /tmp/ai-guard-services.XXXXXX)"
REDIS_PORT=""
PG_DATA=""

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

stop_services() {
  if [ -n "$REDIS_PORT" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$SERVICES_DIR"
}
trap stop_services EXIT

if ! command -v redis-server >/dev/null 2>&1 || [ -z "$(pg_bin)" ]; then
  echo "installing redis-server and postgresql from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
fi

REDIS_PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
  --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log"
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null
export AI_GUARD_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

PG_PORT="$(free_port)"
PG_DATA="$SERVICES_DIR/pg"
mkdir -p "$PG_DATA"
chown postgres "$SERVICES_DIR" "$PG_DATA"
runuser -u postgres -- "$(pg_bin)/initdb" -D "$PG_DATA" --auth=trust --username=postgres --no-sync >/dev/null
runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$SERVICES_DIR/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SERVICES_DIR -c fsync=off" start >/dev/null
export AI_GUARD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

echo "redis on 127.0.0.1:$REDIS_PORT, postgresql on 127.0.0.1:$PG_PORT"
