"""Reading the section-5 dump and checking it against a controller."""
import pytest

from sandbox import DefaultController, DumpError, VirtualizedProcess, parse_dump
from sandbox.calls import signature

GOOD_DUMP = (b"Version: 20001\nPlatform: linux2\n"
             b"Funcs: close(i)i get_environ()p open(pii)i read(ipi)i write(ipi)i\n"
             b"Machine: x86_64\nByteorder: little\nWordsize: 8\nSeccomp: on\n")


def test_dump_gives_version_platform_calls_and_rplug_lines():
    info = parse_dump(GOOD_DUMP)
    assert info.version == "20001" and info.platform == "linux2"
    assert [s.text for s in info.signatures] == [
        "close(i)i", "get_environ()p", "open(pii)i", "read(ipi)i", "write(ipi)i"]
    assert (info.machine, info.byteorder, info.wordsize, info.seccomp) == (
        "x86_64", "little", 8, "on")


def test_original_format_without_rplug_lines_is_accepted():
    info = parse_dump(b"Version: 20001\nPlatform: linux\nFuncs: \n")
    assert info.signatures == [] and info.machine is None


@pytest.mark.parametrize("dump, message", [
    (GOOD_DUMP.replace(b"20001", b"20002"), "version"),
    (GOOD_DUMP.replace(b"linux2", b"darwin"), "platform"),
    (GOOD_DUMP.replace(b"open(pii)i", b"open(pii"), "bad signature"),
    (b"Platform: linux\nFuncs: \n", "no Version"),
    (b"Version: 20001\nPlatform: linux\nno colon here\n", "Key: value"),
    (b"\xff\xfe", "not ASCII"),
])
def test_bad_dumps_are_refused(dump, message):
    with pytest.raises(DumpError, match=message):
        parse_dump(dump)


def test_check_dump_lists_only_unserved_signatures():
    class OnlyWrite(VirtualizedProcess):
        @signature("write(ipi)i")
        def write(self, fd, buffer, count):
            return count

    assert OnlyWrite.check_dump(GOOD_DUMP) == [
        "close(i)i", "get_environ()p", "open(pii)i", "read(ipi)i"]


def test_default_controller_serves_the_example_dump():
    assert DefaultController.check_dump(GOOD_DUMP) == []


def test_check_dump_refuses_another_protocol_version():
    with pytest.raises(DumpError):
        DefaultController.check_dump(GOOD_DUMP.replace(b"20001", b"10001"))
