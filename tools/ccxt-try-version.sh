#!/usr/bin/env bash
# Runs the exchange seam suite (tests/OrderBookSweep.Exchanges.Tests) on another ccxt 4.5 release
# from npm in place of the pinned one, then restores the pin, whatever the outcome. Extra arguments
# go to `dotnet test` (e.g. --filter). Takes minutes; not part of CI. docs/exchange-seam.md, "Trying
# another ccxt version", says what to make of a failure.
#
#   tools/ccxt-try-version.sh 4.5.0
set -euo pipefail

version=${1:-}
if [[ ! $version =~ ^4\.5\.[0-9]+$ ]]; then
    echo "usage: $0 4.5.N [dotnet test arguments]  (a ccxt 4.5 release; 'npm view ccxt versions' lists them)" >&2
    exit 2
fi
shift

root=$(cd "$(dirname "$0")/.." && pwd)
engine=$root/OrderBookSweep.Worker/ccxt-engine
suite=$root/tests/OrderBookSweep.Exchanges.Tests
saved=$(mktemp -d)
cp "$engine/package.json" "$engine/package-lock.json" "$saved/"

# The build installs ccxt (npm ci, then compaction) when the lockfile changes, and copies the engine
# to each output only where it is newer: the outputs' copies go, so each build copies it anew.
drop_engine_copies() {
    rm -rf "$root"/OrderBookSweep.Worker/bin/*/*/ccxt-engine "$suite"/bin/*/*/ccxt-engine
}

build() {
    dotnet build "$suite" -c Debug -nologo -clp:ErrorsOnly
}

restore() {
    status=$?
    echo "== restoring the pinned ccxt"
    cp "$saved/package.json" "$saved/package-lock.json" "$engine/"
    rm -rf "$saved"
    drop_engine_copies
    build >/dev/null || echo "the rebuild with the pinned ccxt failed: run it again by hand" >&2
    exit $status
}
trap restore EXIT

echo "== ccxt $version in place of $(node -p "require('$engine/package.json').dependencies.ccxt")"
(cd "$engine" && npm install "ccxt@$version" --save-exact --package-lock-only --ignore-scripts --no-audit --no-fund)
drop_engine_copies
build
installed=$(node -p "require('$suite/bin/Debug/net10.0/ccxt-engine/node_modules/ccxt/package.json').version")
[[ $installed == "$version" ]] || { echo "the build installed ccxt $installed, not $version" >&2; exit 1; }
echo "== seam suite on ccxt $version"
dotnet test "$suite" --no-build "$@"
