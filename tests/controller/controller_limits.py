"""Limits for controller tests, importable by name from any test module.

(Not in conftest.py: with several test directories in one pytest run, a
module named `conftest` is ambiguous.)
"""
from sandbox import Limits

# Generous enough for a loaded machine, short enough that a hang fails fast.
TEST_WALL_SECONDS = 20.0
TEST_STALL_SECONDS = 5.0


def test_limits(**overrides):
    values = dict(wall_seconds=TEST_WALL_SECONDS, stall_seconds=TEST_STALL_SECONDS)
    values.update(overrides)
    return Limits(**values)


test_limits.__test__ = False
