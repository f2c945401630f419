"""Fixtures of the controller tests (Python 3): running scripts in the fake child."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fake_child_driver import run_fake_child  # noqa: E402

from controller_limits import test_limits  # noqa: E402

from sandbox import DefaultController  # noqa: E402


@pytest.fixture
def run_child(tmp_path):
    """``run_child(script, controller_class=DefaultController, **options)``.

    Returns ``(status, report, controller)``; the default limits end any hang.
    """
    def run(script, controller_class=DefaultController, **options):
        options.setdefault("limits", test_limits())
        workdir = tmp_path / ("run%d" % len(list(tmp_path.glob("run*"))))
        workdir.mkdir()
        return run_fake_child(controller_class, script, workdir, **options)
    return run
