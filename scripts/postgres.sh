#!/usr/bin/env bash
# A private PostgreSQL server for the test suite: no systemd, works as root in a fresh container.
#
#   scripts/postgres.sh start    install (if missing), initdb (first time), start; prints the connection string
#   scripts/postgres.sh stop     stop it
#   scripts/postgres.sh status   say whether it runs
#   scripts/postgres.sh env      print `export XINYONG_TEST_POSTGRES=...` (use with eval)
#
# The cluster lives outside the work tree, in /tmp/xinyong-pg-<uid>-<port>, because the postgres user
# must be able to reach its data directory (a repo under /root is not reachable) and because one port
# can only ever serve one cluster: every clone on this machine shares the same throw-away server.
# Tests create their own databases. Settings trade durability for speed (fsync off): test data only.
#
# Environment: XINYONG_PG_PORT (default 55432), XINYONG_PG_DIR (default as above).
# Diagnostics go to stderr; stdout carries only the connection string / export line.
set -euo pipefail

PORT="${XINYONG_PG_PORT:-55432}"
HOST=127.0.0.1
PGROOT="${XINYONG_PG_DIR:-/tmp/xinyong-pg-$(id -u)-${PORT}}"
DATA="$PGROOT/data"
SOCK="$PGROOT/run"
LOGFILE="$PGROOT/postgres.log"
CONN="Host=${HOST};Port=${PORT};Username=postgres;Database=postgres"
ENV_CONN="Host=${HOST};Port=${PORT};Username=postgres"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# Run a command as the postgres OS user (as root), or as ourselves otherwise. Run from /tmp so the
# postgres user never trips over a current directory it cannot enter.
as_pg() {
    if is_root; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        (cd /tmp && "$@")
    fi
}

# Highest installed major version's bin directory, or nothing.
pg_bindir() {
    local d best=""
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        [[ -x "$d/pg_ctl" && -x "$d/initdb" && -x "$d/postgres" ]] && best="$d"
    done
    printf '%s' "$best"
}

apt_get() {
    local -a cmd=(apt-get -o DPkg::Lock::Timeout=600 "$@")
    if is_root; then
        DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
    elif command -v sudo >/dev/null 2>&1; then
        sudo DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
    else
        die "PostgreSQL is not installed and we are neither root nor have sudo; install the 'postgresql' package"
    fi
}

ensure_installed() {
    [[ -n "$(pg_bindir)" ]] && return 0
    log "PostgreSQL server binaries missing: installing the postgresql package"
    apt_get update -qq >&2 || die "apt-get update failed"
    apt_get install -y -qq postgresql >&2 || die "apt-get install postgresql failed"
    [[ -n "$(pg_bindir)" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/pg_ctl found"
}

ensure_user() {
    is_root || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating the postgres OS user"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p /var/lib/postgresql
    chown postgres:postgres /var/lib/postgresql 2>/dev/null || true
}

ensure_dirs() {
    mkdir -p "$PGROOT"
    if is_root; then
        chown postgres:postgres "$PGROOT"
    elif [[ ! -O "$PGROOT" ]]; then
        die "$PGROOT belongs to another user; set XINYONG_PG_DIR or XINYONG_PG_PORT"
    fi
    chmod 700 "$PGROOT"
    as_pg mkdir -p "$SOCK"
    as_pg test -w "$PGROOT" || die "the postgres user cannot write to $PGROOT (set XINYONG_PG_DIR)"
}

is_running() {
    local bin; bin="$(pg_bindir)"
    [[ -n "$bin" && -d "$PGROOT" && -s "$DATA/PG_VERSION" ]] || return 1
    as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# Is anything answering as a PostgreSQL server on our port?
port_answers() {
    local bin; bin="$(pg_bindir)"
    [[ -n "$bin" ]] || return 1
    "$bin/pg_isready" -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1
}

ensure_initdb() {
    local bin major
    bin="$(pg_bindir)"
    major="$(basename "$(dirname "$bin")")"
    if [[ -e "$DATA" ]]; then
        if [[ -s "$DATA/PG_VERSION" && "$(cat "$DATA/PG_VERSION")" == "$major" ]]; then
            return 0
        fi
        log "discarding unusable data directory $DATA (incomplete or another major version)"
        rm -rf "$DATA"
    fi
    log "initdb into $DATA (PostgreSQL $major)"
    as_pg "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 || {
        cat "$PGROOT/initdb.log" >&2
        rm -rf "$DATA"
        die "initdb failed"
    }
}

cmd_start() {
    ensure_installed
    ensure_user
    if is_running; then
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do
            if port_answers; then
                log "already running ($DATA, port $PORT)"
                printf '%s\n' "$CONN"
                return 0
            fi
            sleep 1
        done
        # pg_ctl sees a live postmaster PID but nothing answers: a dying or wedged server. Restart it.
        log "server process exists but does not answer on $HOST:$PORT; restarting it"
        as_pg "$(pg_bindir)/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop </dev/null >&2 || true
    fi
    if port_answers; then
        # Another cluster (e.g. one started with an older layout or XINYONG_PG_DIR) already serves
        # this port with the same trust setup: use it rather than fail on an occupied port.
        log "a PostgreSQL server already answers on $HOST:$PORT; using it"
        printf '%s\n' "$CONN"
        return 0
    fi
    ensure_dirs
    ensure_initdb
    local bin; bin="$(pg_bindir)"
    log "starting PostgreSQL on $HOST:$PORT (data $DATA, log $LOGFILE)"
    if ! as_pg "$bin/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 \
        -o "-c listen_addresses=$HOST -p $PORT -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start </dev/null >&2; then
        tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
        die "pg_ctl start failed"
    fi
    port_answers || die "server started but does not answer on $HOST:$PORT (see $LOGFILE)"
    printf '%s\n' "$CONN"
}

cmd_stop() {
    if ! is_running; then
        log "not running ($DATA)"
        return 0
    fi
    as_pg "$(pg_bindir)/pg_ctl" -D "$DATA" -m fast -w -t 60 stop </dev/null >&2
}

cmd_status() {
    if is_running; then
        log "running ($DATA, port $PORT)"
        printf '%s\n' "$CONN"
    else
        log "not running ($DATA)"
        return 3
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) printf "export XINYONG_TEST_POSTGRES='%s'\n" "$ENV_CONN" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
