"""The rlua JIT binary the Lua benchmarks time: the given path, or the build
cache's (translated on first use, shared with tests/translated)."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def ensure_rlua(path):
    if path:
        return path
    sys.path.insert(0, str(ROOT))
    from rplug.buildcache import cached_translate
    return cached_translate(str(ROOT / "targets" / "lua" / "targetlua.py"),
                            options=["--opt=jit"])
