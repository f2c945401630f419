"""Fixtures for tests that run translated binaries (Python 3 pytest).

``translate(target, options=(), arch=None)`` returns the path of a binary,
translating only when no cached build with identical inputs exists
(rplug.buildcache): the first session on a fresh machine translates, later
ones reuse.  Translations are serialized by rplug's lock, so parallel test
processes never run two at once.
"""
import os

import pytest

from rplug import paths
from rplug.buildcache import cached_translate

RPYTHON_GOALS = os.path.join(paths.PY2_VENV, "lib", "python2.7", "site-packages",
                             "rpython", "translator", "goal")


def _translate(target, options=(), arch=None, target_args=(), rpython=None):
    return cached_translate(str(target), options=options, target_args=target_args,
                            arch=arch, rpython=rpython)


@pytest.fixture(scope="session")
def translate():
    """The cached-translation function (see module docstring)."""
    return _translate


@pytest.fixture(scope="session")
def rpython_goal():
    """Path of one of the rpython package's own goal programs."""
    def goal(name):
        path = os.path.join(RPYTHON_GOALS, name + ".py")
        assert os.path.exists(path), "no goal program %s in %s" % (name, RPYTHON_GOALS)
        return path
    return goal
