"""Untranslated RPython tests: run by the Python 2.7 venv's pytest.

Puts the checkout on sys.path so `jsondecoder`, `targets` and
`translator_plugins` import as packages, and gives RPython's test helpers
(`interpret`, ...) the `option` object they expect from rpython's conftest.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# RPython's udir (C files of interpreted/compiled test helpers) goes under
# build/, never /tmp; set before anything imports rpython.tool.udir
_USESSION = os.path.join(ROOT, 'build', 'usession', 'untranslated-tests')
if not os.path.isdir(_USESSION):
    os.makedirs(_USESSION)
os.environ.setdefault('PYPY_USESSION_DIR', _USESSION)
os.environ.setdefault('PYPY_USESSION_BASENAME', 'test')


def pytest_configure(config):
    import rpython.conftest

    class _Options(object):
        view = False
        viewloops = False
    if getattr(rpython.conftest, "option", None) is None:
        rpython.conftest.option = _Options()
