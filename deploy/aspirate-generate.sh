#!/usr/bin/env bash
# aspirate's Kubernetes output for this AppHost, exactly as aspirate writes it: the AppHost's
# manifest, then `aspirate generate` without building (a build would pass the services' env, Redis
# password included, to `docker build` as build args). deploy/deploy.sh runs it for every deploy;
# deploy/update-aspirate-output-example.sh runs it for the committed example.
#
#   deploy/aspirate-generate.sh REGISTRY TAG OUTPUT_DIR
#
# aspirate is `aspirate` on PATH, or $ASPIRATE. It gets placeholder secrets: its state file keeps
# --parameter values in plain text, and deploy.sh puts the real ones into the Secrets itself. The
# manifest and that state file are written to a temporary folder (aspirate resolves the manifest's
# project paths from its working directory, and writes its state there), removed on exit.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 REGISTRY TAG OUTPUT_DIR" >&2; exit 2; }
registry=$1 tag=$2 output=$3
root=$(cd "$(dirname "$0")/.." && pwd)
aspirate=${ASPIRATE:-aspirate}
case "$output" in /*) ;; *) output="$PWD/$output" ;; esac

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

dotnet run --project "$root/OrderBookSweep.AppHost" -- --publisher manifest --output-path "$scratch/manifest.json"
rm -rf "$output"
placeholder="set-by-deploy-sh"
(cd "$scratch" && ASPIRATE_NO_LOGO=1 "$aspirate" generate --non-interactive --skip-build \
  --aspire-manifest manifest.json --output-path "$output" \
  --container-registry "$registry" --container-image-tag "$tag" --image-pull-policy IfNotPresent \
  --include-dashboard --secret-password "$placeholder" \
  --parameter redis-password="$placeholder" --parameter scheduler-api-key="$placeholder")
