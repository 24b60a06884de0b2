#!/usr/bin/env python3
"""test-i18n-run.py SRCDIR BUILDDIR — every language of po/LINGUAS, installed.

`meson install` into a temporary DESTDIR, then the installed program, with
no HANDSHAKE_LAB_LOCALEDIR (it finds PREFIX/share/locale itself, app/main.c),
under LANGUAGE=xx and LANG=xx_XX.UTF-8:

1. `run` of several built-in scenarios prints each kind of step (message,
   derivation, check, decision, alert) with the kind's translation, and the
   JSON trace of the run has, for every kind, a step whose texts hold a
   translated string of the language's catalog (po/xx.po, not guesses);
2. the JSON trace's keys and machine values (kind, actor, names, bytes,
   results...) are the same as under LANGUAGE=C: only the texts for people
   (explanations, descriptions) are in the run's language;
3. the HTML handout made under xx says lang="xx" and has the translated
   headings.
A locale xx_XX.UTF-8 that is not generated is generated with locale-gen when
the test runs as root (package locales, the line of /etc/locale.gen);
otherwise the language is skipped, and with no language left the test
exits 77.  TAP output.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from html import escape as html_escape
import tempfile

SRC, BUILD = sys.argv[1], sys.argv[2]
SCENARIOS = ["classic", "modern", "dhe-rsa", "bad-finished", "small-dh-group"]
KINDS = ["message", "derivation", "check", "decision", "alert"]
n = 0
failures = 0


def ok(cond, name, detail=""):
    global n, failures
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {name}")
    if not cond:
        failures += 1
        for line in str(detail).splitlines()[:40]:
            print("# " + line)
    return cond


def unquote(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def catalog(po):
    """{(msgctxt, msgid): [msgstr...]} of the translated entries of a .po."""
    out, cur, key = {}, {}, None
    with open(po, encoding="utf-8") as f:
        lines = f.read().split("\n") + [""]
    for line in lines:
        if not line.strip():
            if cur.get("msgid"):
                strs = [v for k, v in cur.items() if k.startswith("msgstr") and v]
                if strs:
                    out[(cur.get("msgctxt"), cur["msgid"])] = strs
            cur, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            cur[key] += unquote(line[1:-1])
        else:
            key, _, rest = line.partition(" ")
            cur[key] = unquote(rest.strip()[1:-1])
    return out


def pieces(cat):
    """Literal parts of translations (between format specifiers) that are not
    in any English msgid: text that can only come from the catalog."""
    english = "\n".join(k[1] for k in cat)
    spec = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[a-zA-Z%]")
    out = set()
    for strs in cat.values():
        for s in strs:
            for p in spec.split(s):
                p = p.strip(" .,:;()\n")
                if len(p) >= 16 and p not in english:
                    out.add(p)
    return out


def locale_for(lang):
    """LANG value for a LINGUAS code, generating the locale if it can."""
    name = lang if "_" in lang else f"{lang}_{lang.upper()}"
    want = f"{name}.UTF-8"
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    if any(h.lower().replace("-", "") == want.lower().replace("-", "") for h in have):
        return want, None
    if os.geteuid() != 0:
        return None, f"locale {want} is not generated and this is not root"
    if subprocess.run(["dpkg", "-s", "locales"], capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "locales"], capture_output=True)
    gen = "/etc/locale.gen"
    line = f"{want} UTF-8"
    try:
        with open(gen, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        text = ""
    if not re.search(rf"^{re.escape(line)}\s*$", text, re.M):
        text2 = re.sub(rf"^#\s*{re.escape(line)}\s*$", line, text, flags=re.M)
        if text2 == text:
            text2 = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
        with open(gen, "w", encoding="utf-8") as f:
            f.write(text2)
    p = subprocess.run(["locale-gen"], capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"locale-gen failed: {p.stderr[-300:]}"
    return want, None


# JSON keys whose values programs read (tests/test-i18n.py has the same list)
MACHINE = {"format", "version", "scenario", "seed", "clock", "connection", "index", "actor",
           "kind", "observed", "content_type", "handshake_type", "bytes", "wire", "encrypted",
           "wire_offset", "result", "chosen_option", "alert_level", "alert_description", "parent",
           "offset", "length", "hex", "from_step", "compare_with", "name", "title"}


def machine_diff(a, b, path=""):
    if type(a) != type(b):
        return [f"{path}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{path}: keys {list(a)} vs {list(b)}"]
        out = []
        for k in a:
            if path.endswith("meta"):
                if re.match(r"conn\d+\.(version|suite|resumed)$", k) and a[k] != b[k]:
                    out.append(f"{path}.{k}: {a[k]!r} vs {b[k]!r}")
            elif k in MACHINE and not isinstance(a[k], (dict, list)):
                if a[k] != b[k]:
                    out.append(f"{path}.{k}: {a[k]!r} vs {b[k]!r}")
            else:
                out += machine_diff(a[k], b[k], f"{path}.{k}")
        return out[:20]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += machine_diff(x, y, f"{path}[{i}]")
        return out[:20]
    return []


def texts(obj):
    """Every string of a JSON value that is not a machine value."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in MACHINE:
                yield from texts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from texts(v)
    elif isinstance(obj, str):
        yield obj


