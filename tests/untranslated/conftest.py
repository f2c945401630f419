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


def pytest_configure(config):
    import rpython.conftest

    class _Options(object):
        view = False
        viewloops = False
    if getattr(rpython.conftest, "option", None) is None:
        rpython.conftest.option = _Options()
