#!/usr/bin/env bash
# Fuzzes the OpenAPI loader (JSON/YAML parser, normalizer, $ref resolution)
# with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer for a set
# time. Builds with clang into build-fuzz/ (or $PORTOLAN_FUZZ_BUILD_DIR).
#
# Usage: tests/fuzz/run-fuzz.sh [SECONDS]      (default 60)
# Crashes, hangs and out-of-memory inputs are written to build-fuzz/artifacts/;
# the script then exits 1 and lists them. Replay one with
#   build-fuzz/tests/fuzz/fuzz_loader FILE
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${PORTOLAN_FUZZ_BUILD_DIR:-$repo_root/build-fuzz}"

bash "$repo_root/packaging/install-deps.sh" --with-fuzz --no-npm

# The whole engine is instrumented, so that coverage guides the fuzzer into it
# and the sanitizers see its memory; only the fuzz target links libFuzzer's main.
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$repo_root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_CXX_FLAGS="$sanitizers -fsanitize=fuzzer-no-link" \
      -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
      -DPORTOLAN_BUILD_FUZZERS=ON -DPORTOLAN_BUILD_TESTS=ON -DPORTOLAN_BUILD_GUI=OFF
cmake --build "$build_dir" --target fuzz_loader --parallel 2

fuzzer="$build_dir/tests/fuzz/fuzz_loader"
work_corpus="$build_dir/corpus"
artifacts="$build_dir/artifacts"
mkdir -p "$work_corpus" "$artifacts"

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"

started="$(mktemp)"
trap 'rm -f "$started"' EXIT
status=0
# New inputs go to the work corpus; the seeds under tests/fuzz/corpus stay as written.
"$fuzzer" "$work_corpus" "$repo_root/tests/fuzz/corpus" \
    -dict="$repo_root/tests/fuzz/openapi.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 || status=$?

found="$(find "$artifacts" -type f -newer "$started" | sort)"
if [[ -n "$found" ]]; then
  echo "Fuzzing found failing inputs (replay: $fuzzer FILE):"
  echo "$found"
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "run-fuzz: the fuzzer exited with $status" >&2
  exit "$status"
fi
echo "run-fuzz: no crash in ${seconds}s; corpus: $(find "$work_corpus" -type f | wc -l) inputs in $work_corpus"
