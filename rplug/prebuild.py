"""Translate the translated suite's binaries into the build cache ahead of it.

On a fresh machine the translated tests would otherwise translate one binary
at a time, in test order, with the long JIT builds last on the critical
path.  This takes the list in tests/translated/builds.py and translates it
longest first, ``--jobs`` at a time (each translation is one CPU-bound
process; the slots of rplug.translate bound the total across processes).
A failed build is reported and the rest go on: the test that needs it asks
again and fails with the translation's own error.

Usage: python -m rplug.prebuild [--jobs N] [--list]
"""
import argparse
import concurrent.futures
import importlib.util
import os
import sys
import time

from rplug import paths
from rplug.buildcache import cached_translate
from rplug.translate import TranslationError

BUILDS_FILE = os.path.join(paths.PROJECT_ROOT, "tests", "translated", "builds.py")


def load_builds(path=BUILDS_FILE):
    spec = importlib.util.spec_from_file_location("rplug_suite_builds", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.builds()


def describe(build):
    words = [os.path.relpath(build["target"], paths.PROJECT_ROOT)] + build["options"]
    if build["arch"]:
        words.append("--arch=%s" % build["arch"])
    return " ".join(words)


def _one(build):
    started = time.time()
    try:
        cached_translate(build["target"], build["options"], arch=build["arch"])
    except TranslationError as e:
        return build, time.time() - started, str(e)
    return build, time.time() - started, None


def prebuild(builds, jobs, out=sys.stdout):
    """Translate ``builds`` (in order, ``jobs`` at once); returns the failures."""
    failures = []
    # give way to translations somebody waits for (rplug.translate)
    os.environ["RPLUG_TRANSLATION_BACKGROUND"] = "1"
    # at least one slot a worker, or the workers would queue for one another
    slots = int(os.environ.get("RPLUG_TRANSLATIONS") or 1)
    os.environ["RPLUG_TRANSLATIONS"] = str(max(jobs, slots))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_one, build) for build in builds]
        for future in concurrent.futures.as_completed(futures):
            build, seconds, error = future.result()
            status = "FAILED" if error else "ok"
            out.write("[prebuild %6.0fs] %s %s\n" % (seconds, status, describe(build)))
            out.flush()
            if error:
                failures.append((build, error))
    for build, error in failures:
        out.write("[prebuild] %s failed:\n%s\n" % (describe(build), error))
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rplug.prebuild", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="translations at once (default: the number of CPUs)")
    parser.add_argument("--list", action="store_true", help="print the builds and stop")
    args = parser.parse_args(argv)
    builds = load_builds()
    if args.list:
        for build in builds:
            print("%6d s  %s" % (build["seconds"], describe(build)))
        return 0
    return 1 if prebuild(builds, args.jobs) else 0


if __name__ == "__main__":
    sys.exit(main())
