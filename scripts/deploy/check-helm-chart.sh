#!/usr/bin/env bash
# CI's Helm step (`pnpm check:helm`): `helm lint` and `helm template` of charts/lacquer with each
# values file in charts/lacquer/examples, every rendered object of Lacquer's checked as the
# kustomize overlays are (strict schemas, KEDA triggers against the code, one autoscaler per
# worker, environment names), and the MinIO example's objects compared with kubernetes/base.
# helm cannot be installed on the machines Lacquer is built on: there, this step says that it
# skipped and exits 0 (values.yaml and the examples are still checked against
# values.schema.json by `pnpm test`). The chart's dependencies are fetched, so this needs the
# network.
set -euo pipefail
cd "$(dirname "$0")/../.."
chart=charts/lacquer

if ! command -v helm >/dev/null; then
  echo "check-helm-chart: helm is not on PATH: SKIPPED helm lint and helm template of $chart." >&2
  exit 0
fi

helm dependency update "$chart"
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
for values in "$chart"/examples/*.yaml; do
  name=$(basename "$values" .yaml)
  echo "==> $name" >&2
  helm lint --strict "$chart" -f "$values"
  helm template lacquer "$chart" -f "$values" --namespace lacquer >"$rendered/$name.yaml"
  same=()
  [ "$name" = minio ] && same=(--same-objects-as kubernetes/base)
  pnpm -s validate:manifests --file "$rendered/$name.yaml" --label "helm:$name" --namespace lacquer "${same[@]}"
done
