"""VirtualizedProcess: dispatch, default deny, errno, exit status, reaping."""
import errno
import io
import os
import signal

import pytest

from fake_child_driver import i64, request_bytes
from sandbox import (NULL, OSErrorToChild, Ptr, ProtocolError, UnsupportedCall,
                     VirtualizedProcess, signature)
from sandbox.virtualized import collect_handlers


class Adder(VirtualizedProcess):
    """A tiny controller: one handler per result code."""

    @signature("add(ii)i")
    def add(self, left, right):
        return left + right

    @signature("half(f)f")
    def half(self, value):
        return value / 2

    @signature("same(p)p")
    def same(self, pointer):
        return pointer

    @signature("nothing()v")
    def nothing(self):
        return None

    @signature("fail(i)i")
    def fail(self, error_number):
        raise OSErrorToChild(error_number)

    @signature("fail_ptr()p")
    def fail_ptr(self):
        raise OSErrorToChild(errno.ENOMEM)

    @signature("bad_result()i")
    def bad_result(self):
        return "not an int"


def test_results_of_every_kind_reach_the_child(run_child):
    status, report, _ = run_child([
        {"call": "add(ii)i", "args": [40, 2]},
        {"call": "half(f)f", "args": [5.0]},
        {"call": "same(p)p", "args": [{"ptr": 0x1234}]},
        {"call": "nothing()v"},
        {"call": "add(ii)i", "args": [-5, -6]},
    ], Adder)
    assert status == 0
    assert [call["result"] for call in report.calls] == [42, 2.5, 0x1234, None, -11]


def test_oserror_to_child_sends_errno_then_minus_one(run_child):
    _, report, _ = run_child([{"call": "fail(i)i", "args": [errno.ENOENT]}], Adder)
    assert (report.result(), report.errno()) == (-1, errno.ENOENT)


def test_failing_pointer_function_returns_null(run_child):
    _, report, _ = run_child([{"call": "fail_ptr()p"}], Adder)
    assert (report.result(), report.errno()) == (0, errno.ENOMEM)


def test_unserved_call_kills_child_and_names_call_with_arguments(run_child):
    with pytest.raises(UnsupportedCall) as raised:
        run_child([{"call": "socket(iii)i", "args": [2, 1, 0]}], Adder)
    message = str(raised.value)
    assert "socket(2, 1, 0)" in message and "socket(iii)i" in message
    assert "at byte 0" in message


def test_same_name_with_other_signature_is_not_served(run_child):
    with pytest.raises(UnsupportedCall, match=r"add\(1\) \[add\(i\)i\]"):
        run_child([{"call": "add(i)i", "args": [1]}], Adder)


def test_error_offset_counts_bytes_of_earlier_requests(run_child):
    first = len(request_bytes("add(ii)i", i64(1), i64(2)))
    with pytest.raises(UnsupportedCall, match="at byte %d " % first):
        run_child([{"call": "add(ii)i", "args": [1, 2]},
                   {"call": "nope()i"}], Adder)


def test_child_is_reaped_after_a_sandbox_error(run_child, tmp_path):
    class Recording(Adder):
        instances = []

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            Recording.instances.append(self)

    with pytest.raises(UnsupportedCall):
        run_child([{"call": "nope()i"}, {"hang": True}], Recording)
    process = Recording.instances[-1]
    assert process.returncode == -signal.SIGKILL
    with pytest.raises(ChildProcessError):
        os.waitpid(process._popen.pid, os.WNOHANG)


def test_handler_returning_wrong_type_is_a_controller_bug(run_child):
    with pytest.raises(TypeError, match="bad_result"):
        run_child([{"call": "bad_result()i"}], Adder)


def test_exit_status_is_the_childs(run_child):
    status, _, _ = run_child([{"exit": 7}], Adder)
    assert status == 7


def test_signal_death_gives_128_plus_signal(run_child):
    class Suicidal(Adder):
        @signature("die()v")
        def die(self):
            os.kill(self._popen.pid, signal.SIGSEGV)

    status, _, _ = run_child([{"call": "die()v"}, {"hang": True}], Suicidal)
    assert status == 128 + signal.SIGSEGV


def test_underscore_exit_ends_run_with_its_status(run_child):
    status, _, process = run_child([{"call": "_exit(i)v", "args": [3]}, {"hang": True}],
                                   Adder)
    assert status == 3 and process.returncode is not None


def test_debug_log_shows_each_call_and_answer(run_child):
    log = io.StringIO()
    run_child([{"call": "add(ii)i", "args": [1, 2]},
               {"call": "fail(i)i", "args": [errno.EPERM]}], Adder, debug=log)
    lines = log.getvalue().splitlines()
    assert lines == ["rplug: add(1, 2) [add(ii)i] -> 3",
                     "rplug: fail(1) [fail(i)i] -> -1 (errno EPERM)"]


def test_subclass_handler_overrides_mixin_handler():
    class Doubler(Adder):
        @signature("add(ii)i")
        def add(self, left, right):
            return 2 * (left + right)

    assert Doubler.handlers["add(ii)i"] is Doubler.__dict__["add"]
    assert Adder.handlers["add(ii)i"] is Adder.__dict__["add"]


def test_two_handlers_for_one_signature_in_one_class_are_refused():
    @signature("add(ii)i")
    def add(self, left, right):
        return 0

    class Twice:
        pass
    Twice.add = add
    Twice.add_too = signature("add(ii)i")(_renamed(add))
    with pytest.raises(TypeError, match="two handlers"):
        collect_handlers(Twice)


def _renamed(function):
    def add(self, left, right):
        return function(self, left, right)
    return add


def test_reading_null_pointer_gives_efault_without_asking_child(run_child):
    class Reader(VirtualizedProcess):
        @signature("peek(pi)i")
        def peek(self, pointer, size):
            return len(self.read_memory(pointer, size))

    _, report, _ = run_child([{"call": "peek(pi)i", "args": [{"ptr": 0}, 10]}], Reader)
    assert (report.result(), report.errno()) == (-1, errno.EFAULT)


def test_child_memory_helpers_round_trip(run_child):
    class Memory(VirtualizedProcess):
        @signature("shout(pi)p")
        def shout(self, pointer, size):
            text = self.read_memory(pointer, size)
            copy = self.allocate_in_child(text.upper() + b"\0")
            self.write_memory(pointer, b"done")
            return copy

        @signature("forget(p)v")
        def forget(self, pointer):
            self.free_in_child(pointer)

    _, report, _ = run_child([
        {"call": "shout(pi)p", "args": [{"bytes": b"hello", "name": "text"}, 5]},
        {"call": "forget(p)v", "args": [{"result_of": 0}]},
    ], Memory)
    assert report.string_at(report.result(0)) == b"HELLO"
    assert report.buffer("text", 0) == b"doneo"
    assert report.freed == [report.result(0)]


def test_a_process_runs_only_once(run_child):
    _, _, process = run_child([], Adder)
    with pytest.raises(RuntimeError):
        process.run()


def test_missing_binary_is_a_configuration_error():
    from sandbox import ConfigurationError
    with pytest.raises(ConfigurationError, match="cannot start"):
        VirtualizedProcess("/nonexistent/binary").run()


def test_protocol_error_is_a_sandbox_error():
    from sandbox import SandboxError
    assert issubclass(ProtocolError, SandboxError) and issubclass(UnsupportedCall, ProtocolError)
    assert NULL == Ptr(0)
