#!/usr/bin/env bash
# Compare planpress with Hugo on generated sites of the same content.
#
#   bench/compare.sh                 # 1,000 and 10,000 result pages per language, 5 runs each
#   bench/compare.sh --pages 1000    # one size
#   bench/compare.sh --runs 3 --keep # fewer runs; keep the generated sites and outputs
#   bench/compare.sh --out-dir DIR   # write the builds' output under DIR (default: a folder in
#                                    # /dev/shm when it exists, so that the file system's cost of
#                                    # creating ~20,000 files just after deleting them is left out)
#   bench/compare.sh --pages 100000 --work /work/big --out-dir /work/big
#                                    # planpress alone above --hugo-max pages per language
#                                    # (default 10000: Hugo takes many minutes a build there)
#
# For each size it generates the planpress site and the equivalent Hugo site (bench gen), checks that
# both build without an error or a warning, then times alternating builds (one warm-up each, then
# --runs each) with minification off (planpress --no-minify, hugo without --minify: the headline)
# and on, and prints the median wall time, CPU time (user+sys), peak RSS and pages/second of each
# tool and their ratio.
# The last line is `ratio planpress/hugo wall: R`, R the median of the per-run wall-time ratios at the
# largest size Hugo ran at, minification off.
#
# Environment: PLANPRESS=/path/to/planpress uses that binary instead of building the repository's;
# HUGO=/path/to/hugo likewise; CARGO_TARGET_DIR is honoured.
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

SIZES=(1000 10000)
RUNS=5
HUGO_MAX=10000
KEEP=0
SEED=2011
WORK=""
OUT_DIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pages) SIZES=("$2"); shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --out-dir) OUT_DIR="$2"; shift 2 ;;
    --hugo-max) HUGO_MAX="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --runs must be a positive number" >&2; exit 2; }
for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --pages must be a positive number" >&2; exit 2; }
done
[[ "$HUGO_MAX" =~ ^[0-9]+$ ]] || { echo "compare.sh: --hugo-max must be a number" >&2; exit 2; }
# Whether Hugo builds the site of $1 pages per language.
with_hugo() { (( $1 <= HUGO_MAX )); }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
log() { echo "compare.sh: $*" >&2; }

apt_install() {
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  log "installing $* from Debian's packages"
  $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null; }
}

NEEDS_HUGO=0
for n in "${SIZES[@]}"; do if with_hugo "$n"; then NEEDS_HUGO=1; fi; done
HUGO="${HUGO:-$(command -v hugo || true)}"
if [[ -z "$HUGO" && "$NEEDS_HUGO" == 1 ]]; then
  apt_install hugo
  HUGO="$(command -v hugo)"
fi
[[ -x /usr/bin/time ]] || apt_install time

log "building planpress and the generator (release)"
if [[ -z "${PLANPRESS:-}" ]]; then
  (cd "$ROOT" && cargo build --release --quiet -p planpress --bin planpress)
  PLANPRESS="$TARGET/release/planpress"
fi
(cd "$ROOT" && cargo build --release --quiet -p bench)
GEN="$TARGET/release/bench"

log "planpress: $PLANPRESS"
if [[ "$NEEDS_HUGO" == 1 ]]; then log "hugo: $("$HUGO" version | head -1)"; fi
log "machine: $(nproc) cores, $(uname -sr)"

if [[ -z "$WORK" ]]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/planpress-bench.XXXXXX")"
else
  mkdir -p "$WORK"
