"""Sandboxed calls per second and start-up time, as ratios against peers.

Peers measured in the same run:
- a C pipe ping-pong between two processes (the physical limit of any
  request/answer protocol on this machine);
- the same probe translated without --sandbox (a real getpid() per call).

Usage: build/py3/bin/python bench/sandbox/run.py [--calls N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from rplug.buildcache import cached_translate  # noqa: E402

PROBE = os.path.join(ROOT, "targets", "probes", "targetsandboxprobe.py")
RPLUG = os.path.join(ROOT, "build", "py3", "bin", "rplug")


def best_of(runs, func):
    return max(func() for _ in range(runs))


def pingpong_rate(calls):
    exe = os.path.join(tempfile.mkdtemp(prefix="rplug-bench-"), "pingpong")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "pingpong.c")], check=True)
    return best_of(3, lambda: float(subprocess.run([exe, str(calls)], capture_output=True,
                                                   check=True).stdout))


def timed(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - started


def sandboxed_rate(binary, calls):
    # subtract the start-up cost measured with a single call
    def rate():
        full = timed([RPLUG, "run", binary, "getpid", str(calls)])
        empty = timed([RPLUG, "run", binary, "getpid", "1"])
        return calls / max(full - empty, 1e-9)
    return best_of(3, rate)


def plain_rate(binary, calls):
    def rate():
        full = timed([binary, "getpid", str(calls)])
        empty = timed([binary, "getpid", "1"])
        return calls / max(full - empty, 1e-9)
    return best_of(3, rate)


def startup_ms(binary):
    samples = [timed([RPLUG, "run", binary, "args", "hello"]) for _ in range(15)]
    return statistics.median(samples) * 1000


def python_startup_ms():
    samples = [timed([sys.executable, "-c", "pass"]) for _ in range(15)]
    return statistics.median(samples) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200000)
    args = parser.parse_args()
    sandboxed = cached_translate(PROBE, ["--sandbox"])
    plain = cached_translate(PROBE)

    limit = pingpong_rate(args.calls)
    boxed = sandboxed_rate(sandboxed, args.calls)
    native = plain_rate(plain, args.calls)
    print("sandboxed calls/s:            %10.0f" % boxed)
    print("C pipe ping-pong round trips: %10.0f" % limit)
    print("unsandboxed getpid() calls/s: %10.0f" % native)
    print("ratio sandboxed / ping-pong:  %10.2f   (target >= 0.50)" % (boxed / limit))
    print("ratio sandboxed / unsandboxed:%10.4f" % (boxed / native))
    start = startup_ms(sandboxed)
    bare = python_startup_ms()
    print("start-up of a sandboxed hello under rplug run: %.1f ms (target < 20 ms); "
          "bare `python3 -c pass`: %.1f ms; ratio %.2f" % (start, bare, start / bare))


if __name__ == "__main__":
    main()
