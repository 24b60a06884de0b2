#!/usr/bin/env bash
# tools/compare-exports.sh OLD_BUILD NEW_BUILD — every built-in scenario run by
# two builds of handshake-lab, with every export (JSON, HTML, pcapng, key log,
# the text trace and --brief); prints the files that differ and exits 1 when
# any does.  For changes that must not change behaviour (a refactoring).
set -euo pipefail
old=$1 new=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for side in old new; do
  b=${!side}
  mkdir -p "$tmp/$side"
  for s in $("$b/app/handshake-lab" run --list-scenarios | awk '{print $1}'); do
    "$b/app/handshake-lab" run --scenario "$s" --trace-json "$tmp/$side/$s.json" \
      --html "$tmp/$side/$s.html" --pcapng "$tmp/$side/$s.pcapng" \
      --keylog "$tmp/$side/$s.keylog" > "$tmp/$side/$s.txt" 2>&1 || true
    "$b/app/handshake-lab" run --scenario "$s" --brief > "$tmp/$side/$s.brief" 2>&1 || true
  done
done
n=$(ls "$tmp/new" | wc -l)
if diff -rq "$tmp/old" "$tmp/new"; then
  echo "all $n files identical"
else
  exit 1
fi
