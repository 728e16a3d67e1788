#!/usr/bin/env bash
# Installs everything Portolan needs to build, run, test, benchmark and fuzz on
# Debian 12, then the pinned npm packages of the loopback test services into
# the project-local folder .deps/node (never globally).
#
# Idempotent: packages already installed are not asked for again, and the npm
# step is skipped while packaging/node/package.json and its lock are unchanged,
# so a second run takes about a second.
#
# Usage: packaging/install-deps.sh [--with-fuzz] [--no-npm]
#   --with-fuzz  also install clang and its sanitizer/libFuzzer runtime
#   --no-npm     skip the npm packages (the auth tests and the demo need them)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_fuzz=0
with_npm=1
for arg in "$@"; do
  case "$arg" in
    --with-fuzz) with_fuzz=1 ;;
    --no-npm) with_npm=0 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

packages=(
  # Build
  cmake g++ ninja-build pkg-config
  qt6-base-dev qt6-webengine-dev qtkeychain-qt6-dev qt6-httpserver-dev
  qt6-networkauth-dev qt6-svg-dev qt6-tools-dev libgl-dev
  qt6-websockets-dev  # Qt6HttpServer's CMake package needs it; Debian does not pull it in
  libssl-dev libyaml-dev libsimdjson-dev zlib1g-dev
  # Tests: headless display, session bus, a real keychain, loopback services
  xvfb xauth dbus-daemon dbus-x11 gnome-keyring libsecret-tools
  python3 python3-httpbin openssl curl ca-certificates
  # Screenshots need real fonts to show text
  fonts-dejavu-core
  # Packaging checks: validators, and what CPack's dpkg-shlibdeps step runs
  desktop-file-utils appstream dpkg-dev file binutils
  # Benchmarks: /usr/bin/time reports peak RSS, bc does the arithmetic
  time bc
)
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ $with_fuzz -eq 1 ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo_cmd=(sudo)
    else
      echo "install-deps: run as root to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already installed"
fi

if [[ $with_npm -eq 0 ]]; then
  exit 0
fi

# oidc-provider 9 calls URL.parse (Node.js 20.18 and later); Debian 12's own
# nodejs is 18, so a machine that had no Node.js gets one too old for it.
if ! node -e 'process.exit(typeof URL.parse === "function" ? 0 : 1)'; then
  echo "install-deps: WARNING: Node.js $(node --version) is too old for oidc-provider (needs 20.18 or later);" \
       "the OAuth 2 / OpenID Connect tests and the demo's OpenID Provider will not start" >&2
fi

# npm packages, pinned by exact version and locked, installed into .deps/node.
node_src="$repo_root/packaging/node"
node_dest="$repo_root/.deps/node"
stamp="$node_dest/.installed-from"
# What the install was made from: the pins and the lock. Taken again after an
# install, since resolving a changed pin rewrites the lock.
npm_inputs_hash() {
  cat "$node_src/package.json" "$node_src/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1
}
if [[ -d "$node_dest/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$(npm_inputs_hash)" ]]; then
  echo "install-deps: npm packages in .deps/node are up to date"
  exit 0
fi

mkdir -p "$node_dest"
cp "$node_src/package.json" "$node_dest/package.json"
npm_flags=(--prefix "$node_dest" --no-audit --no-fund --loglevel=error)
# The lock is in step when it records exactly the versions package.json pins.
lock_in_step() {
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const lock = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).packages[""] || {};
    const same = (a = {}, b = {}) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    process.exit(same(pkg.dependencies, lock.dependencies) && same(pkg.devDependencies, lock.devDependencies) ? 0 : 1);
  ' "$node_src/package.json" "$node_src/package-lock.json"
}
if [[ -f "$node_src/package-lock.json" ]] && lock_in_step; then
  cp "$node_src/package-lock.json" "$node_dest/package-lock.json"
  npm ci "${npm_flags[@]}"
else
  # package.json gained or changed a pin: resolve again and keep the new lock.
  rm -f "$node_dest/package-lock.json"
  npm install "${npm_flags[@]}"
  cp "$node_dest/package-lock.json" "$node_src/package-lock.json"
  echo "install-deps: updated packaging/node/package-lock.json (commit it)"
fi
npm_inputs_hash > "$stamp"
echo "install-deps: npm packages installed into .deps/node"
