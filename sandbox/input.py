"""The child's stdin (descriptor 0).

Option ``stdin``: bytes to serve (default: empty, the child sees end of
file at once) or a host file descriptor of the controller (``--stdin FILE``
or ``--stdin -``).  Reading a descriptor waits only as long as the
wall-clock limit allows, so an idle terminal cannot hang a run.
"""
import os
import stat

from sandbox.files import OpenFile, StatInfo, host_call


class BytesInput(OpenFile):
    """Descriptor 0 served from a bytes object."""

    def __init__(self, data):
        self._data = memoryview(bytes(data))
        self._position = 0

    def read(self, count):
        chunk = self._data[self._position:self._position + count]
        self._position += len(chunk)
        return bytes(chunk)

    def stat(self):
        return StatInfo(stat.S_IFIFO | 0o600)


class DescriptorInput(OpenFile):
    """Descriptor 0 served from a host descriptor of the controller."""

    def __init__(self, host_fd, wait_readable):
        self._fd = host_fd
        self._wait_readable = wait_readable

    def read(self, count):
        self._wait_readable(self._fd)
        return host_call(os.read, self._fd, count)

    def stat(self):
        return StatInfo(stat.S_IFIFO | 0o600)


class Input:
    """Mixin: install descriptor 0."""

    def __init__(self, *args, stdin=b"", **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(stdin, int):
            self.install_file(DescriptorInput(stdin, self.wait_readable), 0)
        else:
            self.install_file(BytesInput(stdin), 0)
