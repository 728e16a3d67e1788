#!/usr/bin/env bash
# Fuzzes one engine with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer
# for a set time. Builds with clang into build-fuzz/ (or $PORTOLAN_FUZZ_BUILD_DIR).
# Targets: fuzz_loader (OpenAPI loader: JSON/YAML parser, normalizer, $ref
# resolution; the default) and fuzz_jsonschema (JSON Schema compiler and validator).
#
# Usage: tests/fuzz/run-fuzz.sh [TARGET] [SECONDS]      (default fuzz_loader, 60)
# Crashes, hangs and out-of-memory inputs are written to build-fuzz/artifacts/;
# the script then exits 1 and lists them. Replay one with
#   build-fuzz/tests/fuzz/TARGET FILE
set -euo pipefail

target=fuzz_loader
if [[ $# -gt 0 && ! "$1" =~ ^[0-9]+$ ]]; then
  target="$1"
  shift
fi
case "$target" in
  fuzz_loader) seeds=corpus dictionary=openapi.dict ;;
  fuzz_jsonschema) seeds=corpus-jsonschema dictionary=jsonschema.dict ;;
  *) echo "$0: unknown target $target (fuzz_loader, fuzz_jsonschema)" >&2; exit 2 ;;
esac
seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [TARGET] [SECONDS]" >&2
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
cmake --build "$build_dir" --target "$target" --parallel 2

fuzzer="$build_dir/tests/fuzz/$target"
work_corpus="$build_dir/corpus-$target"
artifacts="$build_dir/artifacts"
mkdir -p "$work_corpus" "$artifacts"

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"

started="$(mktemp)"
trap 'rm -f "$started"' EXIT
status=0
# New inputs go to the work corpus; the seeds under tests/fuzz/$seeds stay as written.
"$fuzzer" "$work_corpus" "$repo_root/tests/fuzz/$seeds" \
    -dict="$repo_root/tests/fuzz/$dictionary" \
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
