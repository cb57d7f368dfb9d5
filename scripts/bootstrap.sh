#!/usr/bin/env bash
# Installs what Lacquer needs on a fresh Debian/Ubuntu machine with Node 20+, then masters a
# real excerpt that ships with the repo. Safe to run again: it installs only what is missing.
#   ffmpeg + ffprobe   decode and encode (apt)
#   nats-server        the event bus of the platform and its tests (apt)
#   pnpm 10            the workspace's package manager (npm; corepack's download is not used)
#   node_modules       pnpm install --frozen-lockfile
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)" 2>/dev/null; then
  echo "Lacquer needs Node.js 20.19 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

missing=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v nats-server >/dev/null || missing+=(nats-server)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v pnpm >/dev/null || [ "$(pnpm --version | cut -d. -f1)" -lt 10 ]; then
  say "installing pnpm 10 (npm)"
  as_root npm install -g pnpm@10 >/dev/null
fi

say "installing dependencies (pnpm)"
ONNXRUNTIME_NODE_INSTALL=skip pnpm install --frozen-lockfile --reporter=silent

if [ "${LACQUER_SKIP_DEMO:-}" != 1 ]; then
  say "mastering tests/fixtures/audio/metal-madness-mix-15s.flac to -14 LUFS / -1 dBTP"
  pnpm -s lacquer master tests/fixtures/audio/metal-madness-mix-15s.flac --out out/quickstart
  echo "Listen to out/quickstart/master.wav; the decisions are in out/quickstart/decision.json." >&2
fi
