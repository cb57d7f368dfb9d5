#!/bin/sh
# Entrypoint of the Lacquer images: runs the service named by the first argument (Kubernetes
# `args`, compose `command`) as `node --import tsx services/<name>/src/main.ts`. `exec` puts node
# in this shell's place, so that it receives SIGTERM itself and drains before it exits.
set -eu

# The services of this image; lint-dockerfiles (LQ201) checks it against services/*/src/main.ts.
SERVICES='gateway analyzer decision mastering'

service=${1:-}
known=
for name in $SERVICES; do
  if [ "$name" = "$service" ]; then known=1; fi
done
if [ -z "$known" ]; then
  echo "start-service.sh: unknown service '$service'; expected one of: $SERVICES" >&2
  exit 64 # EX_USAGE
fi
shift

cd "$(dirname "$0")/.."
exec node --import tsx "services/$service/src/main.ts" "$@"
