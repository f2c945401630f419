"""A sandboxed PyPy (targets/pypy/targetpypy.py over an unmodified checkout) under `rplug run`.

Needs a PyPy source checkout (``RPLUG_PYPY_CHECKOUT``) and the binary
translated from it, which takes about an hour, so these tests never
translate it themselves: build it once with the command in the README
(default output ``build/pypy-c-sandbox``; another path with
``RPLUG_PYPY_SANDBOX``).  Without either, every test skips and says which is
missing.
"""
import os
import subprocess

import pytest

from rplug import paths

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
CHECKOUT = os.environ.get("RPLUG_PYPY_CHECKOUT")
BINARY = os.environ.get("RPLUG_PYPY_SANDBOX",
                        os.path.join(paths.BUILD_DIR, "pypy-c-sandbox"))
BUILD_COMMAND = ("build/py3/bin/rplug translate --rpython $RPLUG_PYPY_CHECKOUT --sandbox "
                 "--sandbox-check=off --opt=2 --output build/pypy-c-sandbox "
                 "targets/pypy/targetpypy.py")


def _missing():
    if not CHECKOUT:
        return "RPLUG_PYPY_CHECKOUT is not set: no PyPy source checkout on this machine"
    if not os.path.isdir(os.path.join(CHECKOUT, "lib-python")):
        return "RPLUG_PYPY_CHECKOUT=%s holds no lib-python/: not a PyPy checkout" % CHECKOUT
    if not os.path.isfile(BINARY):
        return ("no sandboxed PyPy at %s (set RPLUG_PYPY_SANDBOX, or build it, ~1 hour: %s)"
                % (BINARY, BUILD_COMMAND))
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


