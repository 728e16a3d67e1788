#!/usr/bin/env bash
# Benchmark (not a test) of the HTTP engine, in one run:
#  1. per-request overhead: 1,000 small sequential GETs over one keep-alive
#     connection to a tiny loopback server, by curl (one process, 1,000 URLs)
#     by Portolan's ExchangeSender (one process, the full exchange record made
#     for each) and by a bare QNetworkAccessManager loop (Qt's floor); whole-
#     process wall times and the ratios (targets: Portolan <= 1.2x curl and
#     <= 1.15x the bare QNetworkAccessManager loop); CPU time (user + system)
#     beside them, steadier than wall time on a shared machine.
#  2. peak memory while receiving a 100 MB response from python3 http.server
#     (target: peak RSS <= 1.5x the body).
#
# Usage: tests/bench/bench-http.sh [REQUESTS]     (default 1000)
# Environment: PORTOLAN_BUILD_DIR (default build/), holding tests/http/bench_http_client.
set -euo pipefail

requests="${1:-1000}"
if ! [[ "$requests" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [REQUESTS]" >&2
  exit 2
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
client="$build_dir/tests/http/bench_http_client"
if [[ ! -x "$client" ]]; then
  echo "bench-http: no $client; build the target bench_http_client first" >&2
  exit 1
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1e6 }'; }

# --- 1. per-request overhead ------------------------------------------------
"$client" serve > "$work/server.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port="$(awk '/listening on/ { print $3 }' "$work/server.out")"
url="http://127.0.0.1:$port/small"
for _ in $(seq "$requests"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done > "$work/curl.config"

"$client" requests "$url" 20 > /dev/null   # warm caches
curl -s -K "$work/curl.config" > /dev/null

# Wall time and CPU time (user + system) of one run of a command: "wall_ms cpu_ms".
time_ms() {
  local start end cpu
  start="$(now_ms)"; /usr/bin/time -f '%U %S' -o "$work/time.out" "$@" > /dev/null; end="$(now_ms)"
  cpu="$(awk '{ printf "%.1f", ($1 + $2) * 1000 }' "$work/time.out")"
  awk -v a="$start" -v b="$end" -v c="$cpu" 'BEGIN { printf "%.1f %s", b - a, c }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Three interleaved runs each, medians: a shared machine makes single runs noisy.
curl_runs=(); portolan_runs=(); qnam_runs=()
for _ in 1 2 3; do
  curl_runs+=("$(time_ms curl -s -K "$work/curl.config")")
  portolan_runs+=("$(time_ms "$client" requests "$url" "$requests")")
  qnam_runs+=("$(time_ms "$client" qnam "$url" "$requests")")
done
wall() { printf '%s\n' "$@" | awk '{ print $1 }' | median; }
cpu() { printf '%s\n' "$@" | awk '{ print $2 }' | median; }
curl_ms="$(wall "${curl_runs[@]}")"
portolan_ms="$(wall "${portolan_runs[@]}")"
qnam_ms="$(wall "${qnam_runs[@]}")"
portolan_cpu="$(cpu "${portolan_runs[@]}")"
qnam_cpu="$(cpu "${qnam_runs[@]}")"
portolan_line="$("$client" requests "$url" "$requests")"
echo "per-request overhead, $requests sequential GETs on one keep-alive loopback connection (median of 3 runs):"
echo "  curl      $curl_ms ms  ($(awk -v t="$curl_ms" -v n="$requests" 'BEGIN { printf "%.1f", t * 1000 / n }') us/request)"
echo "  portolan  $portolan_ms ms  ($(awk -v t="$portolan_ms" -v n="$requests" 'BEGIN { printf "%.1f", t * 1000 / n }') us/request; in-process: $portolan_line)"
echo "  plain QNetworkAccessManager (Qt's floor, no Portolan)  $qnam_ms ms"
echo "  ratio portolan/curl: $(awk -v p="$portolan_ms" -v c="$curl_ms" 'BEGIN { printf "%.2f", p / c }') (target <= 1.2)"
echo "  ratio portolan/QNetworkAccessManager: $(awk -v p="$portolan_ms" -v q="$qnam_ms" 'BEGIN { printf "%.2f", p / q }') (target <= 1.15)"
echo "  CPU time (user + system), median: portolan $portolan_cpu ms, plain QNetworkAccessManager $qnam_cpu ms," \
     "ratio $(awk -v p="$portolan_cpu" -v q="$qnam_cpu" 'BEGIN { printf "%.2f", p / q }')"

# --- 2. peak memory for a 100 MB response ----------------------------------
head -c $((100 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
/usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work" > "$work/http.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q "port" "$work/http.out" 2>/dev/null && break; sleep 0.1; done
big_port="$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/http.out" | head -1)"
line="$("$client" download "http://127.0.0.1:$big_port/big.bin")"
body="$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "body_bytes") print $(i + 1) }')"
peak="$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "peak_rss_bytes") print $(i + 1) }')"
echo "100 MB response: body $((body / 1048576)) MB, peak RSS $(awk -v p="$peak" 'BEGIN { printf "%.1f", p / 1048576 }') MB," \
     "ratio $(awk -v p="$peak" -v b="$body" 'BEGIN { printf "%.2f", p / b }') (target <= 1.5; the body streams to a temporary file)"