def main():
    with open(os.path.join(SRC, "po", "LINGUAS"), encoding="utf-8") as f:
        langs = [w for l in f if not l.startswith("#") for w in l.split()]
    if not langs:
        print("1..0 # SKIP po/LINGUAS lists no language")
        return 77
    tmp = tempfile.mkdtemp(prefix="hl-i18n-run-")
    try:
        return run_all(langs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(langs, tmp):
    intro = subprocess.run(["meson", "introspect", BUILD, "--buildoptions"],
                           capture_output=True, text=True)
    opts = {o["name"]: o["value"] for o in json.loads(intro.stdout)}
    dest = os.path.join(tmp, "dest")
    p = subprocess.run(["meson", "install", "-C", BUILD, "--no-rebuild", "--destdir", dest, "--quiet"],
                       capture_output=True, text=True)
    ok(p.returncode == 0, "meson install --destdir", p.stdout[-1000:] + p.stderr[-1000:])
    root = dest + opts["prefix"]
    prog = os.path.join(root, "bin", "handshake-lab")
    share = os.path.join(root, opts["datadir"])
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LC_", "LANG", "HANDSHAKE_LAB_"))}

    def run(args, env):
        return subprocess.run([prog] + args, env=env, capture_output=True, text=True,
                              timeout=300, cwd=tmp)

    c_env = dict(base, LANG="C.UTF-8", LANGUAGE="C")
    c_json = {}
    for s in SCENARIOS:
        out = os.path.join(tmp, f"{s}.C.json")
        run(["run", "--scenario", s, "--quiet", "--trace-json", out], c_env)
        with open(out, encoding="utf-8") as f:
            c_json[s] = json.load(f)

    tested = 0
    for lang in langs:
        mo = os.path.join(share, "locale", lang, "LC_MESSAGES", "handshake-lab.mo")
        if not ok(os.path.isfile(mo), f"{lang}: the installed catalog {os.path.relpath(mo, dest)}"):
            continue
        loc, why = locale_for(lang)
        if loc is None:
            print(f"ok {n + 1} - {lang} # SKIP {why}")
            globals()["n"] += 1
            continue
        tested += 1
        cat = catalog(os.path.join(SRC, "po", f"{lang}.po"))
        own = pieces(cat)
        env = dict(base, LANG=loc, LANGUAGE=lang)
        seen_text = {k: False for k in KINDS}
        seen_json = {k: [] for k in KINDS}
        for s in SCENARIOS:
            js = os.path.join(tmp, f"{s}.{lang}.json")
            html = os.path.join(tmp, f"{s}.{lang}.html")
            p = run(["run", "--scenario", s, "--trace-json", js, "--html", html], env)
            ok(p.returncode in (0, 1) and os.path.exists(js), f"{lang}: run --scenario {s}",
               p.stderr[-2000:])
            for k in KINDS:
                label = cat.get(("step kind", k), [k])[0]
                if re.search(r"\(" + re.escape(label) + r"[,)]", p.stdout):
                    seen_text[k] = True
            with open(js, encoding="utf-8") as f:
                doc = json.load(f)
            diffs = machine_diff(c_json[s], doc)
            ok(not diffs, f"{lang}: JSON of {s} has the keys and machine values of LANGUAGE=C",
               "\n".join(diffs))
            for st in doc.get("steps", []):
                k = st.get("kind")
                if k in seen_json and not seen_json[k]:
                    blob = "\n".join(texts(st))
                    hit = next((x for x in own if x in blob), None)
                    if hit:
                        seen_json[k] = [f"{s} step {st.get('index')}: …{hit}…"]
            with open(html, encoding="utf-8") as f:
                page = f.read()
            lang_attr = cat.get(("html lang", "en"), ["en"])[0]
            heads = [cat.get((None, h), [h])[0] for h in ("The handshake at a glance", "Step by step")]
            # the handout escapes the text it prints (an apostrophe is &apos;)
            missing = [h for h in heads
                       if h not in page and html_escape(h).replace("&#x27;", "&apos;") not in page]
            ok(f'lang="{lang_attr}"' in page and lang_attr == lang.split("_")[0] and not missing,
               f"{lang}: the handout of {s} is in {lang} (lang=\"{lang_attr}\", translated headings)",
               f"missing headings: {missing}")
        for k in KINDS:
            ok(seen_text[k], f"{lang}: `run` prints {k} steps with the kind's translation")
            ok(bool(seen_json[k]), f"{lang}: a {k} step's texts come from po/{lang}.po",
               "no translated text of the catalog found in any such step")
            if seen_json[k]:
                print("# " + seen_json[k][0][:150])
    print(f"1..{n}")
    if tested == 0:
        return 77
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
