"""Random bytes for the child, without touching the host's devices.

RPython's ``rurandom.urandom`` first tries the Linux ``getrandom`` system call
through ``syscall(SYS_getrandom, buf, n, flags)`` and falls back to reading
``/dev/urandom``; both are served here from the controller's
``os.urandom``, or from a seeded generator (option ``random_seed``) for
reproducible runs.  Any other ``syscall`` number is refused with ENOSYS,
which is also what makes RPython fall back.

(The module is not called ``random`` so that it can never shadow the
standard library's module of that name.)
"""
import errno
import os
import random

from sandbox.calls import OSErrorToChild, signature
from sandbox.files import OpenFile, character_device_stat

_URANDOM_RDEV = 0x109


class RandomDevice(OpenFile):
    """``/dev/urandom`` and ``/dev/random``: reads never end, writes are ignored."""

    def __init__(self, virtual_path, random_bytes):
        self._stat = character_device_stat(virtual_path, _URANDOM_RDEV)
        self._random_bytes = random_bytes

    def read(self, count):
        return self._random_bytes(count)

    def write(self, data):
        return len(data)

    def stat(self):
        return self._stat


class Randomness:
    """Mixin: ``syscall(SYS_getrandom, ...)`` and the /dev/urandom devices."""

    def __init__(self, *args, random_seed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._seeded = None if random_seed is None else random.Random(random_seed)
        virtual_tree = getattr(self, "virtual_tree", None)
        if virtual_tree is not None:
            for path in ("/dev/urandom", "/dev/random"):
                virtual_tree.add_device(path, self._random_device)

    def _random_device(self, virtual_path):
        return RandomDevice(virtual_path, self.random_bytes)

    def random_bytes(self, count):
        count = min(count, self.limits.max_transfer_bytes)
        if self._seeded is not None:
            return self._seeded.randbytes(count)
        return os.urandom(count)

    @signature("syscall(ipii)i")
    def syscall(self, number, buffer, count, flags):
        if number != self.arch.sys_getrandom:
            self.audit("refused syscall(%d, ...)" % number)
            raise OSErrorToChild(errno.ENOSYS)
        if count < 0:
            raise OSErrorToChild(errno.EINVAL)
        if count and not buffer:
            raise OSErrorToChild(errno.EFAULT)
        data = self.random_bytes(count)
        self.write_memory(buffer, data)
        return len(data)
