"""Test-side helpers: run a controller against ``fake_child.py`` and read its report."""
import ast
import os
import struct
import sys

FAKE_CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_child.py")
BASE = 0x10000


class Report:
    """What the fake child saw: per-call results, freed blocks, its final memory."""

    def __init__(self, data):
        self.calls = data["calls"]
        self.freed = data["freed"]
        self.memory = data["memory"]

    def result(self, index=-1):
        return self.calls[index]["result"]

    def errno(self, index=-1):
        return self.calls[index]["errno"]

    def at_result(self, index=-1):
        return self.calls[index]["at_result"]

    def buffer(self, name, index=-1):
        return self.calls[index]["buffers"][name]

    def string_at(self, address):
        """The NUL-terminated string at a child address."""
        offset = address - BASE
        return self.memory[offset:self.memory.index(b"\0", offset)]

    def word_at(self, address):
        return struct.unpack_from("<Q" if sys.byteorder == "little" else ">Q",
                                  self.memory, address - BASE)[0]


def run_fake_child(controller_class, script, tmp_path, **options):
    """Run ``script`` in a fake child under ``controller_class(**options)``.

    Returns ``(exit status, Report or None, the controller)``; a SandboxError
    propagates (the report is then in ``tmp_path / "report"`` if written).
    """
    script_path = tmp_path / "script"
    report_path = tmp_path / "report"
    script_path.write_text(repr(script))
    if report_path.exists():
        report_path.unlink()
    process = controller_class(sys.executable, ["-S", "-I", FAKE_CHILD, str(script_path),
                                                str(report_path)],
                               argv0=sys.executable, **options)
    status = process.run()
    return status, read_report(report_path), process


def read_report(report_path):
    if not os.path.exists(report_path):
        return None
    with open(report_path) as report_file:
        return Report(ast.literal_eval(report_file.read()))


def request_bytes(signature, *packed_args):
    """The raw bytes of a request (for scripts that misbehave on purpose)."""
    text = signature.encode()
    return bytes([len(text)]) + text + b"".join(packed_args)


def i64(value):
    return struct.pack("<q" if sys.byteorder == "little" else ">q", value)
