"""Escapes from the virtual world fail in the child and are audited."""
import errno
import io

import pytest

from sandbox import DefaultController

REFUSED = [
    ("system(p)i", [{"cstr": b"rm -rf /"}], errno.EPERM),
    ("fork()i", [], errno.EPERM),
    ("execv(pp)i", [{"cstr": b"/bin/sh"}, {"ptr": 0}], errno.EPERM),
    ("kill(ii)i", [1, 9], errno.EPERM),
    ("socket(iii)i", [2, 1, 0], errno.EPERM),
    ("connect(ipi)i", [3, {"buf": 16, "name": "a"}, 16], errno.EPERM),
    ("symlink(pp)i", [{"cstr": b"/etc"}, {"cstr": b"/tmp/x"}], errno.EPERM),
    ("waitpid(ipi)i", [-1, {"ptr": 0}, 0], errno.ECHILD),
    ("ioctl(iip)i", [1, 0x5401, {"ptr": 0}], errno.ENOTTY),
]


@pytest.mark.parametrize("call, args, error", REFUSED)
def test_call_is_refused_with_an_audit_line(run_child, call, args, error):
    audit = io.StringIO()
    status, report, _ = run_child([{"call": call, "args": args}], audit=audit)
    assert status == 0
    assert (report.result(), report.errno()) == (-1, error)
    assert audit.getvalue().startswith("rplug audit: refused %s(" % call.split("(")[0])


def test_audit_log_of_a_flood_is_bounded(run_child):
    audit = io.StringIO()
    run_child([{"call": "fork()i", "repeat": 300}], audit=audit)
    lines = audit.getvalue().splitlines()
    assert len(lines) == 101 and "not shown" in lines[-1]


def test_every_refusal_is_a_handler_named_after_its_call():
    for call, _, _ in REFUSED:
        handler = DefaultController.handlers[call]
        assert handler.__name__ == call.split("(")[0]
