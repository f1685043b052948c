#!/usr/bin/env bash
# Deploys OrderBookSweep to a Kubernetes cluster: builds and pushes the images under one tag, has
# aspirate write the manifests (deploy/aspirate-generate.sh), puts them together with the overlay
# in deploy/ into one self-contained folder, adds the Secrets from the caller's environment,
# renders, shows it, applies it to the named context and waits for every rollout. Or, for GitOps,
# writes that folder without any secret (--render-only --out DIR). Any failure stops it with a
# non-zero exit. docs/deployment.md has the whole story.
#
#   REDIS_PASSWORD=... SCHEDULER_API_KEY=... deploy/deploy.sh --context NAME --registry HOST[/PATH] [options]
#   deploy/deploy.sh --render-only --out DIR --registry HOST[/PATH] [--tag TAG]
#
#   --context NAME     kubectl context to apply to (required unless --render-only)
#   --registry HOST    registry the images are pushed to and pulled from, lower case (required)
#   --namespace NS     namespace to apply to (default: the context's)
#   --tag TAG          image tag (default: <commit>-<UTC time>, new for every build)
#   --skip-build       the images for --tag are already pushed: only render and apply
#   --render-only      push nothing, apply nothing: print what would be applied (Secret values
#                      redacted). It still builds the projects: the manifest comes from the AppHost.
#   --out DIR          with --render-only: write the manifests to DIR (new or empty) instead, with
#                      no Secret in them, for a GitOps repository (`kubectl apply -k DIR` applies it)
#   --yes              apply without asking
#
# The secrets come from the environment, filled from your secret store, never from arguments
# (not needed with --out):
#   REDIS_PASSWORD      24+ characters of A-Z a-z 0-9 . _ ~ - (it goes into a connection string
#                       and a shell command line, which other characters would break)
#   SCHEDULER_API_KEY   24+ characters of the same set; callers send it as X-Api-Key
# aspirate is `aspirate` on PATH, or $ASPIRATE.
set -euo pipefail

fail() { printf '\ndeploy.sh: FAILED: %s\n' "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] && [[ "$2" != --* ]] || fail "$1 needs a value"; }

root=$(cd "$(dirname "$0")/.." && pwd)
export ASPIRATE=${ASPIRATE:-aspirate}

context= registry= namespace= tag= out= skip_build=false render_only=false assume_yes=false
while [ $# -gt 0 ]; do
  case "$1" in
    --context) need_value "$@"; context=$2; shift 2 ;;
    --registry) need_value "$@"; registry=$2; shift 2 ;;
    --namespace) need_value "$@"; namespace=$2; shift 2 ;;
    --tag) need_value "$@"; tag=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --render-only) render_only=true; shift ;;
    --yes) assume_yes=true; shift ;;
    *) fail "unknown argument '$1' (see the top of $0)" ;;
  esac
done

# --- Preflight: everything is checked before anything is built or written.
[ -n "$registry" ] || fail "--registry is required"
# Image repositories are lower case, and aspirate lower-cases the names it writes: a registry with
# capitals would be pushed under one name and pulled under another.
[[ "$registry" =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$ ]] \
  || fail "--registry '$registry' is not a lower-case HOST[:PORT][/PATH]"
[ -z "$out" ] || $render_only || fail "--out goes with --render-only"
$render_only || [ -n "$context" ] || fail "--context is required: this script never applies to kubectl's current context"
if [ -z "$out" ]; then
  for secret in REDIS_PASSWORD SCHEDULER_API_KEY; do
    value=${!secret:-}
    [ -n "$value" ] || fail "$secret is not set: export it from your secret store first"
    [[ "$value" =~ ^[A-Za-z0-9._~-]{24,}$ ]] || fail "$secret must be 24 or more characters of A-Z a-z 0-9 . _ ~ -"
  done
