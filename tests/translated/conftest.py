"""Fixtures for tests that run translated binaries (Python 3 pytest).

``translate(target, options=(), arch=None)`` returns the path of a binary,
translating only when no cached build with identical inputs exists
(rplug.buildcache): the first session on a fresh machine translates, later
ones reuse.  Translations are serialized by rplug's lock, so parallel test
processes never run two at once.

``arch`` names the CPU the binary is for (``x86_64``, ``aarch64``,
``ppc64le``, ``s390x``; None or this host's own means a native build, shared
with the tests that give no arch).  ``run_binary(binary, *args, **kwargs)``
runs a binary of any of them, through ``qemu-ARCH -L /usr/TRIPLET`` when it
is foreign (``rplug.build.command``), and returns the CompletedProcess.
"""
import os
import subprocess

import pytest

from rplug import buildcache, paths
from rplug.build import HOST_ARCH, command
from rplug.prebuild import describe

import builds
from builds import GOALS as RPYTHON_GOALS


def _translate(target, options=(), arch=None, target_args=(), rpython=None):
    if arch == HOST_ARCH:
        arch = None
    return buildcache.cached_translate(str(target), options=options, target_args=target_args,
                            arch=arch, rpython=rpython)


def _run_binary(binary, *args, **kwargs):
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("timeout", 300)
    return subprocess.run(command(binary, *args), **kwargs)


@pytest.fixture(scope="session")
def translate():
    """The cached-translation function (see module docstring)."""
    return _translate


@pytest.fixture(scope="session")
def run_binary():
    """Run a translated binary of any architecture (see module docstring)."""
    return _run_binary


@pytest.fixture(scope="session")
def rpython_goal():
    """Path of one of the rpython package's own goal programs."""
    def goal(name):
        path = os.path.join(RPYTHON_GOALS, name + ".py")
        assert os.path.exists(path), "no goal program %s in %s" % (name, RPYTHON_GOALS)
        return path
    return goal


def pytest_terminal_summary(terminalreporter):
    """Name the project's binaries that the tests translated and builds.py
    does not list, so rplug.testall cannot make them beforehand.  (The
    throw-away targets of test_translate_cli, under /tmp, are not named.)"""
    listed = {describe(b) for b in builds.builds()}
    unlisted = [describe({"target": target, "options": options, "arch": arch})
                for target, options, arch in buildcache.TRANSLATED_BY_THIS_PROCESS
                if os.path.abspath(target).startswith(paths.PROJECT_ROOT + os.sep)]
    unlisted = [d for d in unlisted if d not in listed]
    if unlisted:
        terminalreporter.write_line(
            "translated by the tests but missing from tests/translated/builds.py: "
            + ", ".join(unlisted))