fi
if [[ -z "$OUT_DIR" ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then
    OUT_DIR="$(mktemp -d /dev/shm/planpress-bench-out.XXXXXX)"
  else
    OUT_DIR="$WORK"
  fi
else
  mkdir -p "$OUT_DIR"
fi
if [[ "$KEEP" == 0 ]]; then
  trap 'rm -rf "$WORK" "$OUT_DIR/out-planpress" "$OUT_DIR/out-hugo"; rmdir "$OUT_DIR" 2>/dev/null || true' EXIT
else
  log "keeping everything in $WORK and $OUT_DIR"
fi
OUT_PP="$OUT_DIR/out-planpress"
OUT_HUGO="$OUT_DIR/out-hugo"
log "sites in $WORK, build output in $OUT_DIR ($(df -T "$OUT_DIR" | awk 'NR == 2 { print $2 }'))"

# One timed build: prints "wall user sys maxrss_kb". Output folders are removed (and dirty pages
# flushed) before, outside the timing, so that both tools write into an empty folder.
timed() {
  local out="$1"; shift
  rm -rf "$out"
  sync
  if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/stdout" 2>"$WORK/stderr"; then
    log "FAILED: $*"
    cat "$WORK/stderr" >&2
    exit 1
  fi
  tail -n 1 "$WORK/time"
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '| pages/lang | minify | tool | wall s | CPU s (user+sys) | peak RSS MB | pages/s | HTML files |\n'
printf '|---:|---|---|---:|---:|---:|---:|---:|\n'

LAST_RATIO=""
for N in "${SIZES[@]}"; do
  SITE="$WORK/site-$N"
  rm -rf "$SITE"
  HUGO_SITE=(--hugo "$SITE/hugo")
  if ! with_hugo "$N"; then
    HUGO_SITE=()
    log "$N/lang: Hugo skipped (above --hugo-max $HUGO_MAX pages per language): planpress alone"
  fi
  log "generating $N result pages per language (seed $SEED)"
  "$GEN" gen --pages "$N" --seed "$SEED" --out "$SITE/planpress" "${HUGO_SITE[@]}" 2>/dev/null

  # Both sites must build cleanly before anything is timed.
  rm -rf "$OUT_PP" "$OUT_HUGO"
  if ! "$PLANPRESS" build --root "$SITE/planpress" --out "$OUT_PP" --no-minify --quiet 2>"$WORK/check"; then
    log "planpress could not build the generated site:"; cat "$WORK/check" >&2; exit 1
  fi
  if [[ -s "$WORK/check" ]]; then
    log "planpress reported diagnostics on the generated site:"; cat "$WORK/check" >&2; exit 1
  fi
  HTML_PP=$(find "$OUT_PP" -name '*.html' | wc -l)
  if with_hugo "$N"; then
    if ! "$HUGO" --source "$SITE/hugo" --destination "$OUT_HUGO" --quiet 2>"$WORK/check"; then
      log "hugo could not build the generated site:"; cat "$WORK/check" >&2; exit 1
    fi
    if [[ -s "$WORK/check" ]]; then
      log "hugo reported warnings on the generated site:"; cat "$WORK/check" >&2; exit 1
    fi
    HTML_HUGO=$(find "$OUT_HUGO" -name '*.html' | wc -l)
    log "$N/lang: planpress writes $HTML_PP HTML files ($(du -sm "$OUT_PP" | cut -f1) MB), hugo $HTML_HUGO ($(du -sm "$OUT_HUGO" | cut -f1) MB)"
  else
    log "$N/lang: planpress writes $HTML_PP HTML files ($(du -sm "$OUT_PP" | cut -f1) MB)"
  fi

  for MODE in off on; do
    PP_CMD=("$PLANPRESS" build --root "$SITE/planpress" --out "$OUT_PP" --quiet)
    HUGO_CMD=("$HUGO" --source "$SITE/hugo" --destination "$OUT_HUGO" --quiet)
    if [[ "$MODE" == off ]]; then PP_CMD+=(--no-minify); else HUGO_CMD+=(--minify); fi
    TOOLS=(pp)
    if with_hugo "$N"; then TOOLS+=(hugo); fi
    log "$N/lang, minify $MODE: warm-up, then $RUNS alternating runs"
    timed "$OUT_PP" "${PP_CMD[@]}" >/dev/null
    if with_hugo "$N"; then timed "$OUT_HUGO" "${HUGO_CMD[@]}" >/dev/null; fi
    : >"$WORK/pp.tsv"
    : >"$WORK/hugo.tsv"
    for ((r = 1; r <= RUNS; r++)); do
      timed "$OUT_PP" "${PP_CMD[@]}" >>"$WORK/pp.tsv"
      if with_hugo "$N"; then
        timed "$OUT_HUGO" "${HUGO_CMD[@]}" >>"$WORK/hugo.tsv"
        log "  run $r: planpress $(tail -n 1 "$WORK/pp.tsv" | cut -d' ' -f1) s, hugo $(tail -n 1 "$WORK/hugo.tsv" | cut -d' ' -f1) s"
      else
        log "  run $r: planpress $(tail -n 1 "$WORK/pp.tsv" | cut -d' ' -f1) s"
      fi
    done
    for tool in "${TOOLS[@]}"; do
      f="$WORK/$tool.tsv"
      sed "s/^/$N $MODE $tool /" "$f" >>"$WORK/all-runs.tsv"
      declare "${tool}_wall=$(cut -d' ' -f1 "$f" | median)"
      declare "${tool}_cpu=$(awk '{ print $2 + $3 }' "$f" | median)"
      declare "${tool}_rss=$(awk '{ print $4 / 1024 }' "$f" | median)"
    done
    # Runs alternate, so the wall ratio is the median of per-run ratios (robust to drift).
    ratio=$(paste -d' ' "$WORK/pp.tsv" "$WORK/hugo.tsv" | awk '{ print ($5 > 0 ? $1 / $5 : 0) }' | median)
    row() { # name wall cpu rss html
      awk -v n="$N" -v m="$MODE" -v t="$1" -v w="$2" -v c="$3" -v r="$4" -v h="$5" \
        'BEGIN { printf "| %d | %s | %s | %.2f | %.2f | %.0f | %.0f | %d |\n", n, m, t, w, c, r, (w > 0 ? 2 * n / w : 0), h }'
    }
    row planpress "$pp_wall" "$pp_cpu" "$pp_rss" "$HTML_PP"
    if ! with_hugo "$N"; then
      printf '| %d | %s | hugo | skipped (above --hugo-max %d) | | | | |\n' "$N" "$MODE" "$HUGO_MAX"
      continue
    fi
    row hugo "$hugo_wall" "$hugo_cpu" "$hugo_rss" "$HTML_HUGO"
    awk -v n="$N" -v m="$MODE" -v w="$ratio" -v c1="$pp_cpu" -v c2="$hugo_cpu" -v r1="$pp_rss" -v r2="$hugo_rss" \
      'BEGIN { printf "| %d | %s | ratio planpress/hugo | %.2f | %.2f | %.2f | | |\n", n, m, w, (c2 > 0 ? c1 / c2 : 0), (r2 > 0 ? r1 / r2 : 0) }'
    if [[ "$MODE" == off ]]; then LAST_RATIO="$ratio"; fi
  done
done
if [[ "$KEEP" == 1 ]]; then log "every run: $WORK/all-runs.tsv (pages mode tool wall user sys maxrss_kb)"; fi
if [[ -z "$LAST_RATIO" ]]; then
  echo "ratio planpress/hugo wall: n/a (Hugo skipped at every size; see --hugo-max)"
else
  printf 'ratio planpress/hugo wall: %.2f\n' "$LAST_RATIO"
fi
