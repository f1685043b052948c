#!/usr/bin/env bash
# Builds the solution and runs every test project one after the other (the end-to-end suites
# start whole systems; on 2 cores they are steadier alone). Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OrderBookSweep.sln -c Debug -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
status=0
for project in tests/*/*.csproj; do
  dotnet test "$project" --no-build -nologo --logger "console;verbosity=minimal" "$@" 2>&1 | tee -a "$log" || status=1
done

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a test host that crashed reports no count
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
