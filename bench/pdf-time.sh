#!/usr/bin/env bash
# Times `planpress pdf` on the example site: the booklets printed by one browser over the
# DevTools protocol (the default), then by one browser run per booklet and pass (the fallback,
# PLANPRESS_PDF_SPAWN=1). Run it on an idle machine: the figures are wall-clock seconds.
#   bench/pdf-time.sh [path/to/planpress]   (default: target/release/planpress)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/planpress}"
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r content "$work/"
run() {
  local start ms
  start=$(date +%s%N)
  "$@" pdf --root "$work" --out "$work/public" --quiet >/dev/null
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100))
}
echo "one browser over DevTools:    $(run "$bin") s"
echo "one browser run per booklet:  $(PLANPRESS_PDF_SPAWN=1 run "$bin") s"