def pypy(tmp_path, *args, options=(), stdin=None, timeout=300):
    """Run the sandboxed PyPy with ``args``; a writable /tmp is tmp_path/tmp."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    if stdin is not None:
        options = ["--stdin", "-"] + list(options)
    return subprocess.run([RPLUG, "run", "--pypy-home", CHECKOUT, "--tmp", str(tmp)]
                          + list(options) + [BINARY] + list(args),
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def pypy_code(tmp_path, code, **kwargs):
    return pypy(tmp_path, "-S", "-c", code, **kwargs)


def test_print_runs_in_the_sandbox(tmp_path):
    result = pypy_code(tmp_path, "print 6*7")
    assert (result.returncode, result.stdout) == (0, "42\n"), result.stderr


def test_the_library_comes_from_the_checkout_at_pypy(tmp_path):
    result = pypy_code(tmp_path, "import sys, os; print sys.prefix; print sys.executable; "
                                 "print os.__file__")
    assert result.returncode == 0, result.stderr
    prefix, executable, os_file = result.stdout.split()
    assert (prefix, executable) == ("/pypy", "/pypy/bin/" + os.path.basename(BINARY))
    assert os_file.startswith("/pypy/lib-python/2.7/os.py")


def test_site_is_imported_without_dash_s(tmp_path):
    result = pypy(tmp_path, "-c", "import sys; print 'site' in sys.modules")
    assert (result.returncode, result.stdout) == (0, "True\n"), result.stderr


def test_json_round_trip(tmp_path):
    result = pypy_code(tmp_path, "import json; d = json.loads('{\"a\": [1, 2.5, null]}'); "
                                 "print json.dumps(d, sort_keys=True), d['a'][1] * 2")
    assert (result.returncode, result.stdout) == (0, '{"a": [1, 2.5, null]} 5.0\n'), \
        result.stderr


def test_re_substitution_and_groups(tmp_path):
    result = pypy_code(tmp_path, "import re; print re.sub(r'(\\d+)', lambda m: "
                                 "str(int(m.group(1)) * 2), 'a1 b22 c333'); "
                                 "print re.match(r'(?P<w>\\w+)@', 'joe@x').group('w')")
    assert (result.returncode, result.stdout) == (0, "a2 b44 c666\njoe\n"), result.stderr


def test_collections(tmp_path):
    result = pypy_code(tmp_path, "import collections as c; "
                                 "print c.Counter('abracadabra').most_common(2); "
                                 "P = c.namedtuple('P', 'x y'); print P(1, 2).y; "
                                 "d = c.deque([1, 2]); d.appendleft(0); print list(d); "
                                 "print c.OrderedDict([('b', 1), ('a', 2)]).keys()")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[('a', 5), ('b', 2)]\n2\n[0, 1, 2]\n['b', 'a']\n"


def test_reads_a_mounted_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "numbers.txt").write_text("1\n2\n39\n")
    result = pypy_code(tmp_path, "print sum(int(l) for l in open('/data/numbers.txt'))",
                       options=["--mount", "%s:/data:ro" % data])
    assert (result.returncode, result.stdout) == (0, "42\n"), result.stderr


def test_writes_into_tmp(tmp_path):
    result = pypy_code(tmp_path, "f = open('/tmp/out.txt', 'w'); f.write('written\\n'); "
                                 "f.close(); print open('/tmp/out.txt').read().strip()")
    assert (result.returncode, result.stdout) == (0, "written\n"), result.stderr
    assert (tmp_path / "tmp" / "out.txt").read_text() == "written\n"


def test_interactive_session_fed_on_stdin(tmp_path):
    result = pypy(tmp_path, "-S", "-i", stdin="x = 6\nprint x * 7\ndef f(n):\n"
                                              "    return n + 1\n\nprint f(41)\n")
    assert result.returncode == 0, result.stderr
    # stdin is not a terminal: PyPy's simple console (code.InteractiveConsole),
    # its prompts are '>>>> ' and '.... '; the input itself is not echoed
    prompts_and_output = result.stdout + result.stderr
    assert result.stdout.count("42") == 2, prompts_and_output
    assert ">>>> " in prompts_and_output and ".... " in prompts_and_output


def test_script_from_stdin_without_a_tty(tmp_path):
    result = pypy(tmp_path, "-S", "-", stdin="import sys\nprint sys.argv, 6 * 7\n")
    assert (result.returncode, result.stdout) == (0, "['-'] 42\n"), result.stderr


def test_os_system_is_refused(tmp_path):
    marker = tmp_path / "tmp" / "pwned"
    result = pypy_code(tmp_path, "import os; print os.system('touch /tmp/pwned')")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "-1\n"
    assert "refused system()" in result.stderr
    assert not marker.exists()


def test_sockets_do_not_exist(tmp_path):
    result = pypy_code(tmp_path, "import socket")
    assert result.returncode == 1
    assert "ImportError: No module named _socket" in result.stderr


def test_listdir_sees_only_the_virtual_tree(tmp_path):
    result = pypy_code(tmp_path, "import os\nprint sorted(os.listdir('/'))\n"
                                 "try:\n    os.listdir('/etc')\n"
                                 "except OSError as e:\n    print e.errno, e.strerror\n"
                                 "try:\n    os.listdir('/pypy/lib_pypy/../../..')\n"
                                 "except OSError as e:\n    print 'escaped?', e\n"
                                 "else:\n    print 'root again'\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "['dev', 'proc', 'pypy', 'tmp']\n2 No such file or directory\nroot again\n"


def test_host_files_are_not_readable(tmp_path):
    result = pypy_code(tmp_path, "import os\nfor p in ['/etc/passwd', '/pypy/lib_pypy/../../"
                                 "etc/passwd', '/proc/self/environ']:\n"
                                 "    try:\n        open(p)\n    except IOError as e:\n"
                                 "        print e.errno\n")
    assert (result.returncode, result.stdout) == (0, "2\n2\n2\n"), result.stderr


def test_the_library_is_read_only(tmp_path):
    result = pypy_code(tmp_path, "try:\n    open('/pypy/lib-python/2.7/os.py', 'a')\n"
                                 "except IOError as e:\n    print e.errno == 30\n")
    assert (result.returncode, result.stdout) == (0, "True\n"), result.stderr


def test_every_call_of_the_binary_is_served(tmp_path):
    result = subprocess.run([RPLUG, "check", "--pypy", BINARY], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
