"""rlua (targets/lua, --opt=jit) against PUC Lua 5.4 and LuaJIT on nine
benchmark scripts, all measured in the same run.

    build/py3/bin/python bench/lua/run.py [--repeat N] [--only NAME,...]
        [--scale F] [--rlua PATH] [--rlua-nojit PATH] [--timeout SECONDS]

The scripts (bench/lua/*.lua) are plain Lua that runs unchanged on Lua 5.4
and LuaJIT (no integer division or bitwise operators); each takes its size
as its first argument (SIZES below, times --scale for the linear ones) and
prints a result, which must be the same for every interpreter (the run
stops otherwise).

Interpreters: rlua-jit (the --opt=jit build, translated through the same
cache as the tests when --rlua is not given), rlua-nojit when
--rlua-nojit names a plain build, `lua5.4` and `luajit` when on PATH.
Each (interpreter, script) is timed --repeat times as a whole process
(start-up included, so JIT warm-up counts) and the best wall time kept.

Printed: best seconds per script and interpreter; then, per script and as
a geometric mean, lua5.4 time / rlua-jit time (above 1: rlua-jit is that
many times faster than PUC Lua) and rlua-jit time / luajit time (how many
times slower than LuaJIT rlua-jit is).  Nothing here checks the figures.
"""
import argparse
import math
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from rlua_build import ensure_rlua  # noqa: E402
SCRIPTS = pathlib.Path(__file__).resolve().parent

# script -> (default size, whether the size scales linearly with --scale)
SIZES = {
    "fib": (35, False),
    "binary_trees": (14, False),
    "nbody": (200000, True),
    "spectral_norm": (500, False),
    "fannkuch_redux": (9, False),
    "mandelbrot": (800, False),
    "string_building": (300000, True),
    "table_records": (100000, True),
    "table_sort": (200000, True),
}


def interpreters(args):
    found = [("rlua-jit", ensure_rlua(args.rlua))]
    if args.rlua_nojit:
        found.append(("rlua-nojit", args.rlua_nojit))
    for name in ("lua5.4", "luajit"):
        path = shutil.which(name)
        if path:
            found.append((name, path))
        else:
            print("note: %s not found on PATH, its column is left out" % name)
    return found


def size_of(name, scale):
    size, linear = SIZES[name]
    return max(1, int(size * scale)) if linear else size


def time_once(command, timeout):
    """(wall seconds, stdout) of one run; raises on failure."""
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=timeout)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit("%s failed with status %d:\n%s" % (
            " ".join(command), result.returncode, result.stderr.decode(errors="replace")))
    return elapsed, result.stdout.decode(errors="replace")


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--only", default="", help="comma-separated script names")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies the sizes of the linearly scaling scripts")
    parser.add_argument("--rlua", default="", help="rlua --opt=jit binary (default: cached build)")
    parser.add_argument("--rlua-nojit", default="", help="a plain rlua build, for its column")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    args = parser.parse_args()
    names = list(SIZES)
    if args.only:
        wanted = args.only.split(",")
        unknown = [name for name in wanted if name not in SIZES]
        if unknown:
            raise SystemExit("unknown benchmark(s) %s; known: %s" % (
                ", ".join(unknown), ", ".join(SIZES)))
        names = [name for name in names if name in wanted]
    found = interpreters(args)
    columns = [name for name, _ in found]
    print("best wall seconds of %d runs (process start-up included)" % args.repeat)
    print("%-16s%8s" % ("benchmark", "size") + "".join("%12s" % c for c in columns))
    seconds = {}
    for name in names:
        size = size_of(name, args.scale)
        outputs = {}
        for column, binary in found:
            command = [binary, str(SCRIPTS / (name + ".lua")), str(size)]
            best = None
            for _ in range(args.repeat):
                elapsed, out = time_once(command, args.timeout)
                best = elapsed if best is None else min(best, elapsed)
                outputs[column] = out
            seconds[name, column] = best
        reference = outputs[columns[-1]] if "lua5.4" not in outputs else outputs["lua5.4"]
        for column in columns:
            if outputs[column] != reference:
                raise SystemExit("%s prints something else for %s:\n%s\nexpected:\n%s" % (
                    column, name, outputs[column], reference))
        print("%-16s%8s" % (name, size) + "".join(
            "%12.3f" % seconds[name, c] for c in columns), flush=True)
    print()
    for column in columns:
        if column == "rlua-jit":
            continue
        if column == "luajit":
            title = "rlua-jit time / luajit time (how many times slower than LuaJIT)"
            ratios = [seconds[n, "rlua-jit"] / seconds[n, column] for n in names]
        else:
            title = "%s time / rlua-jit time (above 1: rlua-jit is faster)" % column
            ratios = [seconds[n, column] / seconds[n, "rlua-jit"] for n in names]
        print(title)
        print("  " + "  ".join("%s %.2f" % (n, r) for n, r in zip(names, ratios)))
        print("  geometric mean %.2f" % geomean(ratios))


if __name__ == "__main__":
    main()
