#!/usr/bin/env bash
# Load test of the public website on a seeded database (benchmarks/Xinyong.WebBench seed), with wrk.
#
#   scripts/bench-web.sh --provider sqlite   --db /tmp/xinyong-bench/xinyong.db
#   scripts/bench-web.sh --provider postgres --db "Host=127.0.0.1;Port=55432;Username=postgres;Database=xinyong_bench"
#
# 1. publishes src/Xinyong.Web in Release to a directory outside the work tree (other builds cannot touch it);
# 2. starts it in Production on 127.0.0.1:PORT against the database (demo data off, logging at Warning), waits for
#    health, then for the start-up background work to finish (the web process idle), and times the first name search
#    (the in-memory name index loads on first use), with the process's resident memory before and after;
# 3. per route, a warm-up run that also tallies response status classes, then one measured run per connection count:
#    wrk --latency, THREADS threads, DURATION each; the list routes walk the query files written by the seeder;
#    before each route the database files are read once into the OS page cache (--no-prewarm to skip), so that all
#    routes start from the same cache state on a machine whose page cache other work keeps evicting;
# 4. prints (and writes to --out) a Markdown table: req/s, p50/p90/p99/max latency, non-2xx/3xx responses, socket
#    errors, the CPU used by the web process, the database server and everything else on the machine meanwhile, the
#    bytes the web process and the database server read from disk (page-cache misses),
#    each route's throughput relative to the static file at the same concurrency, and the targets.
# Only the web process this script started is stopped (by its pid).
#
# Options: --queries DIR (default /tmp/xinyong-bench/queries-PROVIDER), --connections 4,16,64, --duration 30s,
# --warmup 10s, --threads 2, --routes static,subject,search,api-subject,api-search, --port 5080,
# --out FILE, --web-dir DIR (default /tmp/xinyong-bench/web), --no-build (reuse --web-dir as published),
# --no-prewarm, --label TEXT (a note printed in the report's heading, e.g. the experiment),
# --conn-extra "Key=Value;..." (appended to the connection string given to the web app, e.g. Max Auto Prepare=20),
# --report LOGDIR (only print the report of an earlier, possibly interrupted, run from its log directory; with --out),
# --app floor (instead of the web app, benchmarks/Xinyong.WebBench's floor server: the same static file and routes that do
#   only part of a page's work; default routes static,floor-http,floor-subject,floor-prepared,floor-search, see FloorCommand).
set -euo pipefail

# Everything runs inside main, so that bash has read the whole file before it starts (an edit during a run is harmless).
main() {

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd -P)"

PROVIDER="" DB="" QUERIES="" CONNECTIONS="4,16,64" DURATION="30s" WARMUP="10s" THREADS=2
ROUTES="" PORT=5080 OUT="" WEB_DIR="" BUILD=1 PREWARM=1 LABEL="" CONN_EXTRA="" REPORT_DIR="" APP=web
while [[ $# -gt 0 ]]; do
    case "$1" in
        --provider) PROVIDER="$2"; shift 2 ;;
        --db) DB="$2"; shift 2 ;;
        --queries) QUERIES="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --routes) ROUTES="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --web-dir) WEB_DIR="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --no-prewarm) PREWARM=0; shift ;;
        --label) LABEL="$2"; shift 2 ;;
        --conn-extra) CONN_EXTRA="$2"; shift 2 ;;
        --report) REPORT_DIR="$2"; shift 2 ;;
        --app) APP="$2"; shift 2 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "bench-web.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ "$APP" == web || "$APP" == floor ]] || { echo "bench-web.sh: --app web|floor" >&2; exit 2; }
if [[ -z "$ROUTES" ]]; then
    if [[ "$APP" == web ]]; then ROUTES="static,subject,search,api-subject,api-search"
    elif [[ "$PROVIDER" == sqlite ]]; then ROUTES="static,floor-http,floor-subject,floor-prepared,floor-search"
    else ROUTES="static,floor-http,floor-subject,floor-search"; fi
