#!/usr/bin/env bash
# The whole test suite, headless, from any directory:
#   installs what is missing, configures and builds into build/ (or
#   $PORTOLAN_BUILD_DIR), then runs CTest under Xvfb inside a private D-Bus
#   session with an unlocked gnome-keyring, so the tests use a real display, a
#   real embedded browser and a real keychain.
# Extra arguments go to ctest, e.g.  tests/run-all.sh -L core  or  -R Inspect
# The exit code is ctest's.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${PORTOLAN_BUILD_DIR:-$repo_root/build}"
mkdir -p "$build_dir"
build_dir="$(cd "$build_dir" && pwd)"

bash "$repo_root/packaging/install-deps.sh"

cmake -S "$repo_root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTOLAN_BUILD_TESTS=ON
cmake --build "$build_dir" --parallel "$(nproc)"

screenshot_dir="$build_dir/screenshots"
rm -rf "$screenshot_dir"
mkdir -p "$screenshot_dir"

# A throwaway home for the keychain and settings: the tests never touch the
# user's own keyrings or configuration, and each run starts clean.
session_home="$(mktemp -d "${TMPDIR:-/tmp}/portolan-tests.XXXXXX")"
trap 'rm -rf "$session_home"' EXIT
mkdir -p "$session_home/data" "$session_home/config" "$session_home/cache" "$session_home/runtime"
chmod 700 "$session_home/runtime"

export XDG_DATA_HOME="$session_home/data"
export XDG_CONFIG_HOME="$session_home/config"
export XDG_CACHE_HOME="$session_home/cache"
export XDG_RUNTIME_DIR="$session_home/runtime"
export QTWEBENGINE_DISABLE_SANDBOX=1
export PORTOLAN_SCREENSHOT_DIR="$screenshot_dir"
export PORTOLAN_BUILD_DIR="$build_dir"

# Runs inside the D-Bus session: unlock a fresh keyring, check that it stores
# and returns a secret, then hand over to ctest.
session_script='
set -uo pipefail
ps -o sid= -p $$ | tr -d " " > "$PORTOLAN_RUN_SESSION_FILE"
keyring_env="$(printf %s pw | gnome-keyring-daemon --unlock --components=secrets)"
eval "$keyring_env"
export GNOME_KEYRING_CONTROL 2>/dev/null || true
if printf %s probe | secret-tool store --label="Portolan test probe" portolan-probe run \
   && [[ "$(secret-tool lookup portolan-probe run)" == probe ]]; then
  secret-tool clear portolan-probe run
  echo "run-all: keychain ready (gnome-keyring, session bus $DBUS_SESSION_BUS_ADDRESS)"
else
  echo "run-all: WARNING: the keychain does not store secrets; keychain tests will fail" >&2
fi
echo "run-all: display $DISPLAY"
ctest --test-dir "$PORTOLAN_BUILD_DIR" --output-on-failure --timeout 900 "$@"
'

# The run gets a session of its own, so that whatever a crashed test leaves
# running (a loopback service, a browser process) can be found and stopped,
# also when the run is interrupted.
export PORTOLAN_RUN_SESSION_FILE="$session_home/run-session"
stop_leftovers() {
  local run_session leftovers
  run_session="$(cat "$PORTOLAN_RUN_SESSION_FILE" 2>/dev/null || true)"
  [[ -n "$run_session" ]] || return 0
  # Zombies are already gone, waiting only for init to reap them; Xvfb may
  # still be on its way out when xvfb-run returns, so look twice.
  for _ in 1 2; do
    leftovers="$(ps -o pid=,stat=,args= -s "$run_session" | awk '$2 !~ /^Z/' || true)"
    [[ -n "$leftovers" ]] || break
    sleep 1
  done
  if [[ -n "$leftovers" ]]; then
    echo "run-all: stopping what the tests left running:"
    echo "$leftovers"
    kill $(awk '{ print $1 }' <<<"$leftovers") 2>/dev/null || true
  fi
}
trap 'stop_leftovers; rm -rf "$session_home"; exit 130' INT TERM

status=0
# Started in the background and waited for, so that the trap runs at once.
setsid --wait xvfb-run -a -s '-screen 0 1600x1000x24' \
  dbus-run-session -- bash -c "$session_script" run-all-session "$@" &
wait $! || status=$?
stop_leftovers

echo "Screenshots: $screenshot_dir"
exit "$status"
