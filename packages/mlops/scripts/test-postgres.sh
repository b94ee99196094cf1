#!/usr/bin/env bash
# The PostgreSQL tracking store's tests against a real server: Debian's PostgreSQL, started here in a throwaway
# data directory on a loopback port (as the postgres user when run as root, which initdb requires), stopped after.
# .ci/run installs the package first. Where no server can start, this says "skipped" and fails, unless
# MLE_ALLOW_NO_POSTGRES=1 says a skip is acceptable.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "test:postgres: skipped: $1"
  if [ "${MLE_ALLOW_NO_POSTGRES:-}" = 1 ]; then exit 0; fi
  echo "test:postgres: failing (set MLE_ALLOW_NO_POSTGRES=1 to accept the skip; install Debian's postgresql to run it)"
  exit 1
}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || skip "no PostgreSQL server binaries under /usr/lib/postgresql (Debian's postgresql package)"

dir=$(mktemp -d)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user to run the server as"
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U mle -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log"; skip "initdb failed"; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
  { cat "$dir/server.log"; skip "the server did not start"; }
echo "test:postgres: $("$bin/postgres" --version) on 127.0.0.1:$port"
MLE_POSTGRES_URL="postgres://mle@127.0.0.1:$port/postgres" npx vitest run --config vitest.postgres.config.ts