fi
WEB_DIR="${WEB_DIR:-/tmp/xinyong-bench/$APP}"
if [[ -z "$REPORT_DIR" ]]; then
[[ "$PROVIDER" == sqlite || "$PROVIDER" == postgres ]] || { echo "bench-web.sh: --provider sqlite|postgres is required" >&2; exit 2; }
[[ -n "$DB" ]] || { echo "bench-web.sh: --db is required" >&2; exit 2; }
fi
QUERIES="${QUERIES:-/tmp/xinyong-bench/queries-$PROVIDER}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
LOGDIR="/tmp/xinyong-bench/logs/web-$PROVIDER-$STAMP"
BASE="http://127.0.0.1:$PORT"
LUA="$REPO/scripts/bench-web.lua"
HZ="$(getconf CLK_TCK)"

log() { printf '%s bench-web: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

field() { grep -oE "(^| )$2=[0-9.]*" "$1" | head -1 | cut -d= -f2; }
ms() { awk -v u="$(field "$1" "$2")" 'BEGIN{printf "%.1f", u/1000}'; }
# Facts about the run, kept next to the raw wrk output so that the report can be made again from the log directory.
meta() { printf '%s=%q\n' "$1" "$2" >>"$LOGDIR/meta.env"; }

# The Markdown report of a log directory (also after an interrupted run: missing runs are left out).
report() {
    local dir=$1 route conns logf req dur rps secs busy web db wrkc other ceiling ratio cpu_ms limit verdict
    # shellcheck disable=SC1091
    source "$dir/meta.env"
    local -A RPS=()
    local -a routes conn_levels rows=()
    IFS=, read -r -a routes <<<"$ROUTES"
    IFS=, read -r -a conn_levels <<<"$CONNECTIONS"
    for route in "${routes[@]}"; do
        for conns in "${conn_levels[@]}"; do
            logf="$dir/$route-c$conns.txt"
            [[ -f "$logf" ]] && grep -q '^CPU ' "$logf" || continue
            req=$(field "$logf" requests); dur=$(field "$logf" duration_us)
            rps=$(awk -v r="$req" -v d="$dur" 'BEGIN{printf "%.0f", r/(d/1e6)}')
            RPS[$route,$conns]=$rps
            secs=$(awk -v d="$(field "$logf" window_us)" 'BEGIN{print d/1e6}')
            busy=$(field "$logf" busy); web=$(field "$logf" web); db=$(field "$logf" db); wrkc=$(field "$logf" wrk)
            other=$((busy - web - db - wrkc)); ((other < 0)) && other=0
            cpu_ms=$(awk -v j="$((web + db))" -v hz="$HZ" -v s="$secs" -v r="$rps" 'BEGIN{printf "%.2f", (r > 0) ? j/hz/s/r*1000 : 0}')
            rows+=("$route|$conns|$rps|$(ms "$logf" p50_us)|$(ms "$logf" p90_us)|$(ms "$logf" p99_us)|$(ms "$logf" max_us)|$(field "$logf" non2xx3xx)|$(( $(field "$logf" connect) + $(field "$logf" read) + $(field "$logf" write) + $(field "$logf" timeout) ))|$(cores "$web" "$secs")|$(cores "$db" "$secs")|$(cores "$wrkc" "$secs")|$(cores "$other" "$secs")|$cpu_ms|$(awk -v b="$(field "$logf" diskread)" 'BEGIN{printf "%.0f", b/1048576}')")
        done
    done
    echo "### $PROVIDER$([[ "${APP:-web}" == floor ]] && echo ", floor server")${LABEL:+, $LABEL}, $RUN_DATE, commit $COMMIT"
    echo
    echo "Runtime settings from the environment: ${GC:-none (ASP.NET Core defaults: Server GC)}."
    echo "wrk $THREADS threads, $DURATION per run after a $WARMUP warm-up per route$([[ "$PREWARM" == 1 ]] && echo ", database files read into the page cache before each route"); query files $QUERIES."
    echo "Web process: healthy ${STARTUP_S} s after launch; start-up background work ${BACKGROUND_S} s (${BACKGROUND_CPU} CPU-s) before it went idle;"
    echo "resident memory ${RSS_IDLE} MB idle, ${RSS_INDEX} MB after the first name search (index load: HTTP $FIRST_STATUS in ${FIRST_TIME} s; the next search ${SECOND_TIME} s), ${RSS_END:-?} MB at the end (peak ${HWM_END:-?} MB)."
    echo
    echo "| route | path | conns | req/s | × static | p50 ms | p90 ms | p99 ms | max ms | non-2xx/3xx | socket errors | CPU web | CPU db | CPU wrk | CPU other | CPU ms/req | disk read MB |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    local row p50 p90 p99 max non2 sock cw cd ck co dmb
    for row in "${rows[@]}"; do
        IFS='|' read -r route conns rps p50 p90 p99 max non2 sock cw cd ck co cpu_ms dmb <<<"$row"
        ceiling="${RPS[static,$conns]:-}"
        ratio=$([[ -n "$ceiling" && "$ceiling" != 0 ]] && awk -v a="$rps" -v b="$ceiling" 'BEGIN{printf "%.2f", a/b}' || echo "")
        echo "| $route | \`$(route_path "$route")\` | $conns | $rps | $ratio | $p50 | $p90 | $p99 | $max | $non2 | $sock | $cw | $cd | $ck | $co | $cpu_ms | $dmb |"
    done
    echo
    echo "CPU columns: cores used during the run (2 = the whole machine) by the web process, the PostgreSQL server (its backends for this"
    echo "database and its own background processes), wrk, and every other process on the machine (other work, including other databases"
    echo "on a shared PostgreSQL server). CPU ms/req: web process + database server CPU per request. Disk read: bytes the web process and"
    echo "those PostgreSQL processes read from the disk itself (page-cache misses)."
    echo
    echo "Status classes in each route's warm-up (wrk parsing every response):"
    for route in "${routes[@]}"; do
        [[ -f "$dir/$route-warmup.txt" ]] && echo "- $route: $(grep -o 'WRK_STATUS.*' "$dir/$route-warmup.txt" | sed 's/WRK_STATUS //')"
    done
    echo
    echo "Targets (subject page p99 < 20 ms, name search p99 < 50 ms, throughput ≥ 1/3 of the static file at the same concurrency):"
    for row in "${rows[@]}"; do
        IFS='|' read -r route conns rps p50 p90 p99 max non2 sock cw cd ck co cpu_ms dmb <<<"$row"
        case "$route" in subject|api-subject) limit=20 ;; search|api-search) limit=50 ;; *) continue ;; esac
        ceiling="${RPS[static,$conns]:-0}"
        verdict=$(awk -v p="$p99" -v l="$limit" -v r="$rps" -v c="$ceiling" -v n="$non2" -v s="$sock" 'BEGIN{
            ok1 = p < l; ok2 = c > 0 && r * 3 >= c;
            printf "p99 %s ms %s %d ms: %s; %s req/s %s 1/3 of %s: %s%s", p, ok1 ? "<" : "≥", l, ok1 ? "met" : "NOT met", r, ok2 ? "≥" : "<", c, ok2 ? "met" : "NOT met",
                (n + s > 0) ? sprintf("; %d non-2xx/3xx, %d socket errors", n, s) : ""}')
        echo "- $route, $conns connections: $verdict"
    done
    echo
    echo "Raw wrk output: $dir"
}
cores() { awk -v j="$1" -v hz="$HZ" -v s="$2" 'BEGIN{printf "%.2f", j/hz/s}'; }
route_path() {
    case "$1" in
        static) echo "/css/site.css" ;;
        subject) echo "/subjects/{id}" ;;
        search) echo "/search?q={name}" ;;
        api-subject) echo "/api/v1/public/subjects/{id}" ;;
        api-search) echo "/api/v1/public/search?q={name}" ;;
        floor-http) echo "/floor/http/{id}" ;;
        floor-subject) echo "/floor/subject/{id}" ;;
        floor-prepared) echo "/floor/prepared/{id}" ;;
        floor-search) echo "/floor/search?q={name}" ;;
        *) die "unknown route $1" ;;
    esac
}

