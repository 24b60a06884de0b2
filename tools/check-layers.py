#!/usr/bin/env python3
"""check-layers.py — the architecture as a test (docs/architecture.md).

  check-layers.py SOURCE_ROOT [LIB.a ...]

Prints TAP.  Checks, from the sources:
  1. each protocol/ layer includes only its own headers and those of the
     layers its meson.build lists (`protocol_layers += {...}`);
  2. ui/ and app/ include only the engine's public headers (PUBLIC below):
     they reach the engine through the conductor, its configuration and the
     trace, never an endpoint, a message codec or the record layer;
  3. no cycle among files: a file (name without .c/.h) that includes another,
     directly or through others, is never included back by it;
and from the static libraries given (the objects meson built):
  4. no cycle among the objects of the engine: an object that calls another
     is never called back by it, directly or through others.
"""
import os
import re
import subprocess
import sys

# What ui/ and app/ may include from protocol/.  Everything in wire/, trace/
# and export/ is public; of the other layers, only these headers.
PUBLIC_LAYERS = {"wire", "trace", "export"}
PUBLIC = {
    "tls-conductor.h", "tls-config.h", "tls-scenario.h", "tls-shape.h",
    "tls-transport.h", "tls-session-cache.h", "tls-ticket.h",  # engine: what a run is configured with
    "tls-ticket-store.h",
    "tls-attacker.h",                                              # engine: the attacker's actions (issue 12)
    "tls-rng.h", "tls-keys.h", "tls-kx-dh.h",                     # crypto: keys a run is given
    "tls-x509.h", "tls-verify.h", "tls-pem.h",                   # x509: certificates, `verify`
    "tls-capture.h",                                              # capture: `open`
    "tls-lesson.h",                                               # engine: lessons (`lesson`, the window)
    "tls-serve.h",                                                # engine: one served connection (`serve`, the window)
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_layers(root):
    """{layer: set of layers it may use}, from protocol/*/meson.build."""
    layers = {}
    entry = re.compile(r"protocol_layers\s*\+=\s*\{\s*'(\w+)'\s*:\s*\[\s*\w+\s*,\s*\[([^\]]*)\]")
    for name in sorted(os.listdir(os.path.join(root, "protocol"))):
        mb = os.path.join(root, "protocol", name, "meson.build")
        if not os.path.isfile(mb):
            continue
        m = entry.search(open(mb, encoding="utf-8").read())
        if not m:
            raise SystemExit("Bail out! %s has no protocol_layers entry" % mb)
        deps = {d.strip()[:-4] for d in m.group(2).split(",") if d.strip().endswith("_dep")}
        layers[m.group(1)] = {d for d in deps if os.path.isdir(os.path.join(root, "protocol", d))}
    return layers


def sources(root, folder):
    out = []
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        out += [os.path.join(dirpath, f) for f in files if f.endswith((".c", ".h"))]
    return sorted(out)


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1]
    libs = sys.argv[2:]
    layers = read_layers(root)
    header_home = {}      # "tls-x.h" -> layer folder
    for layer in layers:
        for path in sources(root, os.path.join("protocol", layer)):
            if path.endswith(".h"):
                header_home[os.path.basename(path)] = layer

    results = []

    def report(ok, name, problems):
        results.append((ok, name, problems))

    # 1. layers
    problems = []
    for layer, allowed in sorted(layers.items()):
        for path in sources(root, os.path.join("protocol", layer)):
            for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                home = header_home.get(inc)
                if home is not None and home != layer and home not in allowed:
                    problems.append("%s includes %s (%s/), which %s/ may not use"
                                    % (os.path.relpath(path, root), inc, home, layer))
    report(not problems, "each protocol/ layer includes only the layers below it", problems)

    # 2. ui/ and app/
    problems = []
    for folder in ("ui", "app"):
        for path in sources(root, folder):
            for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                home = header_home.get(inc)
                if home is not None and home not in PUBLIC_LAYERS and inc not in PUBLIC:
                    problems.append("%s includes %s (%s/), which is not the engine's public API"
                                    % (os.path.relpath(path, root), inc, home))
    report(not problems, "ui/ and app/ use only the engine's public headers", problems)

    # 3. include cycles among files
    graph = {}
    modules = {}
    for folder in ("protocol", "ui", "app"):
        for path in sources(root, folder):
            modules.setdefault(os.path.splitext(os.path.basename(path))[0], []).append(path)
    for mod, paths in modules.items():
        for path in paths:
            for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                target = os.path.splitext(inc)[0]
                if target != mod and target in modules:
                    graph.setdefault(mod, set()).add(target)
    found = cycles(graph)
    report(not found, "no include cycle among files",
           ["cycle: " + " <-> ".join(c) for c in found])

    # 4. call cycles among objects
    if libs:
        defined, used = {}, {}
        for lib in libs:
            out = subprocess.run(["nm", "-A", lib], capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                # "lib.a:obj.o:0000 T name" or "lib.a:obj.o:         U name"
                parts = line.rsplit(None, 2)
                if len(parts) < 2:
                    continue
                where = parts[0].split(":")
                obj = where[1] if len(where) > 1 else where[0]
                obj = re.sub(r"\.c\.o$", "", os.path.basename(obj.rstrip(":")))
                kind, sym = parts[-2], parts[-1]
                if kind == "U":
                    used.setdefault(obj, set()).add(sym)
                elif kind.isupper():
                    defined[sym] = obj
        calls = {}
        for obj, syms in used.items():
            for sym in syms:
                target = defined.get(sym)
                if target is not None and target != obj:
                    calls.setdefault(obj, set()).add(target)
        found = cycles(calls)
        report(not found, "no call cycle among the engine's objects (%d objects)" % len(
            set(used) | set(defined.values())),
               ["cycle: " + " <-> ".join(c) for c in found])

    print("1..%d" % len(results))
    for i, (ok, name, problems) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        for p in problems:
            print("# " + p)
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
