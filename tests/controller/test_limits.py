"""Each limit ends the run with its own error, and the child is reaped."""
import time

import pytest

from controller_limits import test_limits
from sandbox import (ConfigurationError, CpuTimeExceeded, Limits, MemoryLimitExceeded,
                     WallTimeExceeded)


def test_wall_clock_limit(run_child):
    started = time.monotonic()
    with pytest.raises(WallTimeExceeded):
        run_child([{"hang": True}], limits=test_limits(wall_seconds=0.5))
    assert time.monotonic() - started < 3


def test_cpu_limit_kills_a_busy_child(run_child):
    with pytest.raises(CpuTimeExceeded, match="--cpu"):
        run_child([{"busy": True}], limits=test_limits(cpu_seconds=1))


def test_memory_limit_is_reported_when_the_child_runs_out(run_child):
    with pytest.raises(MemoryLimitExceeded, match="--memory"):
        run_child([{"grow": 2 * 1024 ** 3}], limits=test_limits(memory_mb=200))


def test_child_that_ends_normally_under_its_limits(run_child):
    status, _, process = run_child([{"call": "getpid()i"}],
                                   limits=test_limits(cpu_seconds=5, memory_mb=500,
                                                      max_output_bytes=10))
    assert status == 0 and process.returncode == 0


@pytest.mark.parametrize("options", [{"wall_seconds": 0}, {"cpu_seconds": -1},
                                     {"max_transfer_bytes": 0}, {"max_open_files": None}])
def test_nonsensical_limits_are_refused(options):
    with pytest.raises(ConfigurationError):
        Limits(**options)