if [[ -n "$REPORT_DIR" ]]; then
    [[ -f "$REPORT_DIR/meta.env" ]] || die "no $REPORT_DIR/meta.env"
    if [[ -n "$OUT" ]]; then report "$REPORT_DIR" | tee "$OUT"; else report "$REPORT_DIR"; fi
    exit 0
fi
OUT="${OUT:-/tmp/xinyong-bench/results-$PROVIDER-$STAMP.md}"
mkdir -p "$LOGDIR" "$(dirname "$OUT")"

if [[ "$PROVIDER" == sqlite ]]; then
    [[ -f "$DB" ]] || die "no SQLite database at $DB (seed it first)"
    CONN="Data Source=$DB"
else
    CONN="$DB"
fi
[[ -n "$CONN_EXTRA" ]] && CONN="$CONN;$CONN_EXTRA"

for f in names.txt ids.txt; do [[ -s "$QUERIES/$f" ]] || die "missing $QUERIES/$f (written by the seeder)"; done

# wrk: installed with apt-get when missing, as scripts/test.sh does for its tools.
if ! command -v wrk >/dev/null 2>&1; then
    log "wrk missing: installing it"
    if [[ "$(id -u)" == 0 ]]; then apt_prefix=(); else apt_prefix=(sudo); fi
    "${apt_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    "${apt_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk >&2
fi
command -v /usr/bin/time >/dev/null 2>&1 || die "/usr/bin/time is needed (package 'time')"

if [[ "$APP" == web ]]; then APP_PROJECT=src/Xinyong.Web/Xinyong.Web.csproj APP_DLL=Xinyong.Web.dll
else APP_PROJECT=benchmarks/Xinyong.WebBench/Xinyong.WebBench.csproj APP_DLL=Xinyong.WebBench.dll; fi
if [[ "$BUILD" == 1 ]]; then
    log "publishing $APP_PROJECT (Release) to $WEB_DIR"
    rm -rf "$WEB_DIR"
    dotnet publish "$APP_PROJECT" -c Release -o "$WEB_DIR" --nologo -v q >"$LOGDIR/publish.log" 2>&1 \
        || { tail -30 "$LOGDIR/publish.log" >&2; die "publish failed"; }
fi
[[ -f "$WEB_DIR/$APP_DLL" ]] || die "no $WEB_DIR/$APP_DLL"
if [[ "$BUILD" == 1 ]]; then
    COMMIT="$(git rev-parse --short HEAD)"
    if [[ -n "$(git status --porcelain src 2>/dev/null)" ]]; then COMMIT="$COMMIT + uncommitted changes in src/"; fi
    echo "$COMMIT" >"$WEB_DIR/bench-commit.txt"
else
    COMMIT="$(cat "$WEB_DIR/bench-commit.txt" 2>/dev/null || echo "unknown build in $WEB_DIR")"
fi
for v in APP PROVIDER LABEL COMMIT THREADS DURATION WARMUP PREWARM QUERIES ROUTES CONNECTIONS HZ; do meta "$v" "${!v}"; done
# The runtime's own settings (Server GC for an ASP.NET Core app); DOTNET_* variables set by the caller pass through.
meta GC "$(env | grep -E '^DOTNET_' | tr '\n' ' ' | sed 's/ $//')"
meta RUN_DATE "$(date -u '+%Y-%m-%d %H:%M UTC')"

# ---------------------------------------------------------------- CPU accounting (jiffies)
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
proc_jiffies() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The PostgreSQL processes working for the benchmarked database: its backends and the server's own processes
# (postmaster, checkpointer, WAL writer ...), not the backends of other databases on a shared server.
pg_pids() {
    [[ -n "$PGDB" ]] || return 0
    local p cmd
    for p in $(pgrep -x postgres 2>/dev/null || true); do
        cmd="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" || continue
        case "$cmd" in
            *" $PGDB "*) echo "$p" ;;
            *"("* | "postgres: autovacuum worker"*) ;;
            *) echo "$p" ;;
        esac
    done
}
# "pid value" lines for those processes: jiffies or disk bytes read.
pg_snapshot() {
    local p pids
    pids="$(pg_pids)"
    # A momentarily empty list (a race with /proc) would count every process from zero: look again once.
    [[ -z "$pids" && -n "$PGDB" ]] && { sleep 0.2; pids="$(pg_pids)"; }
    for p in $pids; do
        if [[ "$1" == jiffies ]]; then echo "$p $(proc_jiffies "$p")"; else echo "$p $(proc_read "$p")"; fi
    done
}
# Sum of the increase per process between two snapshots (a process started in between counts from 0).
pg_delta() {
    awk 'NR == FNR { b[$1] = $2; next } NF == 2 { d += $2 - (($1 in b) ? b[$1] : 0) } END { printf "%.0f\n", d }' \
        <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
proc_read() { awk '/^read_bytes/{print $2}' "/proc/$1/io" 2>/dev/null || echo 0; }
cache_gb() { awk '/^(Cached|Buffers):/{s+=$2} END{printf "%.1f", s/1048576}' /proc/meminfo; }
rss_mb() { awk '/^VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
hwm_mb() { awk '/^VmHWM/{printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

urlencode() {
    local LC_ALL=C s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in [a-zA-Z0-9.~_-]) out+="$c" ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
    done
    printf '%s' "$out"
}

# The database's files, read once into the OS page cache.
PSQL="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/psql"
prewarm() {
    [[ "$PREWARM" == 1 ]] || return 0
    local t0 files=()
    t0=$(date +%s.%N)
    if [[ "$PROVIDER" == sqlite ]]; then
        files=("$DB")
    else
        local dir
        dir="$("$PSQL" "$(pg_uri)" -Atc "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = current_database()" 2>/dev/null)" || true
        [[ -n "$dir" && -d "$dir" ]] && files=("$dir"/*)
    fi
    [[ ${#files[@]} -gt 0 ]] && cat "${files[@]}" >/dev/null 2>&1 || true
    log "prewarm: database files read into the page cache in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s (page cache now $(cache_gb) GB)"
}
# libpq URI from the Npgsql connection string (Host, Port, Username, Password, Database).
pg_uri() {
    local host=127.0.0.1 port=5432 user=postgres db=postgres pass="" kv k v
    IFS=';' read -r -a kv <<<"$DB"
    for k in "${kv[@]}"; do
        v="${k#*=}"; k="$(tr '[:upper:]' '[:lower:]' <<<"${k%%=*}" | tr -d ' ')"
        case "$k" in host|server) host="$v" ;; port) port="$v" ;; username|user|userid|"user id") user="$v" ;; password) pass="$v" ;; database) db="$v" ;; esac
    done
    printf 'postgresql://%s%s@%s:%s/%s' "$user" "${pass:+:$pass}" "$host" "$port" "$db"
}
PGDB=""
if [[ "$PROVIDER" == postgres ]]; then PGDB="$(pg_uri | sed 's|.*/||')"; fi

# ---------------------------------------------------------------- start the web process
WEB_PID=""
stop_web() {
    if [[ -n "$WEB_PID" ]] && kill -0 "$WEB_PID" 2>/dev/null; then
        kill "$WEB_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$WEB_PID" 2>/dev/null || break; sleep 1; done
        kill -9 "$WEB_PID" 2>/dev/null || true
    fi
}
trap stop_web EXIT

if curl -fsS -o /dev/null "$BASE/health" 2>/dev/null; then die "something already answers on $BASE; stop it or use --port"; fi
mkdir -p /tmp/xinyong-bench/home
log "starting the $APP app on $BASE ($PROVIDER)"
T_START=$(date +%s.%N)
if [[ "$APP" == web ]]; then
    env Database__Provider="$PROVIDER" Database__ConnectionString="$CONN" Demo__Enabled=false \
        ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        Xinyong__Home=/tmp/xinyong-bench/home \
        dotnet "$WEB_DIR/$APP_DLL" >"$LOGDIR/web.log" 2>&1 &
else
    # The same stylesheet the web app serves as the ceiling, from the source tree.
    # Server GC as the web app has it (an ASP.NET Core default; the bench project itself is set up for bulk loads).
    env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=1 dotnet "$WEB_DIR/$APP_DLL" floor --provider "$PROVIDER" --db "$CONN" --urls "$BASE" \
        --webroot "$REPO/src/Xinyong.Web/wwwroot" >"$LOGDIR/web.log" 2>&1 &
fi
WEB_PID=$!

HEALTH=""
for _ in $(seq 1 1200); do
    kill -0 "$WEB_PID" 2>/dev/null || { tail -30 "$LOGDIR/web.log" >&2; die "the web app exited during start-up"; }
    for path in /api/v1/health /health; do
        if curl -fsS -o /dev/null "$BASE$path" 2>/dev/null; then HEALTH="$path"; break 2; fi
    done
    sleep 0.5
done
[[ -n "$HEALTH" ]] || die "no health answer within 10 minutes"
T_HEALTH=$(date +%s.%N)
STARTUP_S=$(awk -v a="$T_START" -v b="$T_HEALTH" 'BEGIN{printf "%.1f", b-a}')
log "healthy ($HEALTH) after ${STARTUP_S} s; waiting for start-up background work to finish"
meta STARTUP_S "$STARTUP_S"

# Idle = under 5 % of one core for 5 consecutive seconds (PublicationProjector.ProjectPendingAsync runs at start), counting
# the web process and, on PostgreSQL, the server processes of the database (the catch-up scan runs in the server).
IDLE_FROM=$(date +%s.%N); W0=$(proc_jiffies "$WEB_PID"); P0="$(pg_snapshot jiffies)"; quiet=0; prev_w=$W0; prev_p="$P0"
for _ in $(seq 1 3600); do
    sleep 1
    now_w=$(proc_jiffies "$WEB_PID"); now_p="$(pg_snapshot jiffies)"
    if (( (now_w - prev_w + $(pg_delta "$prev_p" "$now_p")) * 100 < 5 * HZ )); then quiet=$((quiet + 1)); else quiet=0; fi
    prev_w=$now_w; prev_p="$now_p"
    [[ $quiet -ge 5 ]] && break
done
BACKGROUND_S=$(awk -v a="$IDLE_FROM" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a-5}')
BACKGROUND_CPU=$(awk -v j="$(( $(proc_jiffies "$WEB_PID") - W0 + $(pg_delta "$P0" "$(pg_snapshot jiffies)") ))" -v hz="$HZ" 'BEGIN{printf "%.1f", j/hz}')
RSS_IDLE=$(rss_mb "$WEB_PID")
meta BACKGROUND_S "$BACKGROUND_S"; meta BACKGROUND_CPU "$BACKGROUND_CPU"; meta RSS_IDLE "$RSS_IDLE"
log "idle after ${BACKGROUND_S} s of start-up background work (${BACKGROUND_CPU} CPU-s); RSS ${RSS_IDLE} MB"

SEARCH_PATH=/search; [[ "$APP" == floor ]] && SEARCH_PATH=/floor/search
FIRST_NAME="$(head -n 1 "$QUERIES/names.txt")"
read -r FIRST_STATUS FIRST_TIME < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$BASE$SEARCH_PATH?q=$(urlencode "$FIRST_NAME")")
SECOND_NAME="$(sed -n 2p "$QUERIES/names.txt")"
read -r SECOND_STATUS SECOND_TIME < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$BASE$SEARCH_PATH?q=$(urlencode "$SECOND_NAME")")
RSS_INDEX=$(rss_mb "$WEB_PID")
for v in RSS_INDEX FIRST_STATUS FIRST_TIME SECOND_TIME; do meta "$v" "${!v}"; done
log "first name search: HTTP $FIRST_STATUS in ${FIRST_TIME} s (index load); second: HTTP $SECOND_STATUS in ${SECOND_TIME} s; RSS ${RSS_INDEX} MB"

# ---------------------------------------------------------------- runs
route_env() { # prints: FILE PREFIX ENCODE
    case "$1" in
        static) echo "- - 0" ;;
        subject) echo "$QUERIES/ids.txt /subjects/ 0" ;;
        search) echo "$QUERIES/names.txt /search?q= 1" ;;
        api-subject) echo "$QUERIES/ids.txt /api/v1/public/subjects/ 0" ;;
        api-search) echo "$QUERIES/names.txt /api/v1/public/search?q= 1" ;;
        floor-http) echo "$QUERIES/ids.txt /floor/http/ 0" ;;
        floor-subject) echo "$QUERIES/ids.txt /floor/subject/ 0" ;;
        floor-prepared) echo "$QUERIES/ids.txt /floor/prepared/ 0" ;;
        floor-search) echo "$QUERIES/names.txt /floor/search?q= 1" ;;
    esac
}

