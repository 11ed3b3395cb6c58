#!/usr/bin/env bash
# Runs every test of Kcc.Workbench: unit, component, HTTP and end-to-end (Playwright in Debian's Chromium), then the
# handler, component and HTTP tests (tests/Kcc.Workbench.Tests) a second time on PostgreSQL 15 (KCC_TEST_POSTGRES=0 skips
# that pass). Installs Chromium and PostgreSQL through apt when they are missing; never downloads a browser build of its own.
# The PostgreSQL cluster is a throwaway one: initdb into a temporary folder, a free port on 127.0.0.1, stopped and
# removed at the end. KCC_TEST_PG=<connection string> uses a server of your own instead (no Database= in it).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium ontbreekt: installeren via apt…"
  apt_install chromium fonts-liberation
fi

# The PostgreSQL pass runs by default; KCC_TEST_POSTGRES=0 skips it, KCC_TEST_PG=<connection string> uses a server of your own.
POSTGRES=1
if [ -z "${KCC_TEST_PG:-}" ] && [ "${KCC_TEST_POSTGRES:-1}" = "0" ]; then POSTGRES=0; fi

PGBIN=/usr/lib/postgresql/15/bin
if [ "$POSTGRES" = "1" ] && [ -z "${KCC_TEST_PG:-}" ] && [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL 15 ontbreekt: installeren via apt…"
  apt_install postgresql-15 || apt_install postgresql
fi

# The two-server journey puts Debian's nginx in front of two app servers (tests/Kcc.Workbench.EndToEnd/TwoServerTests.cs).
if [ "$POSTGRES" = "1" ] && [ ! -x /usr/sbin/nginx ]; then
  echo "nginx ontbreekt: installeren via apt…"
  apt_install nginx-light || apt_install nginx
fi

start_postgres() {
  PGTMP=$(mktemp -d /tmp/kcc-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses root: the cluster runs as Debian's postgres user.
    chown postgres "$PGTMP"
    as=(runuser -u postgres --)
  fi
  PGPORT=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; do PGPORT=$((PGPORT + 1)); done
  "${as[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log"
  # A test cluster: durability off (fsync, full pages), room for the parallel test classes.
  "${as[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -o \
    "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
  trap 'runuser_stop' EXIT
  export KCC_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres"
  echo "PostgreSQL 15 voor de tests op poort $PGPORT"
}

runuser_stop() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  else
    "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTMP"
}

dotnet tool restore >/dev/null
dotnet build Kcc.Workbench.sln -c Release -nologo -v q

# "$@" with a trait filter added: after the caller's "--" when there is one, else after a new "--".
with_filter() {
  args=("${@:2}")
  if printf '%s\n' "${@:2}" | grep -qx -- '--'; then args+=(--filter-not-trait "$1"); else args+=(-- --filter-not-trait "$1"); fi
}

status=0
# Tests about several servers on one PostgreSQL database carry Provider=PostgreSqlOnly.
with_filter "Provider=PostgreSqlOnly" "$@"
dotnet test --solution Kcc.Workbench.sln -c Release --no-build "${args[@]}" || status=$?

if [ "$POSTGRES" != "1" ]; then
  exit "$status"
fi

echo "Dezelfde handler-, component- en HTTP-tests op PostgreSQL…"
[ -z "${KCC_TEST_PG:-}" ] && start_postgres
# Tests about the SQLite file itself (corruption, full disk, keys folder, its migrations) carry Provider=SqliteOnly.
with_filter "Provider=SqliteOnly" "$@"
KCC_TEST_PROVIDER=PostgreSQL dotnet test --project tests/Kcc.Workbench.Tests -c Release --no-build "${args[@]}" || status=$?

echo "Twee app-servers achter nginx op één PostgreSQL-database…"
args=("$@")
if printf '%s\n' "$@" | grep -qx -- '--'; then args+=(--filter-trait "Provider=PostgreSqlOnly"); else args+=(-- --filter-trait "Provider=PostgreSqlOnly"); fi
dotnet test --project tests/Kcc.Workbench.EndToEnd -c Release --no-build "${args[@]}" || status=$?
exit "$status"
