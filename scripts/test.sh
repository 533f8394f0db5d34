#!/usr/bin/env bash
# Run the whole test suite, as CI does:
#   1. install the system packages the tests need, only those missing (Chromium, CJK fonts, poppler-utils, PostgreSQL);
#   2. start the private PostgreSQL (scripts/postgres.sh) and export XINYONG_TEST_POSTGRES, so every
#      database test runs on SQLite and on PostgreSQL; export XINYONG_CHROMIUM for browser/PDF tests;
#   3. build the solution once (Release), then `dotnet test --no-build`;
#   4. sum the per-project `Passed!/Failed!` lines and print `N passed, N failed, N skipped` as the LAST line.
# Exits with dotnet test's exit code (1 if the build fails). Extra arguments go to `dotnet test`,
# e.g. scripts/test.sh --filter "FullyQualifiedName~Identifiers".
#
# Environment knobs: XINYONG_TEST_POSTGRES (preset: use that server, start none), XINYONG_SKIP_POSTGRES=1
# (SQLite only), XINYONG_SKIP_SYSTEM_DEPS=1 (install nothing), XINYONG_TEST_TIMEOUT (seconds, default 3600).
#
# `source scripts/test.sh` defines the functions only (used to check the summing on saved output).

# Sum the per-project summary lines of a dotnet test log; prints "PASSED FAILED SKIPPED".
# Lines look like (numbers padded with spaces, optional ANSI colours):
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 30 ms - X.Tests.dll (net10.0)
#   Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12, Duration: 1 s - Y.Tests.dll (net10.0)
sum_results() {
    awk '
        function num(key,   s) {
            if (match($0, key ":[ \t]*[0-9]+")) {
                s = substr($0, RSTART, RLENGTH)
                gsub(/[^0-9]/, "", s)
                return s + 0
            }
            return 0
        }
        {
            gsub(/\033\[[0-9;]*[A-Za-z]/, "")
            gsub(/\r/, "")
        }
        /[A-Za-z]+![ \t]+-[ \t]+Failed:[ \t]*[0-9]+,[ \t]*Passed:[ \t]*[0-9]+,[ \t]*Skipped:[ \t]*[0-9]+/ {
            f += num("Failed"); p += num("Passed"); s += num("Skipped")
        }
        END { printf "%d %d %d\n", p, f, s }
    ' "$@"
}

# The final line CI reads. If dotnet test failed without any failed test reported (crash, abort,
# timeout), count one failure so the line never claims success for a failing run.
summary_line() { # passed failed skipped exit_code
    local p=$1 f=$2 s=$3 rc=$4
    if [[ "$rc" != 0 && "$f" == 0 ]]; then
        f=1
    fi
    printf '%d passed, %d failed, %d skipped\n' "$p" "$f" "$s"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    return 0 2>/dev/null || true
fi

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
REPO_ROOT="$(pwd -P)"
LOG="/tmp/xinyong-test-$(date +%Y%m%d-%H%M%S)-$$.log"
: >"$LOG"

say() { printf '== %s\n' "$*" | tee -a "$LOG"; }
warn() { printf 'test.sh: warning: %s\n' "$*" | tee -a "$LOG" >&2; }

finish() { # exit_code passed failed skipped
    local rc=$1
    if [[ -n "${CI:-}" ]]; then
        # Leave no build servers behind on a CI machine.
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
    summary_line "$2" "$3" "$4" "$rc" | tee -a "$LOG"
    exit "$rc"
}

say "repo $REPO_ROOT; full log in $LOG"

# ---------------------------------------------------------------- system dependencies
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
have_cjk_fonts() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' && return 0
    fi
    have_pkg fonts-noto-cjk
}
have_pg_server() { compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; }

ensure_system_deps() {
    local -a missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # pdftotext: report PDF tests read the text of the PDFs Chromium renders.
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    have_cjk_fonts || missing+=(fonts-noto-cjk)
    if [[ -z "${XINYONG_TEST_POSTGRES:-}" && -z "${XINYONG_SKIP_POSTGRES:-}" ]]; then
        have_pg_server || missing+=(postgresql)
    fi
    ((${#missing[@]})) || return 0

    local -a sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            warn "missing ${missing[*]} and not root (no sudo): install them by hand"
            return 0
        fi
    fi
    say "installing missing system packages: ${missing[*]}"
    # Wait for the dpkg lock (another apt may be running) instead of failing at once.
    local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
    "${apt[@]}" update -qq 2>&1 | tee -a "$LOG" || warn "apt-get update failed"
    "${apt[@]}" install -y -qq "${missing[@]}" 2>&1 | tee -a "$LOG" | tail -n 5 \
        || warn "apt-get install ${missing[*]} failed"
}

if [[ -z "${XINYONG_SKIP_SYSTEM_DEPS:-}" ]]; then
    ensure_system_deps
fi

# ---------------------------------------------------------------- PostgreSQL
if [[ -n "${XINYONG_TEST_POSTGRES:-}" ]]; then
    say "PostgreSQL: using preset XINYONG_TEST_POSTGRES"
elif [[ -n "${XINYONG_SKIP_POSTGRES:-}" ]]; then
    say "PostgreSQL: skipped (XINYONG_SKIP_POSTGRES); database tests run on SQLite only"
else
    if ! bash scripts/postgres.sh start 2>&1 | tee -a "$LOG"; then
        warn "could not start PostgreSQL (set XINYONG_SKIP_POSTGRES=1 to run on SQLite only)"
        finish 1 0 1 0
    fi
    eval "$(bash scripts/postgres.sh env)"
    export XINYONG_TEST_POSTGRES
fi

# ---------------------------------------------------------------- Chromium
if [[ -z "${XINYONG_CHROMIUM:-}" ]]; then
    XINYONG_CHROMIUM="$(command -v chromium 2>/dev/null || echo /usr/bin/chromium)"
fi
export XINYONG_CHROMIUM
[[ -x "$XINYONG_CHROMIUM" ]] || warn "no Chromium at $XINYONG_CHROMIUM: browser tests will fail"

# ---------------------------------------------------------------- build and test
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en VSLANG=1033        # English summary lines, whatever the locale
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export MSBUILDTERMINALLOGGER=off                     # classic output that the summing understands
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say "dotnet build Xinyong.sln -c Release"
dotnet build Xinyong.sln -c Release -nologo 2>&1 | tee -a "$LOG"
build_rc=${PIPESTATUS[0]}
if ((build_rc != 0)); then
    echo
    echo "== BUILD FAILED (exit $build_rc); errors:"
    errors="$(grep -E ': (error|fatal error) [A-Za-z]*[0-9]+|error MSB[0-9]+|error NU[0-9]+' "$LOG" | awk '!seen[$0]++' | head -n 60)"
    if [[ -n "$errors" ]]; then
        printf '%s\n' "$errors"
    else
        tail -n 30 "$LOG"
    fi
    finish 1 0 1 0
fi

say "dotnet test Xinyong.sln -c Release --no-build $*"
test_start=$(wc -l <"$LOG")
timeout --kill-after=60 "${XINYONG_TEST_TIMEOUT:-3600}" \
    dotnet test Xinyong.sln -c Release --no-build --nologo "$@" </dev/null 2>&1 | tee -a "$LOG"
test_rc=${PIPESTATUS[0]}
if ((test_rc == 124 || test_rc == 137)); then
    warn "dotnet test stopped after ${XINYONG_TEST_TIMEOUT:-3600} s"
fi

read -r passed failed skipped < <(tail -n +"$((test_start + 1))" "$LOG" | sum_results)
if ((test_rc != 0 && failed == 0)); then
    warn "dotnet test exited $test_rc without reporting a failed test; counting 1 failure"
fi
finish "$test_rc" "$passed" "$failed" "$skipped"
