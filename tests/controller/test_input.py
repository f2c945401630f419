"""Descriptor 0: bytes or a host descriptor, never blocking past the deadline."""
import os
import time

import pytest

from controller_limits import test_limits
from sandbox import WallTimeExceeded


def read(size=100):
    return {"call": "read(ipi)i", "args": [0, {"buf": size, "name": "data"}, size]}


def test_stdin_is_empty_by_default(run_child):
    _, report, _ = run_child([read()])
    assert report.result() == 0


def test_stdin_bytes_are_served_in_order(run_child):
    _, report, _ = run_child([read(3), read(100), read(100)], stdin=b"abcdef")
    assert [call["result"] for call in report.calls] == [3, 3, 0]
    assert report.buffer("data", 0) == b"abc" and report.buffer("data", 1)[:3] == b"def"


def test_stdin_from_a_host_descriptor(run_child, tmp_path):
    source = tmp_path / "input"
    source.write_bytes(b"from a file")
    fd = os.open(source, os.O_RDONLY)
    try:
        _, report, _ = run_child([read()], stdin=fd)
    finally:
        os.close(fd)
    assert report.buffer("data")[:report.result()] == b"from a file"


def test_idle_stdin_pipe_cannot_outlast_the_wall_clock_limit(run_child):
    reader, writer = os.pipe()
    started = time.monotonic()
    try:
        with pytest.raises(WallTimeExceeded):
            run_child([read()], stdin=reader, limits=test_limits(wall_seconds=0.5))
    finally:
        os.close(reader)
        os.close(writer)
    assert time.monotonic() - started < 3


def test_negative_count_is_einval(run_child):
    _, report, _ = run_child([{"call": "read(ipi)i", "args": [0, {"buf": 1, "name": "data"},
                                                            -1]}])
    assert (report.result(), report.errno()) == (-1, 22)
