"""Static inspection of binaries before `rplug run` starts them."""
import pytest

from sandbox.binary import NotSandboxedError, elf_machine, inspect_sandboxed_binary
from sandbox.errors import ConfigurationError


def elf_header(machine_number, byteorder="little", elf_class=2):
    data = {"little": 1, "big": 2}[byteorder]
    ident = b"\x7fELF" + bytes([elf_class, data, 1]) + b"\0" * 9
    return ident + (2).to_bytes(2, byteorder) + machine_number.to_bytes(2, byteorder)


@pytest.mark.parametrize("number, byteorder, name", [
    (62, "little", "x86_64"), (183, "little", "aarch64"),
    (21, "little", "ppc64le"), (22, "big", "s390x"),
])
def test_machine_comes_from_the_elf_header(tmp_path, number, byteorder, name):
    path = tmp_path / "bin"
    path.write_bytes(elf_header(number, byteorder) + b"\0" * 64)
    assert elf_machine(str(path)) == name


def test_binary_without_dump_text_is_refused(tmp_path):
    path = tmp_path / "plain"
    path.write_bytes(elf_header(62) + b"\0" * 64 + b"Version: 1\n")
    with pytest.raises(NotSandboxedError) as e:
        inspect_sandboxed_binary(str(path))
    assert "not translated with --sandbox" in str(e.value)


def test_binary_with_dump_text_is_accepted(tmp_path):
    path = tmp_path / "boxed"
    path.write_bytes(elf_header(62) + b"\0" * 64 + b"Version: 20001\nPlatform: linux2\nFuncs: ")
    assert inspect_sandboxed_binary(str(path)) == "x86_64"


@pytest.mark.parametrize("content, message", [
    (b"#!/bin/sh\necho hi\n", "not an ELF executable"),
    (b"", "not an ELF executable"),
    (b"\x7fELF" + bytes([1, 1, 1]) + b"\0" * 13, "not a 64-bit ELF"),
])
def test_non_binaries_are_named(tmp_path, content, message):
    path = tmp_path / "thing"
    path.write_bytes(content)
    with pytest.raises(NotSandboxedError) as e:
        inspect_sandboxed_binary(str(path))
    assert message in str(e.value)


def test_unknown_machine_is_a_configuration_error(tmp_path):
    path = tmp_path / "riscv"
    path.write_bytes(elf_header(243) + b"\0" * 64)
    with pytest.raises(ConfigurationError) as e:
        elf_machine(str(path))
    assert "ELF machine 243" in str(e.value)
