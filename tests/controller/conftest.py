"""Fixtures of the controller tests (Python 3): running scripts in the fake child."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fake_child_driver import run_fake_child  # noqa: E402

from sandbox import DefaultController, Limits  # noqa: E402

# Generous enough for a loaded machine, short enough that a hang fails fast.
TEST_WALL_SECONDS = 20.0
TEST_STALL_SECONDS = 5.0


def test_limits(**overrides):
    values = dict(wall_seconds=TEST_WALL_SECONDS, stall_seconds=TEST_STALL_SECONDS)
    values.update(overrides)
    return Limits(**values)


test_limits.__test__ = False


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
