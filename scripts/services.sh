#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that Shopkeeper is configured for answer.
#
#   scripts/services.sh [start]        check both; start a project-local one for each that does
#                                      not answer; prints the names it started (one a line) on
#                                      stdout, everything else on stderr
#   scripts/services.sh stop [NAME..]  stop what this script started (all, or the named ones:
#                                      postgres, redis); never touches a server it did not start
#   scripts/services.sh status         say what answers and what is project-local
#
# Where to look comes from SHOPKEEPER_ADMIN_DATABASE_URL and SHOPKEEPER_REDIS_URL (the same
# defaults as src/bootstrap/settings.py). Local servers live under the git-ignored var/ folder
# (SHOPKEEPER_SERVICES_DIR overrides it); var/started-services records what was started, so
# `stop` only ever stops those.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="${SHOPKEEPER_SERVICES_DIR:-$ROOT/var}"
[[ "$VAR" == /* ]] || VAR="$PWD/$VAR"
RECORD="$VAR/started-services"
ADMIN_URL="${SHOPKEEPER_ADMIN_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${SHOPKEEPER_REDIS_URL:-redis://127.0.0.1:6379/0}"
TAB=$'\t'

say() { printf 'services: %s\n' "$*" >&2; }
die() {
    printf 'services: error: %s\n' "$*" >&2
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

PYTHON=""
for candidate in python3 python; do
    if have "$candidate"; then
        PYTHON="$candidate"
        break
    fi
done
[[ -n "$PYTHON" ]] || die "python3 is needed to read the service URLs: apt-get install python3"

# Prints "host port user password" of a postgresql:// or redis:// URL ("-" for a missing part).
url_parts() {
    "$PYTHON" -c '
import sys
from urllib.parse import unquote, urlsplit

parts = urlsplit(sys.argv[1])
print(
    parts.hostname or "127.0.0.1",
    parts.port or sys.argv[2],
    unquote(parts.username or "") or "-",
    unquote(parts.password or "") or "-",
)
' "$1" "$2"
}

read -r PG_HOST PG_PORT PG_USER _ <<<"$(url_parts "$ADMIN_URL" 5432)"
[[ -n "${PG_PORT:-}" ]] || die "cannot read SHOPKEEPER_ADMIN_DATABASE_URL=$ADMIN_URL"
[[ "$PG_USER" == "-" ]] && PG_USER=postgres
read -r REDIS_HOST REDIS_PORT _ REDIS_PASSWORD <<<"$(url_parts "$REDIS_URL" 6379)"
[[ -n "${REDIS_PORT:-}" ]] || die "cannot read SHOPKEEPER_REDIS_URL=$REDIS_URL"

is_local_host() { [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "::1" ]]; }

tcp_open() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# --- binaries ---------------------------------------------------------------------------

# The directory holding initdb, pg_ctl and postgres: PATH first, else the newest
# /usr/lib/postgresql/<major>/bin (Debian and Ubuntu keep them off PATH).
pg_bindir() {
    local dir
    if have pg_ctl && have initdb && have postgres; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

pg_isready_bin() {
    local dir
    if have pg_isready; then
        command -v pg_isready
        return 0
    fi
    dir="$(pg_bindir 2>/dev/null)" || return 1
    [[ -x "$dir/pg_isready" ]] && echo "$dir/pg_isready"
}

redis_server_bin() {
    local candidate
    for candidate in "$(command -v redis-server 2>/dev/null || true)" /usr/bin/redis-server \
        /usr/local/bin/redis-server /usr/sbin/redis-server; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# --- health checks ----------------------------------------------------------------------

postgres_answers() {
    local isready
    if isready="$(pg_isready_bin)"; then
        "$isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 3
    else
        tcp_open "$PG_HOST" "$PG_PORT"
    fi
}

redis_reply() {
    if have redis-cli; then
        timeout 5 redis-cli --no-auth-warning -u "$REDIS_URL" ping 2>/dev/null || true
    elif [[ -x "$ROOT/.venv/bin/python" ]] && "$ROOT/.venv/bin/python" -c "import redis" 2>/dev/null; then
        "$ROOT/.venv/bin/python" -c '
import sys

import redis

try:
    redis.Redis.from_url(sys.argv[1], socket_timeout=3, socket_connect_timeout=3).ping()
    print("PONG")
except redis.exceptions.ConnectionError:
    pass
except redis.exceptions.RedisError as exc:
    print(f"ERR {exc}")
' "$REDIS_URL" 2>/dev/null || true
    else
        # Neither redis-cli nor the project's environment yet: speak RESP over bash's /dev/tcp.
        (
            exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" || exit 0
            if [[ "$REDIS_PASSWORD" != "-" ]]; then
                printf 'AUTH %s\r\n' "$REDIS_PASSWORD" >&3
                IFS= read -r -t 3 line <&3 || exit 0
            fi
            printf 'PING\r\n' >&3
            IFS= read -r -t 3 line <&3 || exit 0
            line="${line%$'\r'}"
            printf '%s\n' "${line#+}"
        ) 2>/dev/null || true
    fi
}

# Any reply counts as "answering"; a reply other than PONG (e.g. NOAUTH) is reported.
redis_answers() {
    local reply
    reply="$(redis_reply | head -n 1)"
    [[ -n "$reply" ]] || return 1
    if [[ "$reply" != "PONG" ]]; then
        say "Redis at $REDIS_HOST:$REDIS_PORT answers, but not with PONG: $reply (check SHOPKEEPER_REDIS_URL)"
    fi
    return 0
}

# --- record of what this script started (tab-separated, one server a line) ---------------

record_add() {
    local IFS="$TAB"
    echo "$*" >>"$RECORD"
}

record_lines() { if [[ -f "$RECORD" ]]; then grep -v '^[[:space:]]*$' "$RECORD" || true; fi; }

record_remove() {
    local tmp
    [[ -f "$RECORD" ]] || return 0
    tmp="$(mktemp "$VAR/.started-services.XXXXXX")"
    grep -vxF -- "$1" "$RECORD" >"$tmp" || true
    mv "$tmp" "$RECORD"
    [[ -s "$RECORD" ]] || rm -f "$RECORD"
}

# Serialise concurrent invocations (e.g. two `make test`s on a fresh machine).
lock() {
    mkdir -p "$VAR"
    if have flock; then
        exec 9>"$VAR/.services.lock"
        flock -w 120 9 || die "timed out waiting for another scripts/services.sh"
    fi
}

# --- PostgreSQL -------------------------------------------------------------------------

# PostgreSQL refuses to run as root: as root, run it as an unprivileged system user.
pg_os_user() {
    if [[ "$(id -u)" != "0" ]]; then
        id -un
        return 0
    fi
    local user="${SHOPKEEPER_PG_OS_USER:-postgres}"
    if ! id "$user" >/dev/null 2>&1; then
        user=shopkeeper-pg
        if ! id "$user" >/dev/null 2>&1; then
            have useradd || die "running as root and there is no 'postgres' user to run PostgreSQL as: create one (useradd --system postgres)"
            say "creating system user $user to run the project-local PostgreSQL (it refuses to run as root)"
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$user"
        fi
    fi
    echo "$user"
}

# Runs a command as USER, from / (which every user may enter), without the lock's descriptor:
# a server started from here must not hold the lock for as long as it runs.
as_user() {
    local user="$1"
    shift
    if [[ "$user" == "$(id -un)" ]]; then
        "$@" 9>&-
    elif have runuser; then
        (cd / && runuser -u "$user" -- "$@" 9>&-)
    else
        (cd / && su -s /bin/sh "$user" -c "$(printf '%q ' "$@")" 9>&-)
    fi
}

start_postgres() {
    is_local_host "$PG_HOST" ||
        die "PostgreSQL at $PG_HOST:$PG_PORT (SHOPKEEPER_ADMIN_DATABASE_URL) does not answer and is not on this machine: start it there, or point the URL at a server that runs"
    local bindir user data="$VAR/pg" log="$VAR/pg.log" sock="$VAR/pgsock" listen major
    bindir="$(pg_bindir)" ||
        die "PostgreSQL does not answer on $PG_HOST:$PG_PORT and its server binaries (initdb, pg_ctl, postgres) are not installed: apt-get install postgresql-15 (Debian/Ubuntu; dnf install postgresql15-server elsewhere), or start a server and set SHOPKEEPER_ADMIN_DATABASE_URL"
    user="$(pg_os_user)"
    # Unix socket paths are limited to ~107 bytes; fall back to a short private directory.
    if ((${#sock} > 80)); then sock="$(mktemp -d /tmp/shopkeeper-pgsock.XXXXXX)"; fi
    mkdir -p "$data" "$sock"
    touch "$log"
    if [[ "$user" != "$(id -un)" ]]; then
        chown "$user" "$data" "$sock" "$log"
        as_user "$user" test -w "$data" ||
            die "user $user cannot write $data (a parent folder is closed to it): set SHOPKEEPER_SERVICES_DIR to a folder it can reach"
    fi
    chmod 700 "$data"
    major="$("$bindir/postgres" --version | awk '{print $3}' | cut -d. -f1)"
    if [[ -f "$data/PG_VERSION" ]]; then
        [[ "$(cat "$data/PG_VERSION")" == "$major" ]] ||
            die "$data was made by PostgreSQL $(cat "$data/PG_VERSION") but this machine has $major: install postgresql-$(cat "$data/PG_VERSION"), or remove $data (its data is lost)"
        if as_user "$user" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            die "the project-local PostgreSQL in $data already runs, but does not answer on $PG_HOST:$PG_PORT: stop it (scripts/services.sh stop postgres) and retry"
        fi
    else
        say "initialising a project-local PostgreSQL $major cluster in $data"
        as_user "$user" "$bindir/initdb" -D "$data" -U "$PG_USER" --auth=trust --encoding=UTF8 \
            --no-locale >>"$log" 2>&1 || die "initdb failed; see $log"
    fi
    case "$PG_HOST" in
    localhost) listen=localhost ;;
    *) listen="$PG_HOST" ;;
    esac
    say "starting a project-local PostgreSQL on $PG_HOST:$PG_PORT (data $data, log $log)"
    if ! as_user "$user" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-p $PG_PORT -k '$sock' -c listen_addresses='$listen' -c max_connections=200" \
        start >/dev/null; then
        tail -n 20 "$log" >&2 || true
        die "PostgreSQL did not start; see $log"
    fi
    record_add postgres "$PG_PORT" "$user" "$bindir" "$data"
    STARTED_NOW+=(postgres)
    echo postgres
}

stop_postgres() {
    local port="$1" user="$2" bindir="$3" data="$4"
    say "stopping the project-local PostgreSQL on port $port ($data)"
    as_user "$user" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 ||
        say "it was not running any more"
}

# --- Redis ------------------------------------------------------------------------------

start_redis() {
    is_local_host "$REDIS_HOST" ||
        die "Redis at $REDIS_HOST:$REDIS_PORT (SHOPKEEPER_REDIS_URL) does not answer and is not on this machine: start it there, or point the URL at a server that runs"
    local server bind pidfile="$VAR/redis.pid" log="$VAR/redis.log" i
    server="$(redis_server_bin)" ||
        die "Redis does not answer on $REDIS_HOST:$REDIS_PORT and redis-server is not installed: apt-get install redis-server (dnf install redis elsewhere), or start one and set SHOPKEEPER_REDIS_URL"
    case "$REDIS_HOST" in
    localhost) bind=127.0.0.1 ;;
    *) bind="$REDIS_HOST" ;;
    esac
    local args=(--port "$REDIS_PORT" --bind "$bind" --save '' --appendonly no --daemonize yes
        --pidfile "$pidfile" --dir "$VAR" --logfile "$log")
    if [[ "$REDIS_PASSWORD" != "-" ]]; then args+=(--requirepass "$REDIS_PASSWORD"); fi
    say "starting a project-local Redis on $REDIS_HOST:$REDIS_PORT (log $log)"
    rm -f "$pidfile"
    "$server" "${args[@]}" 9>&- || die "redis-server did not start; see $log"
    for i in $(seq 1 50); do
        if [[ -s "$pidfile" ]] && redis_answers; then
            record_add redis "$REDIS_PORT" "$pidfile"
            STARTED_NOW+=(redis)
            echo redis
            return 0
        fi
        sleep 0.2
    done
    tail -n 20 "$log" >&2 || true
    die "Redis did not answer after starting; see $log"
}

stop_redis() {
    local port="$1" pidfile="$2" pid i
    say "stopping the project-local Redis on port $port"
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    # Only the redis-server whose pid was recorded: a recycled pid must not be killed.
    if [[ -z "$pid" ]] || ! grep -q redis "/proc/$pid/comm" 2>/dev/null; then
        say "it was not running any more"
        return 0
    fi
    kill -TERM "$pid"
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    say "Redis (pid $pid) did not stop within 10 s"
}

# --- commands ---------------------------------------------------------------------------

STARTED_NOW=()

# A failed start (say Redis is missing) leaves nothing running that this attempt started.
undo_failed_start() {
    local rc=$?
    if ((rc != 0 && ${#STARTED_NOW[@]} > 0)); then
        say "stopping what this attempt started: ${STARTED_NOW[*]}"
        cmd_stop "${STARTED_NOW[@]}" || true
    fi
    return "$rc"
}

cmd_start() {
    lock
    trap undo_failed_start EXIT
    if postgres_answers; then
        say "PostgreSQL answers on $PG_HOST:$PG_PORT"
    else
        start_postgres
    fi
    if redis_answers; then
        say "Redis answers on $REDIS_HOST:$REDIS_PORT"
    else
        start_redis
    fi
}

cmd_stop() {
    lock
    local line name port a b c w wanted lines=()
    mapfile -t lines < <(record_lines)
    for line in "${lines[@]}"; do
        IFS="$TAB" read -r name port a b c <<<"$line"
        if (($# > 0)); then
            wanted=0
            for w in "$@"; do if [[ "$w" == "$name" ]]; then wanted=1; fi; done
            ((wanted)) || continue
        fi
        case "$name" in
        postgres) stop_postgres "$port" "$a" "$b" "$c" </dev/null ;;
        redis) stop_redis "$port" "$a" </dev/null ;;
        *) say "ignoring an unknown record: $line" ;;
        esac
        record_remove "$line"
    done
}

cmd_status() {
    local started
    started="$(record_lines | awk -F"$TAB" '{printf "%s%s on port %s", sep, $1, $2; sep=", "}')"
    if postgres_answers; then
        say "PostgreSQL answers on $PG_HOST:$PG_PORT"
    else
        say "PostgreSQL: no answer on $PG_HOST:$PG_PORT"
    fi
    if redis_answers; then
        say "Redis answers on $REDIS_HOST:$REDIS_PORT"
    else
        say "Redis: no answer on $REDIS_HOST:$REDIS_PORT"
    fi
    say "started by this script and still recorded: ${started:-nothing}"
}

case "${1:-start}" in
start) cmd_start ;;
stop)
    shift
    cmd_stop "$@"
    ;;
status) cmd_status ;;
-h | --help | help) sed -n '2,14p' "$0" | sed -E 's/^# ?//' ;;
*) die "unknown command '$1' (start, stop, status)" ;;
esac