# run ROUTE CONNECTIONS DURATION STATUS(0|1) LOGFILE -> leaves key=value pairs in $LOGFILE
run_wrk() {
    local route=$1 conns=$2 duration=$3 status=$4 logf=$5 file prefix encode t0 t1 w0 w1 p0 p1 r0 r1 q0 q1 s0 s1 wrk_cpu wu ws
    read -r file prefix encode < <(route_env "$route")
    [[ "$file" == "-" ]] && file="" && prefix=""
    t0=$(busy_jiffies); w0=$(proc_jiffies "$WEB_PID"); p0="$(pg_snapshot jiffies)"; r0=$(proc_read "$WEB_PID"); q0="$(pg_snapshot read)"; s0=$(date +%s%N)
    BENCH_FILE="$file" BENCH_PREFIX="$prefix" BENCH_ENCODE="$encode" BENCH_STATUS="$status" BENCH_THREADS="$THREADS" \
        /usr/bin/time -f "WRK_CPU %U %S" -o "$logf.time" \
        wrk -t"$THREADS" -c"$conns" -d"$duration" --latency --timeout 10s -s "$LUA" "$BASE$( [[ $route == static ]] && echo /css/site.css || echo / )" >"$logf" 2>&1 \
        || { cat "$logf" >&2; die "wrk failed ($route, $conns connections)"; }
    s1=$(date +%s%N); t1=$(busy_jiffies); w1=$(proc_jiffies "$WEB_PID"); p1="$(pg_snapshot jiffies)"; r1=$(proc_read "$WEB_PID"); q1="$(pg_snapshot read)"
    read -r _ wu ws < <(grep WRK_CPU "$logf.time")
    wrk_cpu=$(awk -v u="$wu" -v s="$ws" -v hz="$HZ" 'BEGIN{printf "%d", (u+s)*hz}')
    echo "CPU busy=$((t1 - t0)) web=$((w1 - w0)) db=$(pg_delta "$p0" "$p1") wrk=$wrk_cpu diskread=$((r1 - r0 + $(pg_delta "$q0" "$q1"))) cache_gb=$(cache_gb) window_us=$(( (s1 - s0) / 1000 ))" >>"$logf"
    kill -0 "$WEB_PID" 2>/dev/null || { tail -30 "$LOGDIR/web.log" >&2; die "the web app died during $route"; }
}

