"""Environment variables: only those given, read-only, bounded."""
import errno

from fake_child_driver import BASE


def test_getenv_finds_given_variables_only(run_child):
    _, report, _ = run_child([{"call": "getenv(p)p", "args": [{"cstr": b"LANG"}]},
                              {"call": "getenv(p)p", "args": [{"cstr": b"HOME"}]},
                              {"call": "getenv(p)p", "args": [{"cstr": b"LANG"}]}],
                             environment={"LANG": "C.UTF-8"})
    assert report.string_at(report.result(0)) == b"C.UTF-8"
    assert report.result(1) == 0
    assert report.result(2) == report.result(0)        # copied into the child once


def test_environ_array_lists_given_variables_then_null(run_child):
    _, report, _ = run_child([{"call": "get_environ()p"}, {"call": "get_environ()p"}],
                             environment={"B": "2", "A": "1"})
    array = report.result(0)
    entries = [report.word_at(array + 8 * index) for index in range(3)]
    assert [report.string_at(entry) for entry in entries[:2]] == [b"A=1", b"B=2"]
    assert entries[2] == 0 and report.result(1) == array


def test_environment_is_empty_by_default(run_child):
    _, report, _ = run_child([{"call": "get_environ()p"}])
    assert report.word_at(report.result()) == 0 and report.result() >= BASE


def test_unknown_names_cost_no_child_memory(run_child):
    _, report, _ = run_child([{"call": "getenv(p)p", "args": [{"cstr": b"X%d" % n}]}
                              for n in range(50)])
    assert all(call["result"] == 0 for call in report.calls)
    assert len(report.memory) < 50 * 16 + 64        # only the name strings themselves


def test_environment_changes_are_refused(run_child):
    _, report, _ = run_child([{"call": "putenv(p)i", "args": [{"cstr": b"A=1"}]},
                              {"call": "unsetenv(p)i", "args": [{"cstr": b"A"}]}])
    assert [(call["result"], call["errno"]) for call in report.calls] == [
        (-1, errno.EPERM), (-1, errno.EPERM)]
