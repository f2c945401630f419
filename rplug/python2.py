"""Locate a CPython 2.7 interpreter: RPython only runs there.

Order: ``$PYTHON2``, pyenv's 2.7.18, then ``python2.7`` on PATH.
"""
import os
import shutil
import subprocess


class Python2NotFound(Exception):
    """No usable Python 2.7 interpreter on this machine."""


PYENV_CANDIDATES = (
    os.path.expanduser("~/.pyenv/versions/2.7.18/bin/python2.7"),
    "/root/.pyenv/versions/2.7.18/bin/python2.7",
)


def _real_python27(path):
    """The interpreter's own sys.executable if PATH runs Python 2.7, else None.

    Asking the interpreter resolves pyenv shims to the real binary.
    """
    try:
        out = subprocess.run(
            [path, "-c", "import sys; sys.stdout.write(sys.version_info[:2] == (2, 7) "
                         "and sys.executable or '')"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.decode().strip() or None


def _pyenv_python27():
    root = os.environ.get("PYENV_ROOT")
    candidates = list(PYENV_CANDIDATES)
    if root:
        candidates.insert(0, os.path.join(root, "versions", "2.7.18", "bin", "python2.7"))
    for path in candidates:
        if os.path.exists(path):
            return path
    return None


def find_python2():
    """Return the path of a Python 2.7 interpreter or raise Python2NotFound."""
    tried = []
    explicit = os.environ.get("PYTHON2")
    if explicit:
        real = _real_python27(explicit)
        if real:
            return real
        raise Python2NotFound("$PYTHON2=%s is not a working Python 2.7 interpreter" % explicit)
    for path in (_pyenv_python27(), shutil.which("python2.7")):
        if path:
            tried.append(path)
            real = _real_python27(path)
            if real:
                return real
    raise Python2NotFound(
        "no Python 2.7 found (tried $PYTHON2, pyenv's 2.7.18, python2.7 on PATH%s); "
        "RPython needs CPython 2.7: install it (e.g. `pyenv install 2.7.18`) or set "
        "PYTHON2=/path/to/python2.7" % ((": " + ", ".join(tried)) if tried else ""))
