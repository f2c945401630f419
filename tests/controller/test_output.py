"""Descriptors 1 and 2: collected or passed through, and bounded."""
import io

import pytest

from controller_limits import test_limits
from sandbox import OutputLimitExceeded


def write(fd, data):
    return {"call": "write(ipi)i", "args": [fd, {"bytes": data, "name": "b"}, len(data)]}


def test_output_is_collected_per_descriptor(run_child):
    status, report, process = run_child([write(1, b"out"), write(2, b"err"), write(1, b"!")])
    assert status == 0 and [call["result"] for call in report.calls] == [3, 3, 1]
    assert process.collected_output == {1: b"out!", 2: b"err"}


def test_output_passes_through_to_given_streams(run_child):
    stdout, stderr = io.BytesIO(), io.BytesIO()
    run_child([write(1, b"to stdout"), write(2, b"to stderr")],
              output_streams={1: stdout, 2: stderr})
    assert (stdout.getvalue(), stderr.getvalue()) == (b"to stdout", b"to stderr")


def test_output_over_the_limit_ends_the_run_after_the_allowed_bytes(run_child):
    stdout = io.BytesIO()
    with pytest.raises(OutputLimitExceeded, match="--max-output"):
        run_child([write(1, b"12345"), write(2, b"6789"), {"hang": True}],
                  output_streams={1: stdout, 2: stdout},
                  limits=test_limits(max_output_bytes=7))
    assert stdout.getvalue() == b"1234567"


def test_raw_stderr_flood_ends_the_run(run_child):
    with pytest.raises(OutputLimitExceeded, match="raw stderr"):
        run_child([{"stderr": b"x" * 100000}, {"hang": True}],
                  limits=test_limits(max_output_bytes=1000))


def test_raw_stderr_is_collected_when_no_destination(run_child):
    _, _, process = run_child([{"stderr": b"fatal: oops\n"}])
    assert process._relay.collected == b"fatal: oops\n"


def test_write_to_a_closed_descriptor_is_ebadf(run_child):
    _, report, _ = run_child([{"call": "close(i)i", "args": [1]}, write(1, b"x")])
    assert report.calls[1]["errno"] == 9


def test_stdout_is_not_a_tty(run_child):
    _, report, _ = run_child([{"call": "isatty(i)i", "args": [1]}])
    assert (report.result(), report.errno()) == (0, 25)
