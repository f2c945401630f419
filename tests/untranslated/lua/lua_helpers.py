"""Running Lua snippets on the untranslated interpreter, and on lua5.4."""
import os
import subprocess
import sys

from targets.lua.runtime import new_interpreter, run_main
from targets.lua.stdio import OutputStream

LUA_ORACLE = "/usr/bin/lua5.4"
ORACLE_NAME = "lua5.4"


class CapturedOutput(OutputStream):
    """An OutputStream that keeps what is written instead of using a fd."""

    def __init__(self):
        OutputStream.__init__(self, -1)
        self.captured = []

    def flush(self):
        self.captured.extend(self.pieces)
        self.pieces = []
        self.size = 0

    def text(self):
        self.flush()
        return "".join(self.captured)


class LuaResult(object):
    def __init__(self, status, stdout, stderr):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return "LuaResult(%r, %r, %r)" % (self.status, self.stdout, self.stderr)


def run_lua(source, progname="lua"):
    """Run `source` like `lua -e source` on the untranslated interpreter."""
    if sys.getrecursionlimit() < 20000:
        sys.setrecursionlimit(20000)
    interp = new_interpreter(CapturedOutput(), CapturedOutput())
    status = run_main(interp, [progname, "-e", source])
    return LuaResult(status, interp.stdout.text(), interp.stderr.text())


def output_of(source):
    """stdout of a snippet that must not fail."""
    result = run_lua(source)
    assert result.status == 0, result.stderr
    return result.stdout


def error_of(source):
    """First line of the error message of a failing snippet, without the
    program name prefix."""
    result = run_lua(source)
    assert result.status == 1, result.stdout
    first_line = result.stderr.split("\n")[0]
    assert first_line.startswith("lua: ")
    return first_line[len("lua: "):]


def have_oracle():
    return os.path.exists(LUA_ORACLE)


def run_oracle(source):
    process = subprocess.Popen([ORACLE_NAME, "-e", source], executable=LUA_ORACLE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate()
    return LuaResult(process.returncode, stdout, stderr)


CORPUS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def corpus_scripts():
    """The corpus programs fast enough to run untranslated (module_*.lua are
    helpers they require; heavy_*.lua run only in the translated tests)."""
    return sorted(name for name in os.listdir(CORPUS_DIR)
                  if name.endswith(".lua") and not name.startswith("module_")
                  and not name.startswith("heavy_"))


def run_lua_file(name, progname="lua5.4"):
    """Run a corpus script on the untranslated interpreter, in the corpus
    directory, like `lua5.4 name`."""
    if sys.getrecursionlimit() < 20000:
        sys.setrecursionlimit(20000)
    interp = new_interpreter(CapturedOutput(), CapturedOutput())
    cwd = os.getcwd()
    os.chdir(CORPUS_DIR)
    try:
        status = run_main(interp, [progname, name])
    finally:
        os.chdir(cwd)
    return LuaResult(status, interp.stdout.text(), interp.stderr.text())


def run_oracle_file(name):
    process = subprocess.Popen([ORACLE_NAME, name], executable=LUA_ORACLE,
                               cwd=CORPUS_DIR, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    stdout, stderr = process.communicate()
    return LuaResult(process.returncode, stdout, stderr)
