"""C library lookups that need no host access: ``strerror``.

Each message is copied into the child once and the same pointer is returned
afterwards, as C's static strings would be.  Only numbers Linux defines get
their own string; any other number shares one "Unknown error" string, so a
child looping over all integers cannot grow either side's memory.
"""
import errno
import os

from sandbox.calls import signature


class LibcTables:
    """Mixin: strerror."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._message_pointers = {}

    @signature("strerror(i)p")
    def strerror(self, error_number):
        key = error_number if error_number in errno.errorcode or error_number == 0 else None
        if key not in self._message_pointers:
            message = os.strerror(key) if key is not None else "Unknown error"
            self._message_pointers[key] = self.allocate_in_child(message.encode() + b"\0")
        return self._message_pointers[key]
