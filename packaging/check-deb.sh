#!/usr/bin/env bash
# Builds the Debian package of a build folder with CPack and checks it:
# the expected files are inside; every Debian package that ships a library
# one of its programs links directly is in Depends; every package in Depends
# exists and is either linked or one of the runtime-only packages named after
# --runtime (plugins loaded at run time, the C runtime).
#
# Usage: check-deb.sh BUILD_DIR [--runtime PKG...] [--files PATH...]
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [--runtime PKG...] [--files PATH...]" >&2
  exit 2
fi
build_dir="$1"
shift
runtime_only=()
expected_files=()
list=""
for arg in "$@"; do
  case "$arg" in
    --runtime) list=runtime ;;
    --files) list=files ;;
    *) if [[ $list == runtime ]]; then runtime_only+=("$arg");
       elif [[ $list == files ]]; then expected_files+=("$arg");
       else echo "check-deb: unexpected argument '$arg'" >&2; exit 2; fi ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/portolan-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "check-deb: cpack failed"
  exit 1
fi
deb="$(find "$work/out" -maxdepth 1 -name '*.deb' | head -n 1)"
[[ -n "$deb" ]] || { cat "$work/cpack.log"; echo "check-deb: cpack made no .deb"; exit 1; }
echo "Package: $(basename "$deb"), $(( $(stat -c %s "$deb") / 1024 )) KiB"

status=0
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"

contents="$(dpkg-deb -c "$deb" | awk '{ print $6 }')"
for file in "${expected_files[@]}"; do
  if ! grep -qxF "$file" <<<"$contents"; then
    echo "MISSING file in the package: $file"
    status=1
  fi
done

# "libfoo (>= 1), libbar | libbaz" -> one bare package name a line
declared="$(tr ',|' '\n\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | sed '/^$/d' | sort -u)"

dpkg-deb -x "$deb" "$work/root"
linked=""
for binary in "$work"/root/usr/bin/* "$work"/root/usr/libexec/portolan/*; do
  resolved="$(ldd "$binary")"
  for soname in $(objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }'); do
    # "soname => /path (addr)", or "/path/soname (addr)" for the dynamic loader
    path="$(awk -v so="$soname" '
        $1 == so && $3 ~ /^\// { print $3; exit }
        $1 ~ /^\// && $1 ~ ("/" so "$") { print $1; exit }' <<<"$resolved")"
    owner=""
    if [[ -n "$path" ]]; then
      owner="$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true)"
    fi
    if [[ -z "$owner" ]]; then
      echo "UNPACKAGED library: $(basename "$binary") links $soname, which no Debian package ships"
      status=1
      continue
    fi
    linked+="${owner%%:*}"$'\n'
  done
done
linked="$(sed '/^$/d' <<<"$linked" | sort -u)"
echo "Linked packages: $(tr '\n' ' ' <<<"$linked")"

while read -r package; do
  if ! grep -qxF "$package" <<<"$declared"; then
    echo "MISSING from Depends: $package"
    status=1
  fi
done <<<"$linked"
while read -r package; do
  if grep -qxF "$package" <<<"$linked" || printf '%s\n' "${runtime_only[@]}" | grep -qxF "$package"; then
    :
  elif apt-cache showpkg "$package" | sed -n '/^Reverse Provides:/,$p' | awk 'NR > 1 { print $1 }' \
       | grep -qxFf - <(printf '%s\n' "$linked"); then
    continue  # a virtual package (an ABI pin) provided by a linked library
  else
    echo "NOT NEEDED in Depends: $package (no program links it and it is not a runtime package)"
    status=1
  fi
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    echo "UNKNOWN package in Depends: $package"
    status=1
  fi
done <<<"$declared"

# portolan-cli runs its client commands through the program the package puts
# in libexec: one of them must start from the unpacked tree.
if ! "$work/root/usr/bin/portolan-cli" tokens --help >"$work/run.log" 2>&1; then
  cat "$work/run.log"
  echo "check-deb: the packaged portolan-cli cannot run 'tokens --help'"
  status=1
fi

if [[ $status -eq 0 ]]; then
  echo "check-deb: the package is complete and its dependencies match what its programs link"
fi
exit "$status"
