#!/usr/bin/env bash
# Times the release binary as a whole process on the real fleets and on the
# kustomize conformance corpus, against kubectl kustomize where that is the
# yardstick. Uses farm-bench when present (min/median/max of several runs),
# else hyperfine, else one `time` each. Run from the crate root:
#   cargo build --release && benches/fleets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/fluxlint
fleets=../shared/fleets
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }

bench() {
  if command -v farm-bench >/dev/null; then
    farm-bench -n 10 "$@"
  elif command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 "$*"
  else
    time "$@" >/dev/null
  fi
}

for f in "$fleets"/*/ testdata/fleets/*/; do
  echo "== render $(basename "$f")"
  bench "$bin" render "$f" --out /tmp/fluxlint-bench-out || true
done

# One kustomization against the real kustomize: onedr0p's largest app tree.
dir="$fleets/onedr0p__home-ops/kubernetes/apps/o11y/kube-prometheus-stack/app"
if [ -d "$dir" ] && command -v kubectl >/dev/null; then
  echo "== kustomize build (fluxlint vs kubectl kustomize)"
  if command -v farm-bench >/dev/null; then
    farm-bench -n 10 --vs "kubectl kustomize --load-restrictor LoadRestrictionsNone $dir" -- \
      "$bin" kustomize build --load-restrictor LoadRestrictionsNone "$dir"
  else
    bench "$bin" kustomize build --load-restrictor LoadRestrictionsNone "$dir"
  fi
fi
