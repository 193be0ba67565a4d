#!/bin/sh
# Run one fuzz target until its coverage stops growing (run from anywhere).
#
#   fuzz/plateau.sh TARGET [QUIET_SECONDS] [MAX_SECONDS]
#
# "Stops growing" is measured, not guessed: libFuzzer prints `cov: N` (covered edges) on every
# status line; the run is stopped once N has not grown for QUIET_SECONDS (default 1800, half
# an hour), or at MAX_SECONDS (default 14400, four hours), whichever comes first. The log is
# kept as fuzz/logs/TARGET-<UTC time>.log, and the last lines say which of the two ended it,
# with the executions and the last edge count, for docs/reliability.md.
#
# TIMEOUT (environment, default 10) is libFuzzer's seconds per input: on a machine shared with
# builds, raise it, or a slow moment is reported as a hang (check an input alone with
# `target/x86_64-unknown-linux-gnu/release/TARGET -runs=1 FILE`).
#
# Build first (`cargo +nightly fuzz build -s none`): this runs the built binary itself, as
# `cargo fuzz run` would, so that stopping it reaches libFuzzer and not cargo. Each target gets
# the flags fuzz/README.md gives it, at the lowest priority (`nice -n 19`), so a build on the
# same machine is not slowed much.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: plateau.sh TARGET [QUIET_SECONDS] [MAX_SECONDS]}
quiet=${2:-1800}
max=${3:-14400}
case "$target" in
    check_text | fmt_roundtrip) extra="-dict=check_text.dict" ;;
    eval_structured) extra="-max_len=4096" ;;
    timeline_load) extra="" ;;
    *) echo "plateau.sh: unknown target $target (check_text, timeline_load, eval_structured, fmt_roundtrip)" >&2; exit 2 ;;
esac
mkdir -p "$here/logs"
log="$here/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
cd "$here"
bin="$here/target/x86_64-unknown-linux-gnu/release/$target"
[ -x "$bin" ] || { echo "plateau.sh: $bin is not built (cargo +nightly fuzz build -s none)" >&2; exit 2; }
mkdir -p "corpus/$target" "artifacts/$target"
# Each newly covered edge's address is logged (`-print_pcs=1`), with the address space not
# shuffled (`setarch -R`, where there is one) so that `./new-pcs.sh LOG` can name the code
# a long run still reaches for the first time.
norandom=""
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
    norandom="setarch $(uname -m) -R"
fi
# shellcheck disable=SC2086 # $extra is zero or one flag; $norandom is a command or nothing
nice -n 19 $norandom "$bin" -artifact_prefix="artifacts/$target/" $extra \
    -max_total_time="$max" -timeout="${TIMEOUT:-10}" -rss_limit_mb=4096 -print_final_stats=1 \
    -print_pcs=1 "corpus/$target" >"$log" 2>&1 &
pid=$!
start=$(date +%s)
last_cov=0
last_growth=$start
why="the fuzzer ended by itself (a finding, or MAX_SECONDS)"
while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    now=$(date +%s)
    if [ -n "$cov" ] && [ "$cov" -gt "$last_cov" ]; then
        last_cov=$cov
        last_growth=$now
    elif [ $((now - last_growth)) -ge "$quiet" ]; then
        why="coverage stayed at $last_cov edges for $quiet s"
        # SIGINT makes libFuzzer print its final statistics before it exits.
        kill -INT "$pid" 2>/dev/null || true
        break
    fi
done
wait "$pid" 2>/dev/null || true
end=$(date +%s)
{
    echo "plateau.sh: $target ran $((end - start)) s; $why"
    echo "plateau.sh: last growth of coverage $((last_growth - start)) s after the start"
} | tee -a "$log"
grep -E 'stat::number_of_executed_units|^#[0-9]+.*(DONE|cov:)' "$log" | tail -n 2
