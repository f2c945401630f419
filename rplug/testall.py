"""Run every test suite: untranslated RPython tests under Python 2.7, then
the controller and translated end-to-end tests under Python 3.

Both suites always run; the exit status is non-zero if either failed.
Usage: python -m rplug.testall [extra pytest args for both]
"""
import os
import subprocess
import sys

from rplug import paths

SUITES = (
    ("untranslated RPython tests (Python 2.7)", paths.PY2_VENV, ["tests/untranslated"]),
    ("controller and translated tests (Python 3)", paths.PY3_VENV,
     ["tests/controller", "tests/translated"]),
)
NO_TESTS_COLLECTED = 5


def main(argv=None):
    extra = list(sys.argv[1:] if argv is None else argv)
    failed = []
    for title, venv, targets in SUITES:
        print("=== %s ===" % title, flush=True)
        python = os.path.join(venv, "bin", "python")
        code = subprocess.call([python, "-m", "pytest", "-q", "-rs"] + targets + extra,
                               cwd=paths.PROJECT_ROOT)
        if code not in (0, NO_TESTS_COLLECTED):
            failed.append(title)
        elif code == NO_TESTS_COLLECTED:
            print("(%s: no tests collected)" % title, flush=True)
    if failed:
        print("FAILED suites: %s" % ", ".join(failed), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
