#!/usr/bin/env bash
# Fuzzes one target with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer for a set time. Builds with clang into
# build-fuzz/ (or $PORTOLAN_FUZZ_BUILD_DIR).
#
# Usage: tests/fuzz/run-fuzz.sh [TARGET] [SECONDS]
#   TARGET   loader (default), curlcommand, jose, tokenresponse, wwwauthenticate
#            (fuzz_TARGET.cpp; seeds in tests/fuzz/corpus/TARGET, dictionary TARGET.dict)
#   SECONDS  default 60
# Environment: PORTOLAN_FUZZ_ARGS adds libFuzzer options (e.g. -jobs=2).
#
# Crashes, hangs and out-of-memory inputs are written to build-fuzz/artifacts/TARGET/;
# the script then exits 1 and lists them. Replay one with
#   build-fuzz/tests/fuzz/fuzz_TARGET FILE
# After fixing the bug, add the input to tests/fuzz/corpus/TARGET/ so that the
# CTest test fuzz_replay_TARGET keeps replaying it. To fold new coverage from
# the work corpus into the committed seeds, keeping them few:
#   build-fuzz/tests/fuzz/fuzz_TARGET -merge=1 tests/fuzz/corpus/TARGET build-fuzz/corpus/TARGET
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target=loader
if [[ $# -gt 0 && ! "$1" =~ ^[0-9]+$ ]]; then
  target="$1"
  shift
fi
seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ ! -f "$repo_root/tests/fuzz/fuzz_$target.cpp" ]]; then
  echo "usage: $0 [TARGET] [SECONDS]; targets:" \
       "$(cd "$repo_root/tests/fuzz" && ls fuzz_*.cpp | sed 's/^fuzz_//; s/\.cpp$//' | tr '\n' ' ')" >&2
  exit 2
fi

build_dir="${PORTOLAN_FUZZ_BUILD_DIR:-$repo_root/build-fuzz}"

bash "$repo_root/packaging/install-deps.sh" --with-fuzz --no-npm

# The whole engine is instrumented, so that coverage guides the fuzzer into it
# and the sanitizers see its memory; only the fuzz targets link libFuzzer's main.
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$repo_root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_CXX_FLAGS="$sanitizers -fsanitize=fuzzer-no-link" \
      -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
      -DPORTOLAN_BUILD_FUZZERS=ON -DPORTOLAN_BUILD_TESTS=ON -DPORTOLAN_BUILD_GUI=OFF
cmake --build "$build_dir" --target "fuzz_$target" --parallel 2

fuzzer="$build_dir/tests/fuzz/fuzz_$target"
seeds="$repo_root/tests/fuzz/corpus/$target"
work_corpus="$build_dir/corpus/$target"
artifacts="$build_dir/artifacts/$target"
mkdir -p "$work_corpus" "$artifacts"
dictionary=()
if [[ -f "$repo_root/tests/fuzz/$target.dict" ]]; then
  dictionary=(-dict="$repo_root/tests/fuzz/$target.dict")
fi

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"

started="$(mktemp)"
trap 'rm -f "$started"' EXIT
status=0
# New inputs go to the work corpus; the seeds under tests/fuzz/corpus stay as written.
# shellcheck disable=SC2086  # PORTOLAN_FUZZ_ARGS is a list of options
"$fuzzer" "$work_corpus" "$seeds" "${dictionary[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 ${PORTOLAN_FUZZ_ARGS:-} || status=$?

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
echo "run-fuzz: $target: no crash in ${seconds}s; corpus: $(find "$work_corpus" -type f | wc -l) inputs in $work_corpus"
