"""The translations tests/translated asks for, so they can be made beforehand.

``rplug.prebuild`` (started by ``rplug.testall`` while the untranslated and
controller suites run) translates these into the build cache, longest
first, in as many parallel slots as ``RPLUG_TRANSLATIONS`` allows; the tests
then find them current.  A test may ask for a build missing here: it is
translated when asked and named in the run's summary (conftest.py), the cue
to add it.  ``seconds`` is the cost measured on this 2-core machine, used
only to order the work.
"""
import os

from rplug import paths
from rplug.build import ARCHES, HOST_ARCH

ROOT = paths.PROJECT_ROOT
PROBES = os.path.join(ROOT, "targets", "probes")
GOALS = os.path.join(paths.PY2_VENV, "lib", "python2.7", "site-packages",
                     "rpython", "translator", "goal")
LUA = os.path.join(ROOT, "targets", "lua", "targetlua.py")
JSONTOOL = os.path.join(ROOT, "targets", "jsontool", "targetjsontool.py")
JIT_PROBE = os.path.join(PROBES, "targetjitprobe.py")
ENDIAN_PROBE = os.path.join(PROBES, "targetendianprobe.py")
SANDBOX_PROBE = os.path.join(PROBES, "targetsandboxprobe.py")
RAW_SYSCALL = os.path.join(PROBES, "targetrawsyscall.py")
FOREIGN_SANDBOX_OPTIONS = ["--sandbox", "--sandbox-seccomp=off"]
JIT_ARCHES = ("ppc64le", "s390x")
# the Lua JIT build of the tests and bench/lua (a 4 MB nursery: see
# translator_plugins/gcnursery.py and targets/lua/README.md)
RLUA_JIT_OPTIONS = ["--opt=jit", "--gc-nursery=4MB"]


def foreign_arches():
    """The foreign CPUs under test (``RPLUG_TEST_ARCHES`` may narrow them)."""
    selected = os.environ.get("RPLUG_TEST_ARCHES")
    return [a for a in ARCHES if a != HOST_ARCH and (not selected or a in selected.split(","))]


def build(target, options=(), arch=None, seconds=None):
    assert seconds is not None, "give each build its measured cost"
    return {"target": target, "options": list(options), "arch": arch, "seconds": seconds}


def builds():
    """Every (target, options, arch) of the suite, with its measured cost."""
    foreign = foreign_arches()
    wanted = [
        build(LUA, RLUA_JIT_OPTIONS, seconds=1200),
        build(LUA, seconds=170),
        build(LUA, ["--sandbox"], seconds=200),
        build(JIT_PROBE, ["--opt=jit", "--sandbox"], seconds=700),
        build(JSONTOOL, seconds=65),
        build(JSONTOOL, ["--sandbox"], seconds=75),
        build(SANDBOX_PROBE, ["--sandbox"], seconds=45),
        build(SANDBOX_PROBE, seconds=40),
        build(RAW_SYSCALL, ["--sandbox"], seconds=40),
        build(RAW_SYSCALL, ["--sandbox", "--sandbox-seccomp=off"], seconds=40),
        build(ENDIAN_PROBE, seconds=40),
        build(os.path.join(GOALS, "targetnopstandalone.py"), ["--gc-nursery=4MB"], seconds=35),
    ]
    wanted += [build(os.path.join(GOALS, name + ".py"), seconds=35) for name in
               ("targetnopstandalone", "targetrpystonedalone", "targetsha1sum",
                "targetreadlines")]
    for arch in foreign:
        wanted += [build(ENDIAN_PROBE, arch=arch, seconds=50),
                   build(SANDBOX_PROBE, FOREIGN_SANDBOX_OPTIONS, arch=arch, seconds=60),
                   build(JSONTOOL, arch=arch, seconds=100)]
        if arch in JIT_ARCHES:
            wanted.append(build(JIT_PROBE, ["--opt=jit"], arch=arch, seconds=800))
    if "s390x" in foreign:
        wanted.append(build(os.path.join(GOALS, "targetsha1sum.py"), arch="s390x", seconds=45))
    return sorted(wanted, key=lambda b: -b["seconds"])
