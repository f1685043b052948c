#!/usr/bin/env bash
# Deploys OrderBookSweep to a Kubernetes cluster: builds and pushes the images under a tag of their
# own, has aspirate write the manifests (without building: it would pass the services' env, Redis
# password included, to `docker build` as build args), adds the secrets from the caller's
# environment, renders deploy/, shows it, applies it to the named context and waits for every
# rollout. Any failure stops it with a non-zero exit. docs/deployment.md has the whole story.
#
#   REDIS_PASSWORD=... SCHEDULER_API_KEY=... deploy/deploy.sh --context NAME --registry HOST[/PATH] [options]
#
#   --context NAME     kubectl context to apply to (required unless --render-only)
#   --registry HOST    registry the images are pushed to and pulled from (required)
#   --namespace NS     namespace to apply to (default: the context's)
#   --tag TAG          image tag (default: <commit>-<UTC time>, new for every build)
#   --skip-build       the images for --tag are already pushed: only render and apply
#   --render-only      build nothing, print what would be applied (Secret values redacted), stop
#   --yes              apply without asking
#
# The secrets come from the environment, filled from your secret store, never from arguments:
#   REDIS_PASSWORD      24+ characters of A-Z a-z 0-9 . _ ~ - (it goes into a connection string
#                       and a shell command line, which other characters would break)
#   SCHEDULER_API_KEY   24+ characters of the same set; callers send it as X-Api-Key
set -euo pipefail

fail() { printf '\ndeploy.sh: FAILED: %s\n' "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }

root=$(cd "$(dirname "$0")/.." && pwd)
apphost="$root/OrderBookSweep.AppHost"
output="$apphost/aspirate-output"
checksums="$root/deploy/secret-checksums"

context= registry= namespace= tag= skip_build=false render_only=false assume_yes=false
while [ $# -gt 0 ]; do
  case "$1" in
    --context) context=${2:?--context needs a value}; shift 2 ;;
    --registry) registry=${2:?--registry needs a value}; shift 2 ;;
    --namespace) namespace=${2:?--namespace needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --render-only) render_only=true; shift ;;
    --yes) assume_yes=true; shift ;;
    *) fail "unknown argument '$1' (see the top of $0)" ;;
  esac
done

# --- Preflight: everything is checked before anything is built or written.
[ -n "$registry" ] || fail "--registry is required"
$render_only || [ -n "$context" ] || fail "--context is required: this script never applies to kubectl's current context"
for secret in REDIS_PASSWORD SCHEDULER_API_KEY; do
  value=${!secret:-}
  [ -n "$value" ] || fail "$secret is not set: export it from your secret store first"
  [[ "$value" =~ ^[A-Za-z0-9._~-]{24,}$ ]] || fail "$secret must be 24 or more characters of A-Z a-z 0-9 . _ ~ -"
done
$render_only && skip_build=true
tools=(dotnet aspirate kubectl)
$skip_build || tools+=(docker)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (docs/deployment.md, Prerequisites)"
done
if ! $render_only; then
  kubectl config get-contexts "$context" >/dev/null 2>&1 || fail "kubectl has no context named '$context'"
fi
if [ -z "$tag" ]; then
  $skip_build && ! $render_only && fail "--skip-build needs the --tag of the images already pushed"
  tag="$(git -C "$root" rev-parse --short=12 HEAD)-$(date -u +%Y%m%dT%H%M%SZ)"
fi
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$tag' is not a valid image tag"
kube=(kubectl --context "$context")
[ -z "$namespace" ] || kube+=(--namespace "$namespace")

