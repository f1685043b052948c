#!/usr/bin/env bash
# Where one start's CPU goes: starts the AppHost as startup.sh does (`dotnet run`, on a built tree,
# ports 5180/15080 free), asks for a sweep as soon as the scheduler takes one, and until the first
# book is stored samples every 0.5 s each process of the start (the `dotnet run` process, its
# descendants, and DCP, which re-parents itself but names the AppHost it monitors). Prints per
# process: when it was first and last seen (s after start), its CPU-seconds (utime + stime from
# /proc/<pid>/stat, so a loaded machine inflates them far less than wall times) and its command.
#
#   benchmarks/startup/cpu-shares.sh [TREE]
set -euo pipefail
tree="$(cd "${1:-$(dirname "$0")/../..}" && pwd)"
scheduler=http://localhost:5180
samples=$(mktemp); log=$(mktemp)
now() { date +%s.%N; }
start=$(now)
setsid dotnet run --project "$tree/OrderBookSweep.AppHost" >"$log" 2>&1 &
root=$!
tick=$(getconf CLK_TCK)

sample() { # t: one line per process of the start: t pid cpu-ticks command
  local t="$1" members=" $root " changed=1 p stat comm cmd
  local -A parent=() cpu=()
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    { read -r stat < "/proc/$p/stat"; } 2>/dev/null || continue
    comm=${stat#*(}; comm=${comm%%)*}; stat=${stat##*) }
    read -r -a f <<< "$stat"
    parent[$p]=${f[1]}; cpu[$p]=$((f[11] + f[12]))
    # DCP's processes re-parent themselves; each names the process it monitors.
    if [[ $comm == dcp ]] && { cmd=$(tr '\0' ' ' < "/proc/$p/cmdline"); } 2>/dev/null && [[ $cmd =~ --monitor\ ([0-9]+) ]]; then
      parent[$p]=${BASH_REMATCH[1]}
    fi
  done
  while [[ $changed == 1 ]]; do
    changed=0
    for p in "${!parent[@]}"; do
      if [[ $members != *" $p "* && $members == *" ${parent[$p]} "* ]]; then members+="$p "; changed=1; fi
    done
  done
  for p in $members; do
    { cmd=$(tr '\0' ' ' < "/proc/$p/cmdline"); } 2>/dev/null || continue
    echo "$t $p ${cpu[$p]:-0} ${cmd:0:150}"
  done
}

sweep=""; book=""
while [[ -z "$book" ]]; do
  t=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
  sample "$t" >> "$samples"
  kill -0 "$root" 2>/dev/null || { echo "the AppHost exited:" >&2; cat "$log" >&2; exit 1; }
  if [[ -z "$sweep" ]] && [[ $(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "$scheduler/api/sweeps" 2>/dev/null) == 202 ]]; then sweep=$t; fi
  if [[ -n "$sweep" ]] && curl -s --max-time 5 "$scheduler/api/orderbooks/exchanges" 2>/dev/null | grep -q '"books"'; then book=$t; fi
  sleep 0.5
done
kill -TERM -- -"$root" 2>/dev/null || true
wait "$root" 2>/dev/null || true
echo "sweep accepted ${sweep} s, first book ${book} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first s   last s   CPU-s  command"
awk -v tick="$tick" '{ p = $2; if (!(p in first)) { first[p] = $1; order[++n] = p } last[p] = $1; cpu[p] = $3
    c = ""; for (i = 4; i <= NF; i++) c = c " " $i; if (c != "") cmd[p] = c }
  END { for (i = 1; i <= n; i++) { p = order[i]; if (cpu[p] / tick >= 0.05) printf "%7.1f  %7.1f  %6.1f %s\n", first[p], last[p], cpu[p] / tick, cmd[p] } }' "$samples"
rm -f "$samples" "$log"