elif [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  fail "--out '$out' is not empty: give a new or empty folder"
fi
$render_only && skip_build=true
tools=(dotnet "$ASPIRATE" kubectl)
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
step "Image tag: $tag"

# The secrets exist on disk only for the render, in a folder readable by this user only.
[ -n "$out" ] || umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

# --- The manifest set: aspirate's output under aspirate-output/, the overlay from deploy/ around
# it, and the release's image tag. Self-contained: `kubectl kustomize` needs nothing outside it.
manifests=${out:-$work/manifests}
mkdir -p "$manifests"
manifests=$(cd "$manifests" && pwd)
step "Writing the Aspire manifest and aspirate's output"
"$root/deploy/aspirate-generate.sh" "$registry" "$tag" "$manifests/aspirate-output" >&2 || fail "aspirate generate"
# aspirate's kustomizations generate each <name>-secrets from a .<name>.secrets file that only
# `aspirate apply` writes. Here the Secrets are referenced by name only: deploy.sh adds them for
# its own apply, and a GitOps setup creates them itself (docs/deployment.md, "GitOps").
for kustomization in "$manifests"/aspirate-output/*/kustomization.yaml; do
  sed -i '/^secretGenerator:/,$d' "$kustomization"
done
(cd "$root/deploy" && tar --exclude=./aspirate-output-example --exclude='./*.sh' -cf - .) | tar -xf - -C "$manifests"
# aspirate lower-cases the tag it writes (Build-A1 becomes build-a1); the pods must ask for the
# images as they were pushed.
mkdir -p "$manifests/release"
cat > "$manifests/release/kustomization.yaml" <<EOF
# Written by deploy/deploy.sh: the tag the images were built and pushed under, as pushed.
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
images:
- name: $registry/worker
  newTag: "$tag"
- name: $registry/scheduler
  newTag: "$tag"
EOF

# The pods must pull exactly what was pushed: checked on the render, so that a change in how aspirate
# names images (which release/ would then miss) stops here rather than in ErrImagePull.
pulls_what_was_pushed() { # <rendered file>
  local name
  for name in worker scheduler; do
    awk -v want="$registry/$name:$tag" '$1 == "image:" && $2 == want { found = 1 } END { exit !found }' "$1" \
      || fail "the rendered $name does not pull $registry/$name:$tag (see release/kustomization.yaml)"
  done
}

if [ -n "$out" ]; then
  kubectl kustomize "$manifests" > "$work/rendered.yaml" || fail "kubectl kustomize $out"
  pulls_what_was_pushed "$work/rendered.yaml"
  printf '\ndeploy.sh: wrote the manifests for %s/{worker,scheduler}:%s to %s (no Secrets: create redis-secrets, worker-secrets and scheduler-secrets in the namespace first)\n' \
    "$registry" "$tag" "$out" >&2
  exit 0
fi

# --- Secrets: a kustomization over the manifest set that generates each Secret from the
# environment, and per workload a checksum of its Secret as a pod-template annotation, so a
# changed secret rolls exactly the pods that read it. Its files live only for the render.
secrets="$work/secrets"
mkdir "$secrets"
redis_connection="redis:6379,password=$REDIS_PASSWORD"
printf '%s\n' "ConnectionStrings__REDIS_PASSWORD=$REDIS_PASSWORD" > "$secrets/redis.env"
printf '%s\n' "ConnectionStrings__redis=$redis_connection" > "$secrets/worker.env"
printf '%s\n' "ConnectionStrings__redis=$redis_connection" "ConnectionStrings__scheduler-api-key=$SCHEDULER_API_KEY" > "$secrets/scheduler.env"
{
  printf 'resources:\n- ../manifests\ngeneratorOptions:\n  disableNameSuffixHash: true\nsecretGenerator:\n'
  for file in "$secrets"/*.env; do
    printf -- '- name: %s-secrets\n  envs:\n  - %s\n' "$(basename "$file" .env)" "$(basename "$file")"
  done
  printf 'patches:\n'
  for file in "$secrets"/*.env; do
    workload=$(basename "$file" .env)
    [ -d "$manifests/aspirate-output/$workload" ] || fail "aspirate wrote no $workload/ folder"
    kind=Deployment
    [ -f "$manifests/aspirate-output/$workload/statefulset.yaml" ] && kind=StatefulSet
    sum=$(sha256sum "$file" | cut -d' ' -f1)
    printf -- '- patch: |-\n    apiVersion: apps/v1\n    kind: %s\n    metadata:\n      name: %s\n    spec:\n      template:\n        metadata:\n          annotations:\n            orderbooksweep/secret-checksum: "%s"\n' "$kind" "$workload" "$sum"
  done
} > "$secrets/kustomization.yaml"

step "Rendering"
rendered="$work/rendered.yaml"
kubectl kustomize "$secrets" > "$rendered" || { rm -rf "$secrets"; fail "kubectl kustomize"; }
rm -rf "$secrets"
pulls_what_was_pushed "$rendered"

# --- Show it with the Secret values replaced.
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
  redact "$rendered"
  exit 0
fi
redact "$rendered" > "$work/inspect.yaml"
printf '\nThe manifests to apply are in %s (Secret values redacted).\n' "$work/inspect.yaml" >&2
if ! $assume_yes; then
  [ -r /dev/tty ] || fail "no terminal to confirm on: inspect with --render-only, then pass --yes"
  "${PAGER:-less}" "$work/inspect.yaml" < /dev/tty > /dev/tty || true
  read -r -p "Apply to context '$context'${namespace:+, namespace '$namespace'}? [y/N] " answer < /dev/tty
  [ "$answer" = y ] || [ "$answer" = Y ] || fail "not applied: cancelled"
fi

# --- Apply (the rendered file, which holds the Secrets, goes right after), then wait for every
# workload it touched: kubectl apply succeeding says nothing yet about pods starting.
step "Applying to context '$context'"
applied=$("${kube[@]}" apply -f "$rendered" -o name) || { rm -f "$rendered"; fail "kubectl apply"; }
rm -f "$rendered"
printf '%s\n' "$applied" >&2
workloads=$(grep -E '^(deployment|statefulset)\.apps/' <<< "$applied" || true)
[ -n "$workloads" ] || fail "kubectl apply reported no Deployment or StatefulSet"
for workload in $workloads; do
  step "Waiting for $workload"
  "${kube[@]}" rollout status "$workload" --timeout=10m || fail "$workload did not roll out: kubectl --context $context describe $workload"
done
printf '\ndeploy.sh: deployed %s/{worker,scheduler}:%s to %s\n' "$registry" "$tag" "$context" >&2
