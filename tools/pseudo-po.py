#!/usr/bin/env python3
"""pseudo-po.py POT OUT.po — a pseudo-translation of a .pot, for testing.

Every msgstr is its msgid with the ASCII vowels and a few consonants
accented and the text wrapped in « », leading and trailing white space kept
outside the marks.  printf conversions (%s, %1$s, %.1f, %zu...), markup
tags (<b>, </span>), entities (&amp;) and backslash escapes are kept as they
are, so `msgfmt --check` accepts the catalog.  Text a program prints through
it is therefore easy to tell from text that never went through gettext:
every translated word has an accented letter (tests/test-i18n.py).
"""
import re
import sys

ACCENTS = str.maketrans("aeiouAEIOUcnCN", "áéíóúÁÉÍÓÚçñÇÑ")
# Kept verbatim: printf conversions, markup tags and entities, {braced} names.
KEEP = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[A-Za-z%]"
                  r"|<[^<>]*>|&[#\w]+;")


def unquote(s):
    """The value of a PO string literal (without its quotes)."""
    out, i = [], 0
    esc = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v"}
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append(esc.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    s = s.replace("\r", "\\r")
    return '"' + s + '"'


def pseudo(text):
    if text == "":
        return ""
    m = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S)
    lead, core, trail = m.group(1), m.group(2), m.group(3)
    parts, pos = [], 0
    for k in KEEP.finditer(core):
        parts.append(core[pos:k.start()].translate(ACCENTS))
        parts.append(k.group(0))
        pos = k.end()
    parts.append(core[pos:].translate(ACCENTS))
    return lead + "«" + "".join(parts) + "»" + trail


def entries(lines):
    """Yield dicts {keyword: value} for each entry of a .po/.pot."""
    entry, key = {}, None
    for line in lines + [""]:
        line = line.rstrip("\n")
        if line.startswith("#") or line.strip() == "":
            if line.startswith("#,"):
                entry.setdefault("#,", line)
            if line.strip() == "" and entry.get("msgid") is not None:
                yield entry
                entry, key = {}, None
            continue
        if line.startswith('"'):
            entry[key] += unquote(line[1:-1])
            continue
        key, _, rest = line.partition(" ")
        entry[key] = unquote(rest.strip()[1:-1])


def main():
    pot, out = sys.argv[1], sys.argv[2]
    with open(pot, encoding="utf-8") as f:
        lines = f.readlines()
    res = []
    for e in entries(lines):
        if e["msgid"] == "":
            res.append('msgid ""\nmsgstr ""\n'
                       '"Project-Id-Version: handshake-lab\\n"\n'
                       '"PO-Revision-Date: 2026-01-01 00:00+0000\\n"\n'
                       '"Last-Translator: tools/pseudo-po.py\\n"\n'
                       '"Language-Team: none\\n"\n'
                       '"Language: en@pseudo\\n"\n'
                       '"MIME-Version: 1.0\\n"\n'
                       '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                       '"Content-Transfer-Encoding: 8bit\\n"\n'
                       '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
            continue
        block = []
        if "#," in e:
            block.append(e["#,"].replace("fuzzy, ", "").replace(", fuzzy", ""))
        if "msgctxt" in e:
            block.append("msgctxt " + quote(e["msgctxt"]))
        block.append("msgid " + quote(e["msgid"]))
        if "msgid_plural" in e:
            block.append("msgid_plural " + quote(e["msgid_plural"]))
            block.append("msgstr[0] " + quote(pseudo(e["msgid"])))
            block.append("msgstr[1] " + quote(pseudo(e["msgid_plural"])))
        else:
            block.append("msgstr " + quote(pseudo(e["msgid"])))
        res.append("\n".join(block) + "\n")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(res))


if __name__ == "__main__":
    main()
