"""Translation time per architecture, as a ratio against x86-64 in the same run.

Each architecture's translation of the same target runs fresh (never from
build/bin-cache), one after the other under rplug's translation lock; the
phases come from the front end's progress markers, so the report shows where
a cross translation spends its extra time (the probes run under qemu-user
during annotation and rtyping, the cross gcc in compile_c).  The binaries are
then run once through qemu to time a short workload (rpystone, 20 million passes
by default), against the native binary.  Each translation runs ``--rounds``
times (default 2, rounds interleaved across architectures) and the fastest
counts, so that a cold first run or another process's load does not decide
a ratio.

Usage: build/py3/bin/python bench/cross/run.py [--arch A,B,...]
           [--target TARGET.py] [--args "ARGS"] [--opt 2|jit] [--rounds N]
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from rplug import paths  # noqa: E402
from rplug.build import ARCHES, HOST_ARCH, command, missing_tools  # noqa: E402

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
RPYSTONE = os.path.join(paths.PY2_VENV, "lib", "python2.7", "site-packages", "rpython",
                        "translator", "goal", "targetrpystonedalone.py")
PHASE_LINE = re.compile(r"^\[rplug +[0-9.]+s\]   (\w+) done in ([0-9.]+)s")
GROUPS = {"annotate": "annotate", "rtype_lltype": "rtype", "database_c": "database",
          "compile_c": "compile_c"}


def translate(target, arch, opt, workdir):
    """(wall seconds, {phase group: seconds}) of one fresh translation."""
    output = os.path.join(workdir, "%s-%s" % (os.path.basename(target)[:-3], arch))
    cmd = [RPLUG, "translate", "--output", output, "--opt=%s" % opt]
    if arch != HOST_ARCH:
        cmd.append("--arch=%s" % arch)
    started = time.perf_counter()
    proc = subprocess.run(cmd + [target], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit("translation for %s failed:\n%s" % (arch, proc.stdout[-2000:]))
    waited = re.search(r"^\[rplug +([0-9.]+)s\] translating ", proc.stdout, re.M)
    if waited:      # time spent waiting for another translation's lock
        seconds -= float(waited.group(1))
    phases = {}
    for line in proc.stdout.splitlines():
        match = PHASE_LINE.match(line)
        if match:
            group = GROUPS.get(match.group(1), "other")
            phases[group] = phases.get(group, 0.0) + float(match.group(2))
    return output, seconds, phases


def run_time(binary, args):
    best = None
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command(binary, *args), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", default=",".join(ARCHES))
    parser.add_argument("--target", default=RPYSTONE)
    parser.add_argument("--args", default="pystone 20000000",
                        help="arguments of the timed run of each binary")
    parser.add_argument("--opt", default="2")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    arches = [a for a in args.arch.split(",") if a]
    if HOST_ARCH not in arches:
        arches.insert(0, HOST_ARCH)     # the reference of the ratios
    arches.sort(key=lambda a: a != HOST_ARCH)
    missing = sorted({t for a in arches for t in missing_tools(a)})
    if missing:
        raise SystemExit("missing %s; run `make setup`" % ", ".join(missing))
    workdir = tempfile.mkdtemp(prefix="cross-", dir=paths.BUILD_DIR)
    best = {}
    for round_number in range(1, args.rounds + 1):
        for arch in arches:
            print("round %d: translating %s for %s..." % (
                round_number, os.path.basename(args.target), arch), file=sys.stderr, flush=True)
            binary, seconds, phases = translate(args.target, arch, args.opt, workdir)
            if arch not in best or seconds < best[arch][1]:
                best[arch] = (binary, seconds, phases)
    rows = []
    for arch in arches:
        binary, seconds, phases = best[arch]
        rows.append((arch, seconds, phases, run_time(binary, shlex.split(args.args))))
    shutil.rmtree(workdir, ignore_errors=True)
    base_seconds, base_runtime = rows[0][1], rows[0][3]
    print("target %s, --opt=%s, run: %s" % (os.path.relpath(args.target, ROOT), args.opt,
                                            args.args))
    print("%-8s %11s %6s %9s %7s %9s %9s %9s %7s" % (
        "arch", "translation", "ratio", "annotate", "rtype", "database", "compile_c",
        "run", "ratio"))
    for arch, seconds, phases, runtime in rows:
        print("%-8s %10.1fs %5.2fx %8.1fs %6.1fs %8.1fs %8.1fs %8.2fs %6.1fx" % (
            arch, seconds, seconds / base_seconds, phases.get("annotate", 0),
            phases.get("rtype", 0), phases.get("database", 0), phases.get("compile_c", 0),
            runtime, runtime / base_runtime))
    print("(translation: best of %d rounds; run: best of 3 wall-clock runs, foreign "
          "binaries under qemu-user)" % args.rounds)


if __name__ == "__main__":
    main()
