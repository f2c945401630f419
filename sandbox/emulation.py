"""Running a binary of another architecture on this host: qemu-user.

The controller stays on the host and talks to the emulated child in the
child's byte order (docs/protocol.md section 1); only the way the child is
started changes.  Debian's cross toolchains install each target's C library
under ``/usr/TRIPLET``, which qemu uses as the root of the dynamic loader.
"""
import platform

ARCHES = ("x86_64", "aarch64", "ppc64le", "s390x")
TRIPLETS = {
    "x86_64": "x86_64-linux-gnu",
    "aarch64": "aarch64-linux-gnu",
    "ppc64le": "powerpc64le-linux-gnu",
    "s390x": "s390x-linux-gnu",
}
HOST_ARCH = platform.machine()


def qemu_prefix(arch):
    """How this host runs a program of ``arch``: [] when native."""
    if arch == HOST_ARCH:
        return []
    return ["qemu-" + arch, "-L", "/usr/" + TRIPLETS[arch]]


def launcher_for(arch, argv0):
    """The launcher of a sandboxed child: qemu keeps the virtual argv[0]."""
    prefix = qemu_prefix(arch)
    return prefix + ["-0", argv0] if prefix else []
