"""`make demo`: translate the flagship target with --sandbox and run a script in it.

The Lua interpreter (targets/lua) is translated with `--sandbox` (reused
from build/bin-cache when its inputs are unchanged), then
targets/lua/examples/demo.lua runs inside it under `rplug run`, with the
examples directory mounted read-only at /demo and build/demo/tmp as /tmp.
"""
import os
import subprocess
import sys

from rplug import paths
from rplug.buildcache import cached_translate
from rplug.translate import TranslationError

TARGET = os.path.join(paths.PROJECT_ROOT, "targets", "lua", "targetlua.py")
EXAMPLES = os.path.join(paths.PROJECT_ROOT, "targets", "lua", "examples")
SCRIPT = "/demo/demo.lua"


def main():
    print("[demo] translating %s with --sandbox (cached when unchanged)" % TARGET, flush=True)
    try:
        binary = cached_translate(TARGET, ["--sandbox"], quiet=False, out=sys.stdout)
    except TranslationError as error:
        print("demo: error: %s" % error, file=sys.stderr)
        return 1
    tmp_dir = os.path.join(paths.BUILD_DIR, "demo", "tmp")
    os.makedirs(tmp_dir, exist_ok=True)
    command = [os.path.join(paths.PY3_VENV, "bin", "rplug"), "run",
               "--mount", "%s:/demo:ro" % EXAMPLES, "--tmp", tmp_dir,
               "--env", "USER=demo", "--timeout", "60", binary, SCRIPT]
    print("[demo] $ %s" % " ".join(command), flush=True)
    status = subprocess.call(command)
    report = os.path.join(tmp_dir, "report.txt")
    if os.path.exists(report):
        with open(report) as f:
            print("[demo] the host sees %s: %s" % (report, f.read().strip()))
    print("[demo] exit status %d" % status)
    return status


if __name__ == "__main__":
    sys.exit(main())
