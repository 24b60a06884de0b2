#!/usr/bin/env bash
# dev.sh — install what is missing, build, then start the app or run the tests.
#   ./dev.sh start [ARGS...]   build and start handshake-lab (GUI with a display,
#                              otherwise the default scenario in the terminal)
#   ./dev.sh test              build and run every test (GUI tests under Xvfb)
set -euo pipefail
cd "$(dirname "$0")"

install_missing () {
  local missing=()
  while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < tools/debian-packages.txt
  if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    # tshark asks whether non-root users may capture; the default (no) is fine.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
  fi
}

build () {
  [[ -f build/build.ninja ]] || meson setup build
  ninja -C build
}

case "${1:-}" in
  start)
    shift
    install_missing
    build
    exec ./build/app/handshake-lab "$@"
    ;;
  test)
    install_missing
    build
    exec xvfb-run -a -s "-screen 0 1600x1000x24" meson test -C build --print-errorlogs --num-processes 2
    ;;
  *)
    echo "usage: $0 start [ARGS...] | test" >&2
    exit 2
    ;;
esac
