"""The rlua JIT binary the Lua benchmarks time: the given path, or the build
cache's (translated on first use, shared with tests/translated)."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def ensure_rlua(path):
    if path:
        return path
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests" / "translated"))
    from rplug.buildcache import cached_translate
    from builds import RLUA_JIT_OPTIONS
    return cached_translate(str(ROOT / "targets" / "lua" / "targetlua.py"),
                            options=RLUA_JIT_OPTIONS)
