#!/usr/bin/env bash
# Try Portolan on the bundled demo document, offline:
#   installs what is missing, builds into build/ (or $PORTOLAN_BUILD_DIR),
#   starts the loopback services the demo's security schemes log in against —
#   httpbin on 127.0.0.1:8787 and an OpenID Provider on 127.0.0.1:8788 —
#   opens the app on resources/samples/demo.yaml, and stops the services when
#   the app closes.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
demo="$repo_root/resources/samples/demo.yaml"
httpbin_port=8787
oidc_port=8788

bash "$repo_root/packaging/install-deps.sh"

cmake -S "$repo_root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTOLAN_BUILD_TESTS=ON
targets=(portolan-cli)
if ninja -C "$build_dir" -t targets all | grep -q '^app/gui/portolan:'; then
  targets+=(portolan)
fi
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]}"

gui="$build_dir/app/gui/portolan"
cli="$build_dir/app/cli/portolan-cli"

if [[ ! -x "$gui" ]]; then
  echo "run-demo: the desktop app is not part of this build; here is the demo document as portolan-cli sees it:"
  "$cli" inspect "$demo"
  exit 0
fi
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "run-demo: no display (DISPLAY and WAYLAND_DISPLAY are unset): run this from a desktop session." >&2
  echo "run-demo: meanwhile, the demo document as portolan-cli sees it:" >&2
  "$cli" inspect "$demo"
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits up to 30 s for a service to accept connections on its port.
wait_for_port() {
  local name="$1" port="$2" pid="$3" log="$4"
  for _ in $(seq 1 300); do
    if port_in_use "$port"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-demo: $name stopped while starting:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "run-demo: $name did not start on port $port within 30 s; its log: $log" >&2
  return 1
}

service_pids=()
logs="$(mktemp -d "${TMPDIR:-/tmp}/portolan-demo.XXXXXX")"
stop_services() {
  for pid in "${service_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${service_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$logs"
}
trap stop_services EXIT

for port in "$httpbin_port" "$oidc_port"; do
  if port_in_use "$port"; then
    echo "run-demo: port $port on 127.0.0.1 is already in use; the demo needs it free." >&2
    exit 1
  fi
done

# Debian's httpbin; the pyenv python3 that may come first on PATH cannot see it.
/usr/bin/python3 -m httpbin.core --host 127.0.0.1 --port "$httpbin_port" >"$logs/httpbin.log" 2>&1 &
service_pids+=($!)
wait_for_port httpbin "$httpbin_port" "$!" "$logs/httpbin.log"
echo "run-demo: httpbin on http://127.0.0.1:$httpbin_port"

oidc_server="$repo_root/tests/services/oidc/server.mjs"
if [[ -f "$oidc_server" ]]; then
  node "$oidc_server" "$oidc_port" >"$logs/oidc.log" 2>&1 &
  service_pids+=($!)
  wait_for_port "the OpenID Provider" "$oidc_port" "$!" "$logs/oidc.log"
  echo "run-demo: OpenID Provider on http://127.0.0.1:$oidc_port (any login and password)"
else
  echo "run-demo: no OpenID Provider in this checkout ($oidc_server); the OAuth 2 and OIDC logins will not work"
fi

# Chromium, inside Qt WebEngine, refuses to run its sandbox as root.
if [[ $(id -u) -eq 0 ]]; then
  export QTWEBENGINE_DISABLE_SANDBOX=1
fi
echo "run-demo: opening $demo (the services stop when the window closes)"
status=0
"$gui" "$demo" || status=$?
exit "$status"
