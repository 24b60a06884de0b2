#!/usr/bin/env python3
"""test-flatpak-manifest.py SRCDIR — the Flatpak manifest parses and says
what flatpak-builder needs to build the app against the GNOME runtime
(it cannot be built here: no flatpak-builder, no network).  TAP output."""
import json
import os
import sys

src = sys.argv[1]
app_id = "org.handshakelab.HandshakeLab"
n = 0
bad = 0


def ok(cond, name):
    global n, bad
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {name}")
    bad += not cond


path = os.path.join(src, app_id + ".json")
try:
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    parsed = True
except (OSError, ValueError) as e:
    print(f"# {e}")
    m, parsed = {}, False
ok(parsed, f"{app_id}.json is JSON")
for key in ("id", "runtime", "runtime-version", "sdk", "command", "modules", "finish-args"):
    ok(key in m, f"has '{key}'")
ok(m.get("id") == app_id, "id is the application ID of the .desktop file and the metainfo")
ok(os.path.exists(os.path.join(src, "data", app_id + ".desktop.in")), "a .desktop file of that ID exists")
ok(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk", "GNOME runtime and SDK")
ok(str(m.get("runtime-version", "")).isdigit() and int(m["runtime-version"]) >= 43,
   "a GNOME runtime with GTK 4.8 or newer (43+)")
ok(m.get("command") == "handshake-lab", "the command is the program meson installs")
args = m.get("finish-args", [])
ok("--socket=wayland" in args and "--socket=fallback-x11" in args, "a display (Wayland, X11 fallback)")
ok("--share=network" in args, "the network (live mode: connect, serve)")
mods = m.get("modules", [])
ok(isinstance(mods, list) and all(isinstance(x, dict) and x.get("name") and x.get("sources")
                                  for x in mods), "every module has a name and sources")
last = mods[-1] if mods else {}
ok(last.get("name") == "handshake-lab" and last.get("buildsystem") == "meson",
   "the last module builds this tree with meson")
ok(any(s.get("type") == "dir" and s.get("path") == "." for s in last.get("sources", [])),
   "from this checkout (type dir, path .)")
# the libraries meson.build asks for that the GNOME runtime lacks are built
ok(any(x.get("name") == "libpcap" for x in mods), "libpcap (not in the GNOME runtime) is a module")
for x in mods:
    for s in x.get("sources", []):
        if s.get("type") in ("archive", "file"):
            ok("sha256" in s, f"{x['name']}: a downloaded source has its sha256")
        if s.get("type") == "git":
            ok(bool(s.get("url")) and (s.get("tag") or s.get("commit")), f"{x['name']}: git source names a tag or commit")
print(f"1..{n}")
sys.exit(1 if bad else 0)
