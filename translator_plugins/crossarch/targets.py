"""The architectures ``--arch`` knows, and what a translation needs of each.

Every target is 64-bit Linux with glibc: RPython takes the word size from
the translating Python's ``sys.maxint``, so a 64-bit Python 2.7 can only
produce 64-bit programs.  Debian names each target by its GNU triplet: the
cross compiler is ``TRIPLET-gcc``, its C library lives in ``/usr/TRIPLET``
(the sysroot ``qemu-user -L`` loads the program's libraries from).
"""
import os
import platform

# read once: the plugin makes platform.machine() answer for the target
HOST_MACHINE = platform.machine()


class TargetArch(object):
    """One architecture: compiler, emulator, byte order and JIT backend.

    ``jit_model`` is the name rpython.jit.backend.detect_cpu gives the
    target's JIT backend, or None when the rpython package has none.
    """

    def __init__(self, name, triplet, qemu, byteorder, jit_model, apt_compiler, debian_arch):
        self.name = name
        self.debian_arch = debian_arch
        self.triplet = triplet
        self.qemu = qemu
        self.byteorder = byteorder
        self.jit_model = jit_model
        self.apt_compiler = apt_compiler

    def __repr__(self):
        return '<TargetArch %s>' % self.name

    @property
    def cc(self):
        return self.triplet + '-gcc'

    @property
    def sysroot(self):
        return '/usr/' + self.triplet

    @property
    def libffi_header(self):
        """Where the JIT finds the target's ffi.h: in the cross sysroot
        (``python3 -m rplug.bootstrap --cross-libffi`` puts libffi there)."""
        return '%s/include/ffi.h' % self.sysroot

    @property
    def float_format(self):
        """What ``float.__getformat__('double')`` says on the target."""
        return 'IEEE, %s-endian' % self.byteorder

    def run_prefix(self):
        """The command that runs one of the target's programs on this host."""
        if self.is_native():
            return []
        return [self.qemu, '-L', self.sysroot]

    def is_native(self):
        return self.name == HOST_MACHINE

    def missing_tools(self):
        """Commands this host lacks to build and run for the target."""
        if self.is_native():
            return []
        return [tool for tool in (self.cc, self.qemu) if _which(tool) is None]


def _which(command):
    for directory in os.environ.get('PATH', '').split(os.pathsep):
        path = os.path.join(directory, command)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


ARCHES = dict((arch.name, arch) for arch in [
    TargetArch('x86_64', 'x86_64-linux-gnu', 'qemu-x86_64', 'little', 'x86-64',
               'gcc-x86-64-linux-gnu', 'amd64'),
    TargetArch('aarch64', 'aarch64-linux-gnu', 'qemu-aarch64', 'little', None,
               'gcc-aarch64-linux-gnu', 'arm64'),
    TargetArch('ppc64le', 'powerpc64le-linux-gnu', 'qemu-ppc64le', 'little', 'ppc-64',
               'gcc-powerpc64le-linux-gnu', 'ppc64el'),
    TargetArch('s390x', 's390x-linux-gnu', 'qemu-s390x', 'big', 's390x',
               'gcc-s390x-linux-gnu', 's390x'),
])

ARCH_NAMES = ('x86_64', 'aarch64', 'ppc64le', 's390x')
