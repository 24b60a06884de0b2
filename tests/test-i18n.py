#!/usr/bin/env python3
"""test-i18n.py SRCDIR PROGRAM [UI-TEXT-PROGRAM] — everything a person sees is translatable.

1. xgettext extracts po/POTFILES.in into a .pot (the glib preset of
   po/meson.build); every file with translatable strings is listed there,
   and no GLib format macro (G_GSIZE_FORMAT...) sits inside a _() string.
2. tools/pseudo-po.py turns the .pot into a pseudo-translation (en@pseudo:
   every word accented and put between « »); msgfmt --check compiles it.
3. Under LANGUAGE=en@pseudo, `run --scenario S --detail full` for every
   built-in scenario, its HTML handout, every command's --help and the
   window's texts (UI-TEXT-PROGRAM, tests/test-ui-text.c) are scanned: a word
   of plain ASCII letters with a vowel was not translated, unless it is one
   of the names that stay as they are (tests/data/i18n-keep.txt: field
   names, RFC and protocol names, values) or looks like one (snake_case,
   CamelCase, ALL CAPS, hex, with digits).
4. The JSON trace of every scenario under en@pseudo has the same keys and the
   same machine values (kinds, actors, results, names, bytes) as under C.
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

SRC = sys.argv[1]
PROG = sys.argv[2]
UI_TEXT = sys.argv[3] if len(sys.argv) > 3 else None

XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
]

n = 0
failures = 0


def ok(cond, name, detail=""):
    global n, failures
    n += 1
    if cond:
        print(f"ok {n} - {name}")
    else:
        failures += 1
        print(f"not ok {n} - {name}")
        for line in str(detail).splitlines()[:60]:
            print("# " + line)


# ---------------------------------------------------------------- sources
GETTEXT_CALL = re.compile(r"(?<![\w])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(")
FORMAT_MACRO = re.compile(r"\bG_G\w+_FORMAT\b|\bPRI[diouxX]\d*\b")


def call_text(text, start):
    """The argument text of the call whose '(' is at start-1."""
    depth, i = 1, start
    in_str = False
    while i < len(text) and depth:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    return text[start:i - 1]


def source_files():
    for top in ("app", "ui", "protocol"):
        for d, _, files in os.walk(os.path.join(SRC, top)):
            for f in files:
                if f.endswith((".c", ".h", ".ui")):
                    yield os.path.relpath(os.path.join(d, f), SRC)


def check_sources():
    with open(os.path.join(SRC, "po", "POTFILES.in")) as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    missing = [p for p in listed if not os.path.exists(os.path.join(SRC, p))]
    ok(not missing, "every file in po/POTFILES.in exists", "\n".join(missing))
    ok(listed == sorted(listed), "po/POTFILES.in is sorted")
    unlisted, macros = [], []
    for p in source_files():
        with open(os.path.join(SRC, p), encoding="utf-8") as f:
            text = f.read()
        has = (p.endswith(".ui") and 'translatable="yes"' in text) or \
              (p.endswith((".c", ".h")) and GETTEXT_CALL.search(text))
        if has and p not in listed:
            unlisted.append(p)
        if p.endswith((".c", ".h")):
            for m in GETTEXT_CALL.finditer(text):
                arg = call_text(text, m.end())
                if FORMAT_MACRO.search(arg):
                    line = text.count("\n", 0, m.start()) + 1
                    macros.append(f"{p}:{line}: {arg.strip()[:80]}")
    ok(not unlisted, "every file with translatable strings is in po/POTFILES.in", "\n".join(unlisted))
    ok(not macros, "no GLib format macro inside a translatable string", "\n".join(macros))
    return listed


# ---------------------------------------------------------------- words
def load_keep():
    words, phrases = set(), []
    lines = []
    for name in ("i18n-keep.txt", "i18n-todo.txt"):
        with open(os.path.join(SRC, "tests", "data", name), encoding="utf-8") as f:
            lines += f.readlines()
    if True:
        for line in lines:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if not re.fullmatch(r"\w+", line):
                phrases.append(line)
            else:
                words.add(line)
    return words, sorted(phrases, key=len, reverse=True)


KEEP_WORDS, KEEP_PHRASES = load_keep()
TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f0-9_][A-Za-z\u00c0-\u024f0-9_'’.\-]*[A-Za-z\u00c0-\u024f0-9_]|[A-Za-z\u00c0-\u024f]")
URLISH = re.compile(r"\S+://\S+|\S+@\S+\.\S+|(?:/[\w.\-@]+)+|\S+\.(?:pem|crt|key|json|html|pcapng|pcap|txt|test|log)\b")


def untranslated_words(line):
    """The words of a line that did not go through the pseudo-translation."""
    for p in KEEP_PHRASES:
        line = line.replace(p, " ")
    line = URLISH.sub(" ", line)
    # a row of a field table (offset, length, ..., value): a value of
    # whole bytes in hex is not a word, however short ("abac"); in the
    # handout each cell is a line of its own
    if re.match(r"\s*\d+\s+\d+\s", line):
        line = re.sub(r"\s(?:[0-9a-fA-F]{2})+\s*$", " ", line)
    if re.fullmatch(r"\s*(?:[0-9a-fA-F]{2})+\s*", line):
        return []
    line = re.sub(r"(?<![\w])--?[a-z][a-z0-9-]*", " ", line)     # --options
    bad = []
    for tok in TOKEN.findall(line):
        for w in re.split(r"[-.'’]", tok):
            if not w or not re.search(r"[aeiouAEIOU]", w):
                continue
            if re.search(r"[^\x00-\x7f]", w):          # accented: translated
                continue
            if re.search(r"[0-9_]", w):               # identifiers, numbers
                continue
            if re.fullmatch(r"[A-Z0-9]+s?", w):       # RFC, TLS, AES, CAs
                continue
            if re.search(r"[a-z][A-Z]", w):           # ClientHello, serialNumber
                continue
            if re.fullmatch(r"[0-9a-fA-F]+", w) and (len(w) <= 2 or len(w) % 2 == 0 and len(w) >= 8):
                continue                              # hex
            if w in KEEP_WORDS or w.lower() in KEEP_WORDS:
                continue
            bad.append(w)
    return bad


def scan(name, text):
    problems = []
    for i, line in enumerate(text.splitlines()):
        bad = untranslated_words(line)
        if bad:
            problems.append(f"{name}:{i + 1}: {', '.join(sorted(set(bad)))}  |  {line.strip()[:150]}")
    return problems


def html_text(doc):
    doc = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", doc)
    doc = re.sub(r"(?s)<!--.*?-->", " ", doc)
    doc = re.sub(r"(?i)<wbr\s*/?>", "", doc)
    doc = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|li|h\d|pre|td|th|dd|dt|summary|details)>", "\n", doc)
    doc = re.sub(r"<[^>]+>", " ", doc)
    return html.unescape(doc)


# ---------------------------------------------------------------- run
def run(args, env, check=False):
    p = subprocess.run([PROG] + args, env=env, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check_lessons_pot(tmp):
    """po/lessons.pot (the lessons' texts, in po/POTFILES.in) is what
    tools/lessons-pot.sh makes from data/lessons today."""
    fresh = os.path.join(tmp, "lessons.pot")
    p = subprocess.run(["sh", os.path.join(SRC, "tools", "lessons-pot.sh"), SRC, fresh],
                       capture_output=True, text=True)
    with open(os.path.join(SRC, "po", "lessons.pot"), encoding="utf-8") as f:
        committed = f.read()
    with open(fresh, encoding="utf-8") as f:
        made = f.read() if p.returncode == 0 else ""
    ok(p.returncode == 0 and made == committed and "msgid" in made,
       "po/lessons.pot is up to date with data/lessons (else run tools/lessons-pot.sh)",
       p.stderr)


def main():
    listed = check_sources()
    tmpdir = tempfile.TemporaryDirectory(prefix="hl-i18n-")
    tmp = tmpdir.name
    pot = os.path.join(tmp, "handshake-lab.pot")
    p = subprocess.run(["xgettext"] + XGETTEXT_ARGS + ["-f", "po/POTFILES.in", "-D", SRC, "-o", pot],
                       cwd=SRC, capture_output=True, text=True)
    ok(p.returncode == 0 and os.path.exists(pot), "xgettext extracts po/POTFILES.in", p.stderr)
    check_lessons_pot(tmp)
    warnings = [l for l in p.stderr.splitlines() if "warning" in l]
    ok(not warnings, "xgettext has no warning", "\n".join(warnings))
    po = os.path.join(tmp, "en@pseudo.po")
    subprocess.run([sys.executable, os.path.join(SRC, "tools", "pseudo-po.py"), pot, po], check=True)
    modir = os.path.join(tmp, "locale", "en@pseudo", "LC_MESSAGES")
    os.makedirs(modir)
    p = subprocess.run(["msgfmt", "--check", "--statistics", "-o",
                        os.path.join(modir, "handshake-lab.mo"), po], capture_output=True, text=True)
    ok(p.returncode == 0, "msgfmt --check accepts the pseudo-translation", p.stderr)

    base = dict(os.environ)
    base.pop("LANGUAGE", None)
    c_env = dict(base, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    c_env.pop("HANDSHAKE_LAB_LOCALEDIR", None)
    ps_env = dict(base, LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="en@pseudo",
                  HANDSHAKE_LAB_LOCALEDIR=os.path.join(tmp, "locale"))

    rc, out, _ = run(["run", "--list-scenarios"], c_env)
    scenarios = [l.split()[0] for l in out.splitlines() if l.strip()]
    ok(rc == 0 and len(scenarios) >= 10, "run --list-scenarios lists the scenarios", out)
    # scenario names are names (run --scenario NAME)
    KEEP_PHRASES[:0] = sorted(scenarios, key=len, reverse=True)
    rc, out, err = run(["run", "--list-scenarios"], ps_env)
    ok(not scan("--list-scenarios", out), "scenario summaries are translated",
       "\n".join(scan("--list-scenarios", out)))

    # --help of the program and of every command
    helps = []
    for args in (["--help"], ["run", "--help"], ["connect", "--help"], ["serve", "--help"],
                 ["verify", "--help"], ["open", "--help"], ["compare", "--help"], ["lesson", "--help"], ["gui", "--help"]):
        rc, out, err = run(args, ps_env)
        helps += scan(" ".join(args), out + err)
    ok(not helps, "every --help is translated", "\n".join(helps))

    # usage errors and an alert's reason on stderr
    errs = []
    for args in (["run", "--scenario", "no-such"], ["run", "--seed", "x"], ["nonsense"],
                 ["verify"], ["connect"], ["open", "/nonexistent.pcapng"]):
        rc, out, err = run(args, ps_env)
        errs += scan(" ".join(args), err)
    ok(not errs, "usage errors are translated", "\n".join(errs))

    # every scenario: the printed trace, the handout and the JSON
    for s in scenarios:
        html_file = os.path.join(tmp, s + ".html")
        json_ps = os.path.join(tmp, s + ".pseudo.json")
        json_c = os.path.join(tmp, s + ".c.json")
        rc, out, err = run(["run", "--scenario", s, "--detail", "full", "--html", html_file,
                            "--trace-json", json_ps], ps_env)
        problems = scan(f"run {s}", out + err)
        ok(rc in (0, 1) and not problems, f"run --scenario {s} --detail full is translated",
           "\n".join(problems))
        with open(html_file, encoding="utf-8") as f:
            problems = scan(f"{s}.html", html_text(f.read()))
        ok(not problems, f"HTML handout of {s} is translated", "\n".join(problems))
        run(["run", "--scenario", s, "--trace-json", json_c, "--quiet"], c_env)
        with open(json_c, encoding="utf-8") as a, open(json_ps, encoding="utf-8") as b:
            diffs = json_diff(json.load(a), json.load(b), "")
        ok(not diffs, f"JSON of {s}: same keys and machine values in every language", "\n".join(diffs))
        rc, out, err = run(["run", "--scenario", s, "--detail", "lesson"], ps_env)
        problems = scan(f"run {s} lesson", out + err)
        ok(not problems, f"run --scenario {s} --detail lesson is translated", "\n".join(problems))

    # every lesson of data/lessons: its goal, notes, questions and answers
    rc, out, _ = run(["lesson", "--list"], c_env)
    lessons = [l.split()[0] for l in out.splitlines() if l.strip()]
    ok(rc == 0 and len(lessons) >= 10, "lesson --list lists the lessons", out)
    KEEP_PHRASES[:0] = sorted(lessons, key=len, reverse=True)   # names, like scenarios
    rc, out, err = run(["lesson", "--list"], ps_env)
    problems = scan("lesson --list", out + err)
    ok(rc == 0 and not problems, "lesson titles are translated", "\n".join(problems))
    for name in lessons:
        rc, out, err = run(["lesson", name, "--brief"], ps_env)
        problems = scan(f"lesson {name}", out + err)
        ok(rc in (0, 1) and not problems and "«" in out,
           f"lesson {name}: goal, notes, questions and answers are translated", "\n".join(problems))

    if UI_TEXT:
        p = subprocess.run([UI_TEXT] + scenarios, env=ps_env, capture_output=True, text=True,
                           timeout=900)
        if p.returncode == 77:
            print(f"ok {n + 1} # SKIP the window: no display")
        else:
            problems = scan("window", p.stdout)
            ok(p.returncode == 0 and not problems and len(p.stdout.splitlines()) > 100,
               "the window's texts are translated", p.stderr[-2000:] + "\n".join(problems))
    print(f"1..{n + (1 if UI_TEXT and p.returncode == 77 else 0)}")
    sys.exit(1 if failures else 0)


# JSON: values programs read stay the same in every language.
MACHINE = {"format", "version", "scenario", "seed", "clock", "connection", "index", "actor",
           "kind", "observed", "content_type", "handshake_type", "bytes", "wire", "encrypted",
           "wire_offset", "result", "chosen_option", "alert_level", "alert_description", "parent",
           "offset", "length", "hex", "from_step", "compare_with"}
META_MACHINE = re.compile(r"conn\d+\.(version|suite|resumed)$")


def json_diff(a, b, path):
    out = []
    if type(a) != type(b):
        return [f"{path}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))} differ"]
        for k in a:
            p = f"{path}.{k}"
            if path.endswith("meta"):
                if META_MACHINE.match(k) and a[k] != b[k]:
                    out.append(f"{p}: {a[k]!r} vs {b[k]!r}")
                if k.endswith(".result") and a[k].split(":")[0:2][:1] != b[k].split(":")[0:2][:1]:
                    out.append(f"{p}: {a[k]!r} vs {b[k]!r}")
                if k.endswith(".result") and a[k].startswith("alert:") and \
                        a[k].split()[1] != b[k].split()[1]:
                    out.append(f"{p}: {a[k]!r} vs {b[k]!r}")
                continue
            if k in MACHINE and not isinstance(a[k], (dict, list)) and a[k] != b[k]:
                out.append(f"{p}: {a[k]!r} vs {b[k]!r}")
            elif k == "name" and path.split(".")[-1] not in ("meta",) and a[k] != b[k]:
                out.append(f"{p}: {a[k]!r} vs {b[k]!r}")
            else:
                out += json_diff(a[k], b[k], p)
    elif isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        for i, (x, y) in enumerate(zip(a, b)):
            out += json_diff(x, y, f"{path}[{i}]")
    return out[:20]


if __name__ == "__main__":
    main()
