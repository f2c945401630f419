"""What a binary is, read from its file without running it.

``rplug run`` must not start a program that is not sandboxed: it would do
real I/O on the host before the controller noticed anything.  Running it
with RPY_SANDBOX_DUMP to ask would already be running it, so the check is
static: a sandboxed binary carries its dump text (docs/protocol.md section
5) as a string constant, and its ELF header names the architecture whose
byte order and word size the protocol follows (section 1).
"""
import mmap

from sandbox.errors import ConfigurationError

DUMP_MARKER = b"Version: 20001\nPlatform: "
ELF_MAGIC = b"\x7fELF"
ELF_MACHINES = {   # e_machine -> (byte order -> uname -m name)
    62: {"little": "x86_64"},
    183: {"little": "aarch64"},
    21: {"little": "ppc64le", "big": "ppc64"},
    22: {"big": "s390x"},
}


class NotSandboxedError(ConfigurationError):
    """The file is not a binary translated with --sandbox."""


def elf_machine(path):
    """The ``uname -m`` name of the ELF file's architecture."""
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError as error:
        raise ConfigurationError("cannot read %s: %s" % (path, error.strerror)) from None
    if len(header) < 20 or header[:4] != ELF_MAGIC:
        raise NotSandboxedError("%s is not an ELF executable" % path)
    byteorder = {1: "little", 2: "big"}.get(header[5])
    if header[4] != 2 or byteorder is None:
        raise NotSandboxedError("%s is not a 64-bit ELF executable" % path)
    machine_number = int.from_bytes(header[18:20], byteorder)
    try:
        return ELF_MACHINES[machine_number][byteorder]
    except KeyError:
        raise ConfigurationError("%s is built for ELF machine %d (%s-endian), which the "
                                 "controller does not support" % (path, machine_number, byteorder)
                                 ) from None


def is_sandboxed(path):
    with open(path, "rb") as f:
        try:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as image:
                return image.find(DUMP_MARKER) >= 0
        except ValueError:      # empty file
            return False


def inspect_sandboxed_binary(path):
    """The child's machine name; NotSandboxedError unless translated with --sandbox."""
    machine = elf_machine(path)
    if not is_sandboxed(path):
        raise NotSandboxedError(
            "%s was not translated with --sandbox (it carries no protocol 20001 dump); "
            "refusing to run it, since it would act on the host directly" % path)
    return machine
