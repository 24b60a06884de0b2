#!/usr/bin/env bash
# test-install.sh BUILDDIR — `meson install` into a temporary DESTDIR puts
# every file where GNOME looks, and the installed program runs from there
# with its data found beside it (PREFIX/share/handshake-lab), not in the
# source tree.  TAP output.
set -u
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

prefix=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
datadir=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "datadir"))')
meson install -C "$build" --no-rebuild --destdir "$dest" --quiet >"$dest.log" 2>&1
ok $? "meson install --destdir"
root=$dest$prefix
share=$root/$datadir
id=org.handshakelab.HandshakeLab

for f in bin/handshake-lab \
         "$datadir/applications/$id.desktop" \
         "$datadir/metainfo/$id.metainfo.xml" \
         "$datadir/glib-2.0/schemas/$id.gschema.xml" \
         "$datadir/icons/hicolor/scalable/apps/$id.svg" \
         "$datadir/icons/hicolor/symbolic/apps/$id-symbolic.svg" \
         "$datadir/handshake-lab/pki/server-rsa.crt" \
         "$datadir/handshake-lab/pki/ca/root.crt" \
         "$datadir/handshake-lab/citations.tsv" \
         "$datadir/handshake-lab/lessons/classic.lesson"; do
  test -s "$root/$f"
  ok $? "installed: $f"
done
test ! -e "$share/handshake-lab/pki/make-pki.sh"
ok $? "the PKI's generator script is not installed"
for lang in $(grep -v '^#' "$(dirname "$0")/../po/LINGUAS" 2>/dev/null); do
  test -s "$share/locale/$lang/LC_MESSAGES/handshake-lab.mo"
  ok $? "translation installed: $lang"
done

desktop-file-validate "$share/applications/$id.desktop"
ok $? "desktop-file-validate the installed .desktop"
appstreamcli validate --no-net "$share/metainfo/$id.metainfo.xml" >"$dest.as" 2>&1
ok $? "appstreamcli validate --no-net the installed metainfo"
grep -q '<screenshot' "$share/metainfo/$id.metainfo.xml" && grep -q '<release ' "$share/metainfo/$id.metainfo.xml"
ok $? "metainfo has screenshots and a release"
glib-compile-schemas --strict --targetdir "$dest" "$share/glib-2.0/schemas"
ok $? "the installed schema compiles"
grep -q '^Exec=handshake-lab' "$share/applications/$id.desktop" && grep -q "^Icon=$id\$" "$share/applications/$id.desktop"
ok $? "the .desktop starts handshake-lab with the installed icon"

# The installed program, from another directory, with nothing telling it
# where its data is: it runs a scenario (the demo PKI's certificates).
cd "$dest"
out=$(env -u HANDSHAKE_LAB_DATADIR -u HANDSHAKE_LAB_LOCALEDIR "$root/bin/handshake-lab" run --scenario classic --quiet 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && echo "$out" | grep -q 'TLS_RSA_WITH_AES_128_CBC_SHA.*completed'
ok $? "the installed handshake-lab run completes the classic scenario"
# ... and its lessons: the list names the classic lesson, which runs
out=$(env -u HANDSHAKE_LAB_DATADIR -u HANDSHAKE_LAB_LOCALEDIR "$root/bin/handshake-lab" lesson --list 2>&1)
echo "$out" | head -3 | sed 's/^/# /'
echo "$out" | grep -q '^classic'
ok $? "the installed handshake-lab lists its lessons"
env -u HANDSHAKE_LAB_DATADIR -u HANDSHAKE_LAB_LOCALEDIR "$root/bin/handshake-lab" lesson classic >"$dest.out" 2>&1
ok $? "the installed handshake-lab runs the classic lesson"
# ... and the data it used is the installed one: without it, it fails
mv "$share/handshake-lab/pki" "$share/handshake-lab/pki.away"
env -u HANDSHAKE_LAB_DATADIR -u HANDSHAKE_LAB_LOCALEDIR "$root/bin/handshake-lab" run --scenario classic --quiet >"$dest.out" 2>&1
rc=$?
sed 's/^/# /' "$dest.out" | head -3
[ $rc != 0 ]
ok $? "it read the installed PKI (without it the run fails, exit $rc)"
mv "$share/handshake-lab/pki.away" "$share/handshake-lab/pki"
rm -f "$dest.log" "$dest.as" "$dest.out"
echo "1..$n"
exit $fail
