"""Run every test suite: untranslated RPython tests under Python 2.7, then
the controller and translated end-to-end tests under Python 3.

The translated suite's binaries (tests/translated/builds.py) start
translating at once, in the background (rplug.prebuild), one per CPU, while
the two untranslated suites run; the translated suite then finds most of
them done, and waits, binary by binary, for the rest.  On a fresh 2-core
machine this is the difference between more than 90 minutes (CI's limit,
which the serial run overran) and 59 (measured, set-up included):
translations are nine tenths of the work, and each is one CPU-bound process.

``RPLUG_PREBUILD=0`` leaves the background translations out (for a run
narrowed with pytest arguments); ``RPLUG_TRANSLATIONS`` overrides how many
translate at once.  All suites always run; the exit status is non-zero if any failed.  Each
phase prints its start and length, so a CI log shows where the time went.
Usage: python -m rplug.testall [extra pytest args for every suite]
"""
import os
import subprocess
import sys
import time

from rplug import paths

SUITES = (
    ("untranslated RPython tests (Python 2.7)", paths.PY2_VENV, ["tests/untranslated"]),
    ("controller tests (Python 3)", paths.PY3_VENV, ["tests/controller"]),
    ("translated tests (Python 3)", paths.PY3_VENV, ["tests/translated"]),
)
NO_TESTS_COLLECTED = 5
STARTED = time.time()


def say(text):
    print("=== [%s, %5.1f min] %s ===" % (time.strftime("%H:%M:%S"),
                                         (time.time() - STARTED) / 60, text), flush=True)


def start_prebuild(jobs):
    """The background translation of the suite's binaries (its output goes to a log)."""
    os.makedirs(paths.LOG_DIR, exist_ok=True)
    log_path = os.path.join(paths.LOG_DIR, "prebuild-%s.log" % time.strftime("%Y%m%d-%H%M%S"))
    log = open(log_path, "w")
    python = os.path.join(paths.PY3_VENV, "bin", "python")
    proc = subprocess.Popen([python, "-m", "rplug.prebuild", "--jobs", str(jobs)],
                            cwd=paths.PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    say("translating the translated suite's binaries in the background, %d at once "
        "(log: %s)" % (jobs, log_path))
    return proc, log, log_path


def main(argv=None):
    extra = list(sys.argv[1:] if argv is None else argv)
    jobs = int(os.environ.get("RPLUG_TRANSLATIONS") or os.cpu_count() or 1)
    os.environ["RPLUG_TRANSLATIONS"] = str(jobs)
    prebuild = None
    if os.environ.get("RPLUG_PREBUILD", "1") != "0":
        prebuild, log, log_path = start_prebuild(jobs)
    failed = []
    finished = False
    try:
        for title, venv, targets in SUITES:
            say(title)
            python = os.path.join(venv, "bin", "python")
            code = subprocess.call([python, "-m", "pytest", "-q", "-rs"] + targets + extra,
                                   cwd=paths.PROJECT_ROOT)
            if code not in (0, NO_TESTS_COLLECTED):
                failed.append(title)
            elif code == NO_TESTS_COLLECTED:
                print("(%s: no tests collected)" % title, flush=True)
        finished = True
    finally:
        if prebuild is not None:
            if not finished:
                prebuild.terminate()
            elif prebuild.poll() is None:
                say("waiting for the background translations")
            prebuild.wait()
            log.close()
    if prebuild is not None:
        with open(log_path) as f:
            print(f.read(), end="", flush=True)
    if failed:
        say("FAILED suites: %s" % ", ".join(failed))
        return 1
    say("all suites passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