# The secrets exist on disk only while this runs, readable by this user only.
umask 077
work=$(mktemp -d)
cleanup() {
  rm -rf "$work" "$checksums"
  rm -f "$output"/*/.*.secrets "$apphost/aspirate-state.json"
}
trap cleanup EXIT

# --- Images: one tag per build, so IfNotPresent (what aspirate writes) never keeps an old image.
# No --build-arg: nothing secret is in the build, and its log shows nothing secret.
if ! $skip_build; then
  step "Building and pushing $registry/worker:$tag and $registry/scheduler:$tag"
  (cd "$root" && docker build -f OrderBookSweep.Worker/Dockerfile -t "$registry/worker:$tag" .) || fail "docker build of the worker"
  docker push "$registry/worker:$tag" || fail "docker push of the worker (logged in to $registry?)"
  # aspirate names a project's image after its resource unless the project sets ContainerRepository.
  dotnet publish "$root/OrderBookSweep.Scheduler" -c Release -t:PublishContainer \
    -p:ContainerRegistry="$registry" -p:ContainerRepository=scheduler -p:ContainerImageTag="$tag" \
    || fail "dotnet publish of the scheduler's container image (logged in to $registry?)"
fi

# --- Manifests. aspirate gets placeholder secrets: the real ones go straight into the Secret
# inputs below, so its state file (which keeps --parameter values in plain text) never holds them.
step "Writing the Aspire manifest and aspirate's output"
dotnet run --project "$apphost" -- --publisher manifest --output-path "$apphost/manifest.json" >&2 \
  || fail "the AppHost did not write its manifest"
rm -f "$apphost/aspirate-state.json"
placeholder="set-by-deploy-sh"
(cd "$apphost" && aspirate generate --non-interactive --skip-build \
  --aspire-manifest manifest.json --output-path aspirate-output \
  --container-registry "$registry" --container-image-tag "$tag" --image-pull-policy IfNotPresent \
  --include-dashboard --secret-password "$placeholder" \
  --parameter redis-password="$placeholder" --parameter scheduler-api-key="$placeholder") >&2 \
  || fail "aspirate generate"

# --- Secret inputs: the <name>/.<name>.secrets files aspirate's kustomizations read (aspirate
# itself writes them only inside `aspirate apply`), and per workload a checksum of its Secret as a
# pod-template annotation, so a changed secret rolls exactly the pods that read it.
redis_connection="redis:6379,password=$REDIS_PASSWORD"
write_secrets() { # <resource> <NAME=value>...
  local resource=$1; shift
  [ -d "$output/$resource" ] || fail "aspirate wrote no $resource/ folder"
  printf '%s\n' "$@" > "$output/$resource/.$resource.secrets"
}
write_secrets redis "ConnectionStrings__REDIS_PASSWORD=$REDIS_PASSWORD"
write_secrets worker "ConnectionStrings__redis=$redis_connection"
write_secrets scheduler "ConnectionStrings__redis=$redis_connection" "ConnectionStrings__scheduler-api-key=$SCHEDULER_API_KEY"

mkdir -p "$checksums"
{
  printf 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n'
  for file in "$output"/*/.*.secrets; do
    resource=$(basename "$(dirname "$file")")
    kind=Deployment
    [ -f "$output/$resource/statefulset.yaml" ] && kind=StatefulSet
    sum=$(sha256sum "$file" | cut -d' ' -f1)
    printf -- '- patch: |-\n    apiVersion: apps/v1\n    kind: %s\n    metadata:\n      name: %s\n    spec:\n      template:\n        metadata:\n          annotations:\n            orderbooksweep/secret-checksum: "%s"\n' "$kind" "$resource" "$sum"
  done
} > "$checksums/kustomization.yaml"

# --- Render, and show it with the Secret values replaced.
step "Rendering deploy/"
kubectl kustomize "$root/deploy" > "$work/rendered.yaml" || fail "kubectl kustomize deploy/"
redact() { # replaces every value under `data:` in the Secret documents (long ones wrap onto more lines)
  awk '
    function flush() { if (doc != "") printf "%s", (secret ? redacted : doc); doc = redacted = ""; secret = 0 }
    /^---$/ { flush(); print; next }
    {
      doc = doc $0 "\n"
      if ($0 == "kind: Secret") secret = 1
      line = $0
      if (line ~ /^[^ ]/) indata = (line == "data:")
      else if (indata && line ~ /^  [^ ]/) sub(/:.*/, ": <redacted>", line)
      else if (indata) next
      redacted = redacted line "\n"
    }
    END { flush() }' "$1"
}
if $render_only; then
  redact "$work/rendered.yaml"
  exit 0
fi
redact "$work/rendered.yaml" > "$work/inspect.yaml"
printf '\nThe manifests to apply are in %s (Secret values redacted).\n' "$work/inspect.yaml" >&2
if ! $assume_yes; then
  [ -r /dev/tty ] || fail "no terminal to confirm on: inspect with --render-only, then pass --yes"
  "${PAGER:-less}" "$work/inspect.yaml" < /dev/tty > /dev/tty || true
  read -r -p "Apply to context '$context'${namespace:+, namespace '$namespace'}? [y/N] " answer < /dev/tty
  [ "$answer" = y ] || [ "$answer" = Y ] || fail "not applied: cancelled"
fi

# --- Apply, then wait for every workload it touched: kubectl apply succeeding says nothing yet
# about pods starting.
step "Applying to context '$context'"
"${kube[@]}" apply -f "$work/rendered.yaml" -o name > "$work/applied.txt" || fail "kubectl apply"
cat "$work/applied.txt" >&2
workloads=$(grep -E '^(deployment|statefulset)\.apps/' "$work/applied.txt" || true)
[ -n "$workloads" ] || fail "kubectl apply reported no Deployment or StatefulSet"
for workload in $workloads; do
  step "Waiting for $workload"
  "${kube[@]}" rollout status "$workload" --timeout=10m || fail "$workload did not roll out: kubectl --context $context describe $workload"
done
printf '\ndeploy.sh: deployed %s/{worker,scheduler}:%s to %s\n' "$registry" "$tag" "$context" >&2
