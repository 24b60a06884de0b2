#!/usr/bin/env python3
"""interop-table.py — writes docs/interop.md from the table that
tests/test-interop.c measured (interop-results.tsv).

    interop-table.py RESULTS.tsv OUTPUT.md

One matrix per version: a row per cipher suite, a column per peer and
direction, each cell the handshake result with resumption and extended master
secret; then the other cases.  Run by test-interop when it has run the whole
matrix; can be run by hand on any results file.
"""
import csv
import datetime
import subprocess
import sys

COLUMNS = [
    ("our client -> peer server", "openssl", "our client → `openssl s_server`"),
    ("peer client -> our server", "openssl", "`openssl s_client` → our server"),
    ("our client -> peer server", "gnutls", "our client → `gnutls-serv`"),
    ("peer client -> our server", "gnutls", "`gnutls-cli` → our server"),
]


KX_ORDER = ["TLS_ECDHE_ECDSA_", "TLS_ECDHE_RSA_", "TLS_DHE_RSA_", "TLS_DHE_DSS_", "TLS_RSA_"]
CIPHER_ORDER = ["AES_128_GCM", "AES_256_GCM", "CHACHA20", "AES_128_CBC_SHA256",
                "AES_256_CBC_SHA256", "AES_256_CBC_SHA384", "AES_128_CBC_SHA",
                "AES_256_CBC_SHA", "3DES", "RC4_128_SHA", "RC4_128_MD5"]


def suite_key(name):
    """Key exchange, then cipher and MAC, in the order a class reads them."""
    kx = next((i for i, k in enumerate(KX_ORDER) if name.startswith(k)), len(KX_ORDER))
    rest = name.split("_WITH_", 1)[-1]
    ci = next((i for i, c in enumerate(CIPHER_ORDER)
               if rest == c or rest.startswith(c + "_") or (c.endswith("SHA") and rest == c)),
              len(CIPHER_ORDER))
    return (kx, ci, name)


def peer_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
        return out.splitlines()[0].strip() if out else "not installed"
    except (OSError, subprocess.SubprocessError):
        return "not installed"


def cell(row):
    if row is None:
        return "—"
    result = row["handshake"]
    if result == "ok":
        text = "ok"
    elif result in ("skipped", "not checked", "n/a"):
        return result
    else:
        text = "**FAIL**"
    extras = []
    if row["resumed"] == "yes":
        extras.append("resumed")
    elif row["resumed"] == "no":
        extras.append("**not resumed**")
    if row["ems"] == "yes":
        extras.append("EMS")
    elif row["ems"] == "no":
        extras.append("no EMS")
    return text + (" (" + ", ".join(extras) + ")" if extras else "")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))

    matrix = {}
    versions = []
    suites = {}
    others = []
    for r in rows:
        key = (r["direction"], r["peer"])
        if key in [(c[0], c[1]) for c in COLUMNS] and r["suite"].startswith("TLS_") \
                and " " not in r["suite"]:
            if r["version"] not in versions:
                versions.append(r["version"])
            suites.setdefault(r["version"], [])
            if r["suite"] not in suites[r["version"]]:
                suites[r["version"]].append(r["suite"])
            matrix[(r["version"], r["suite"]) + key] = r
        else:
            others.append(r)

    out = []
    out.append("# Interop: Handshake Lab against OpenSSL and GnuTLS\n")
    out.append("Measured by `meson test interop` (tests/test-interop.c): real peer "
               "processes on 127.0.0.1, started and stopped by the test.  This page is "
               "written by tests/interop-table.py each time the whole matrix runs; do not "
               "edit it by hand.\n")
    out.append("- measured: %s" % datetime.date.today().isoformat())
    out.append("- OpenSSL: %s" % peer_version(["openssl", "version"]))
    out.append("- GnuTLS: %s" % peer_version(["gnutls-cli", "--version"]))
    out.append("")
    out.append("Each cell: the handshake; then whether a second connection resumed the "
               "session (by session ID: `connect --reconnect`, `openssl s_client -reconnect "
               "-no_ticket`, `gnutls-cli --resume`), and whether the extended master secret "
               "(RFC 7627) was negotiated.  The static DH_RSA and DH_DSS suites are not here: no "
               "live peer speaks them (they run between our own client and server only).\n")
    for v in versions:
        out.append("## %s\n" % v)
        out.append("| cipher suite | " + " | ".join(c[2] for c in COLUMNS) + " |")
        out.append("|---" * (len(COLUMNS) + 1) + "|")
        for s in sorted(suites[v], key=suite_key):
            cells = [cell(matrix.get((v, s, c[0], c[1]))) for c in COLUMNS]
            out.append("| `%s` | %s |" % (s, " | ".join(cells)))
        out.append("")
    if others:
        out.append("## Other cases\n")
        out.append("The demo PKI cases (data/pki/README.md) check our client's chain "
                   "validation against a real server: \"ok\" means the expected verdict, "
                   "shown with the alert our client sent.\n")
        out.append("| case | version | direction | peer | result | verdict |")
        out.append("|---|---|---|---|---|---|")
        for r in others:
            note = r.get("note", "").strip() if r["handshake"] == "ok" else ""
            out.append("| %s | %s | %s | %s | %s | %s |" % (r["suite"], r["version"],
                                                        r["direction"], r["peer"], cell(r),
                                                        note))
        out.append("")
    na = {}
    for r in rows:
        if r["handshake"] == "n/a":
            reason = "%s (%s)" % (r.get("note", "").strip() or "not available", r["peer"])
            na.setdefault(reason, {}).setdefault(r["suite"], set()).add(r["version"])
    if na:
        out.append("## Not applicable\n")
        out.append("Cases the peer cannot run (“n/a” above); they are not failures.\n")
        for reason, suites_na in na.items():
            items = ["`%s` (%s)" % (su, ", ".join(sorted(vs)))
                     for su, vs in sorted(suites_na.items(), key=lambda kv: suite_key(kv[0]))]
            out.append("- %s: %s" % (reason, "; ".join(items)))
        out.append("")
    unchecked = [r for r in rows if r["handshake"] == "not checked"]
    if unchecked:
        out.append("“not checked”: the handshake ran but our client did not validate the "
                   "chain yet (the trace says so), so the case measures nothing.\n")
    failures = [r for r in rows if r["handshake"] == "FAIL"]
    if failures:
        out.append("## Failures\n")
        for r in failures:
            note = r.get("note", "").strip()
            out.append("- %s, %s, %s: %s" % (r["suite"], r["direction"], r["peer"],
                                              note[:300] if note else "see the test log"))
        out.append("")

    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
