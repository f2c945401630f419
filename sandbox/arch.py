"""The child's architecture: byte order, word size, C layouts, ABI constants.

docs/protocol.md section 1: numbers travel in the child's native byte order
and sizes, which a controller learns from the dump (section 5) or is told;
it must not assume its own.  Everything that differs between the supported
64-bit Linux targets lives here, so that a handler writes
``self.arch.pack("stat", values)`` and ``self.arch.o_directory`` and works for
all of them.

Errno values, ``S_IF*`` mode bits, ``SEEK_*``, ``*_OK``, ``CLOCK_*`` and the
``_SC_*`` numbers are identical on x86_64, aarch64, ppc64le and s390x (the
generic Linux/glibc values), so handlers use Python's own ``errno``/``stat``
modules for them.
"""
import platform

from sandbox import cstructs
from sandbox.errors import ConfigurationError


class Architecture:
    """How to talk to, and write structures for, one kind of child."""

    def __init__(self, machine, byteorder, wordsize, stat_layout,
                 o_directory, o_nofollow, sys_getrandom):
        self.machine = machine
        self.byteorder = byteorder
        self.wordsize = wordsize
        self.layouts = dict(cstructs.COMMON_LAYOUTS, stat=stat_layout)
        self.o_directory = o_directory
        self.o_nofollow = o_nofollow
        self.sys_getrandom = sys_getrandom

    def __repr__(self):
        return "<Architecture %s>" % self.machine

    def layout(self, name):
        return self.layouts[name]

    def pack(self, struct_name, values):
        """The bytes of C structure ``struct_name`` holding ``values``."""
        return self.layouts[struct_name].pack(self.byteorder, values)

    def unpack(self, struct_name, raw):
        return self.layouts[struct_name].unpack(self.byteorder, raw)


ARCHITECTURES = {
    "x86_64": Architecture("x86_64", "little", 8, cstructs.STAT_X86_64,
                           o_directory=0o200000, o_nofollow=0o400000, sys_getrandom=318),
    "aarch64": Architecture("aarch64", "little", 8, cstructs.STAT_AARCH64,
                            o_directory=0o40000, o_nofollow=0o100000, sys_getrandom=278),
    "ppc64le": Architecture("ppc64le", "little", 8, cstructs.STAT_PPC64LE,
                            o_directory=0o40000, o_nofollow=0o100000, sys_getrandom=359),
    "s390x": Architecture("s390x", "big", 8, cstructs.STAT_S390X,
                          o_directory=0o200000, o_nofollow=0o400000, sys_getrandom=349),
}


def architecture_named(machine):
    """The Architecture for ``uname -m`` name ``machine``."""
    try:
        return ARCHITECTURES[machine]
    except KeyError:
        raise ConfigurationError(
            "the controller does not know the C layouts of %r; supported: %s"
            % (machine, ", ".join(sorted(ARCHITECTURES)))) from None


def host_architecture():
    """The architecture the controller runs on (the default for a child)."""
    return architecture_named(platform.machine())
