"""The child's stdout and stderr (descriptors 1 and 2), bounded.

Options: ``output_streams`` maps 1 and 2 to binary streams of the controller
(pass-through, what ``rplug run`` does); without it the bytes are collected
in ``self.collected_output[1]`` and ``[2]``.  Either way the total is bounded
by ``Limits.max_output_bytes``: the write that crosses it is cut at the limit
and the run ends with ``OutputLimitExceeded``, so neither the controller's
memory nor the user's terminal can be flooded.
"""
import stat

from sandbox.errors import OutputLimitExceeded
from sandbox.files import OpenFile, StatInfo


class OutputStream(OpenFile):
    """Descriptor 1 or 2: every write goes to ``sink`` after ``account`` approves it."""

    def __init__(self, sink, account):
        self._sink = sink
        self._account = account

    def write(self, data):
        allowed = self._account(len(data))
        self._sink(data[:allowed])
        if allowed < len(data):
            raise OutputLimitExceeded(
                "the child wrote more than the %d bytes of output it may write; raise "
                "--max-output if the program needs more" % self._account.limit)
        return allowed

    def stat(self):
        return StatInfo(stat.S_IFIFO | 0o600)


class _OutputBudget:
    """Bytes written on 1 and 2 so far, against the limit (None: no limit)."""

    def __init__(self, limit):
        self.limit = limit
        self.written = 0

    def __call__(self, count):
        if self.limit is not None:
            count = max(0, min(count, self.limit - self.written))
        self.written += count
        return count


def _stream_sink(stream):
    def sink(data):
        stream.write(data)
        stream.flush()
    return sink


class Output:
    """Mixin: install descriptors 1 and 2."""

    def __init__(self, *args, output_streams=None, **kwargs):
        super().__init__(*args, **kwargs)
        budget = _OutputBudget(self.limits.max_output_bytes)
        self.collected_output = {1: bytearray(), 2: bytearray()}
        for fd in (1, 2):
            if output_streams is not None:
                sink = _stream_sink(output_streams[fd])
            else:
                sink = self.collected_output[fd].extend
            self.install_file(OutputStream(sink, budget), fd)
