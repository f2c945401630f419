"""The child's environment variables: only what the user gave.

Option ``environment``: ``{name: value}`` (``--env NAME=VALUE``); the child
starts with an empty real environment either way.  Strings are copied into
the child's memory once and reused, so repeated lookups do not grow it, and
names that are not set are answered without allocating anything: a child
asking for a million names costs neither side memory.  The environment is
read-only: putenv, setenv and unsetenv fail with EPERM.
"""
import errno

from sandbox.calls import NULL, OSErrorToChild, signature

MAX_NAME_BYTES = 4096


class Environment:
    """Mixin: get_environ, getenv; putenv/setenv/unsetenv refused."""

    def __init__(self, *args, environment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.environment = {_as_bytes(name): _as_bytes(value)
                            for name, value in (environment or {}).items()}
        self._environ_pointer = None
        self._value_pointers = {}

    @signature("get_environ()p")
    def get_environ(self):
        """The ``environ`` array: NUL-terminated ``NAME=VALUE`` strings, then NULL."""
        if self._environ_pointer is None:
            entries = [self.allocate_in_child(name + b"=" + value + b"\0")
                       for name, value in sorted(self.environment.items())]
            word = self.arch.wordsize
            array = b"".join(entry.to_bytes(word, self.arch.byteorder)
                             for entry in entries + [NULL])
            self._environ_pointer = self.allocate_in_child(array)
        return self._environ_pointer

    @signature("getenv(p)p")
    def getenv(self, name_pointer):
        name = self.read_cstring(name_pointer, MAX_NAME_BYTES)
        value = self.environment.get(name)
        if value is None:
            return NULL
        if name not in self._value_pointers:
            self._value_pointers[name] = self.allocate_in_child(value + b"\0")
        return self._value_pointers[name]

    @signature("putenv(p)i")
    def putenv(self, string_pointer):
        return self._refuse_change("putenv")

    @signature("setenv(ppi)i")
    def setenv(self, name_pointer, value_pointer, overwrite):
        return self._refuse_change("setenv")

    @signature("unsetenv(p)i")
    def unsetenv(self, name_pointer):
        return self._refuse_change("unsetenv")

    def _refuse_change(self, call_name):
        self.audit("refused %s(): the environment is read-only" % call_name)
        raise OSErrorToChild(errno.EPERM)


def _as_bytes(text):
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
