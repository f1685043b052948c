#!/usr/bin/env bash
# Start-up benchmark: times, from `dotnet run --project OrderBookSweep.AppHost` on a built tree,
#   link   the dashboard's login link printed,
#   sweep  the scheduler accepting POST /api/sweeps (catalog published, scheduler healthy),
#   book   the first book stored (GET /api/orderbooks/exchanges not empty),
# asking for a sweep as soon as the scheduler takes one. Each run starts the AppHost as a user
# does (`dotnet run`, so its incremental build check included), on its fixed ports (5180, 15080:
# nothing else may hold them), and stops it with SIGTERM before the next.
#
#   benchmarks/startup/startup.sh [--runs N] [TREE ...]
#
# TREE: a built checkout (default: this one). With several, the runs alternate between them
# (A B A B ...), so that a machine whose speed drifts affects each alike. Prints each run, then
# per tree the median and range of each time. Raw runs: benchmarks/startup/results/.
set -euo pipefail

runs=3
trees=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) trees+=("$(cd "$1" && pwd)"); shift ;;
  esac
done
[[ ${#trees[@]} -eq 0 ]] && trees=("$(cd "$(dirname "$0")/../.." && pwd)")

scheduler=http://localhost:5180
timeout_s=${STARTUP_TIMEOUT_S:-300}
declare -A results

# Times from bash's own clock, polled 5 times a second: the watcher must not take the CPU the
# start-up it times needs (a few processes per check, 20 checks a second, took a good part of 2 cores).
now() { printf '%s' "${EPOCHREALTIME/./}"; }
since() { local us=$(($(now) - $1)); printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000)); }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_once() {
  local tree="$1" log link="" sweep="" book="" start pid
  for port in 5180 15080; do
    if port_busy "$port"; then echo "port $port is in use: stop whatever holds it first" >&2; exit 1; fi
  done
  log=$(mktemp)
  start=$(now)
  setsid dotnet run --project "$tree/OrderBookSweep.AppHost" >"$log" 2>&1 &
  pid=$!
  while [[ -z "$book" ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the AppHost exited; its output:" >&2; cat "$log" >&2; exit 1; fi
    if (( ($(now) - start) / 1000000 >= timeout_s )); then
      echo "no book after ${timeout_s}s (link ${link:-none}, sweep ${sweep:-none}); the AppHost's last lines:" >&2
      tail -n 15 "$log" >&2; kill -TERM -- -"$pid"; exit 1
    fi
    [[ -z "$link" && "$(<"$log")" == *"login?t="* ]] && link=$(since "$start")
    if [[ -z "$sweep" ]] && [[ $(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "$scheduler/api/sweeps" 2>/dev/null) == 202 ]]; then
      sweep=$(since "$start")
    fi
    if [[ -n "$sweep" ]] && curl -s --max-time 5 "$scheduler/api/orderbooks/exchanges" 2>/dev/null | grep -q '"books"'; then
      book=$(since "$start")
    fi
    sleep 0.2
  done
  [[ -z "$link" && "$(<"$log")" == *"login?t="* ]] && link=$(since "$start")
  kill -TERM -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local waited=0
  while port_busy 5180 || port_busy 15080; do
    sleep 0.2; waited=$((waited + 1))
    if [[ $waited -ge 300 ]]; then echo "ports 5180/15080 still held 60 s after stopping the AppHost" >&2; exit 1; fi
  done
  rm -f "$log"
  echo "$link $sweep $book"
}

stats() { # median and range of the numbers on stdin
  sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f (%.1f-%.1f)", m, v[1], v[NR] }'
}

echo "start-up, $(date -u '+%Y-%m-%d %H:%M') UTC, $runs runs per tree, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
for ((i = 1; i <= runs; i++)); do
  for tree in "${trees[@]}"; do
    times=$(run_once "$tree")
    results[$tree]+="$times"$'\n'
    printf 'run %d  %-40s  link %6s s  sweep %6s s  first book %6s s  (load %s)\n' "$i" "$tree" $times "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "median (range), s:"
for tree in "${trees[@]}"; do
  column() { printf '%s' "${results[$tree]}" | awk -v c="$1" 'NF { print $c }' | stats; }
  printf '  %-40s  link %s  sweep %s  first book %s\n' "$tree" "$(column 1)" "$(column 2)" "$(column 3)"
done
