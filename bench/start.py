#!/usr/bin/env python3
"""Start to first frame of `handshake-lab gui`, one or more builds side by side.

    xvfb-run -a -s "-screen 0 1024x768x24" bench/start.py [-n 11] [--size 1024x768] \
        BUILD_DIR_OR_BINARY...

Starts each binary RUNS times, alternating between them start by start, with
$HANDSHAKE_LAB_REPORT_FIRST_FRAME set: the program prints the monotonic time
of its first painted frame ("first-frame T") and quits.  A start is timed from
just before the spawn (CLOCK_MONOTONIC, the clock of g_get_monotonic_time) to
that time; the CPU time of the process (user + system, all its threads, until
it exits just after the frame) is printed beside it, as it moves less with the
machine's load.  The first round only warms the page cache and is dropped.  The
renderer is the environment's: set GSK_RENDERER=cairo, or leave it unset for
the one `gui` chooses.  Prints the median and p25-p75 of each binary, in ms.
Nothing is asserted: this is a measurement (bench/README.md).
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def binary(path):
    if os.path.isdir(path):
        path = os.path.join(path, "app", "handshake-lab")
    if not os.access(path, os.X_OK):
        sys.exit(f"start.py: no program at {path}")
    return path


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one_start(prog, args, env):
    c0 = cpu_of_children()
    t0 = time.monotonic_ns() // 1000
    out = subprocess.run([prog, "gui"] + args, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, timeout=60, check=False).stdout
    cpu = (cpu_of_children() - c0) * 1000.0
    for line in out.decode(errors="replace").splitlines():
        if line.startswith("first-frame "):
            return (int(line.split()[1]) - t0) / 1000.0, cpu
    sys.exit(f"start.py: {prog} printed no first frame")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--runs", type=int, default=11, help="starts per binary, the first dropped")
    ap.add_argument("--size", default="1024x768")
    ap.add_argument("--scenario", default="full")
    ap.add_argument("programs", nargs="+")
    opts = ap.parse_args()
    progs = [binary(p) for p in opts.programs]
    env = dict(os.environ, HANDSHAKE_LAB_REPORT_FIRST_FRAME="1")
    args = ["--scenario", opts.scenario, "--size", opts.size]
    times = {p: [] for p in progs}
    cpus = {p: [] for p in progs}
    for i in range(opts.runs):
        for p in progs:
            ms, cpu = one_start(p, args, env)
            if i > 0:
                times[p].append(ms)
                cpus[p].append(cpu)
    print(f"start to first frame, gui {' '.join(args)}, GSK_RENDERER="
          f"{os.environ.get('GSK_RENDERER', '(unset)')}, n={opts.runs - 1}, load {os.getloadavg()[0]:.1f}")
    for p in progs:
        t = sorted(times[p])
        q = statistics.quantiles(t, n=4) if len(t) > 1 else [t[0], t[0], t[0]]
        print(f"  {p}: median {statistics.median(t):.0f} ms (p25-p75 {q[0]:.0f}-{q[2]:.0f}),"
              f" min {t[0]:.0f}, max {t[-1]:.0f}; CPU median {statistics.median(cpus[p]):.0f} ms")


if __name__ == "__main__":
    main()