IFS=, read -r -a ROUTE_LIST <<<"$ROUTES"
IFS=, read -r -a CONN_LIST <<<"$CONNECTIONS"
for route in "${ROUTE_LIST[@]}"; do
    prewarm
    log "$route: warm-up ${WARMUP} at ${CONN_LIST[0]} connections (status tally)"
    run_wrk "$route" "${CONN_LIST[0]}" "$WARMUP" 1 "$LOGDIR/$route-warmup.txt"
    for conns in "${CONN_LIST[@]}"; do
        logf="$LOGDIR/$route-c$conns.txt"
        log "$route: $conns connections, $DURATION"
        run_wrk "$route" "$conns" "$DURATION" 0 "$logf"
        log "$route c$conns: $(awk -v r="$(field "$logf" requests)" -v d="$(field "$logf" duration_us)" 'BEGIN{printf "%.0f", r/(d/1e6)}') req/s, p50 $(ms "$logf" p50_us) ms, p99 $(ms "$logf" p99_us) ms, non-2xx/3xx $(field "$logf" non2xx3xx)"
    done
done
meta RSS_END "$(rss_mb "$WEB_PID")"
meta HWM_END "$(hwm_mb "$WEB_PID")"
report "$LOGDIR" | tee "$OUT"
log "results written to $OUT"
}

main "$@"
