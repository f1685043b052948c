#!/usr/bin/env bash
# Rewrites deploy/aspirate-output-example/ with what aspirate writes for the AppHost today (its
# README.md stays). Run it after changing the AppHost's publish-mode manifest or aspirate's version;
# AspirateOutputExampleTests fails while the two differ in anything but the image tag.
#
#   deploy/update-aspirate-output-example.sh        (aspirate from PATH, or $ASPIRATE)
set -euo pipefail

deploy=$(cd "$(dirname "$0")" && pwd)
example="$deploy/aspirate-output-example"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The registry and tag the example's README names.
"$deploy/aspirate-generate.sh" registry.example.com 3f9c2e1a7b4d-20261201T221500Z "$scratch/output"
cp "$example/README.md" "$scratch/output/README.md"
rm -rf "$example"
mv "$scratch/output" "$example"
