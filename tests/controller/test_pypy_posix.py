"""The rest of PyPy's posix calls: answered virtually or refused, never left unserved."""
import errno
import io
import os
import stat

import pytest

from sandbox import host_architecture
from sandbox.pypy_controller import PyPyController

ARCH = host_architecture()
STAT_SIZE = ARCH.layout("stat").size


@pytest.fixture
def host(tmp_path):
    root = tmp_path / "host"
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    (data / "file.txt").write_bytes(b"0123456789")
    os.symlink("file.txt", data / "relative_link")
    os.symlink(str(data / "sub"), data / "absolute_inside")
    os.symlink(str(root / "secret"), data / "absolute_outside")
    (root / "tmp").mkdir()
    (root / "tmp" / "grow.txt").write_bytes(b"abcdef")
    (root / "checkout" / "lib-python" / "2.7").mkdir(parents=True)
    (root / "checkout" / "lib_pypy").mkdir()
    return root


@pytest.fixture
def run_posix(run_child, host):
    def run(script, **options):
        audit = io.StringIO()
        status, report, controller = run_child(
            script, controller_class=PyPyController, pypy_home=str(host / "checkout"),
            mounts=[(str(host / "data"), "/data", False)], tmp_dir=str(host / "tmp"),
            audit=audit, **options)
        assert status == 0
        report.audit = audit.getvalue()
        return report
    return run


def test_stat_lstat_fstat_are_the_stat64_family(run_posix):
    report = run_posix([
        {"call": "stat(pp)i", "args": [{"cstr": b"/data/relative_link"},
                                       {"buf": STAT_SIZE, "name": "st"}]},
        {"call": "lstat(pp)i", "args": [{"cstr": b"/data/relative_link"},
                                        {"buf": STAT_SIZE, "name": "st"}]},
        {"call": "open(pii)i", "args": [{"cstr": b"/data/file.txt"}, 0, 0]},
        {"call": "fstat(ip)i", "args": [{"result_of": 2}, {"buf": STAT_SIZE, "name": "st"}]}])
    modes = [ARCH.unpack("stat", report.buffer("st", index))["st_mode"] for index in (0, 1, 3)]
    assert stat.S_ISREG(modes[0]) and stat.S_ISLNK(modes[1]) and stat.S_ISREG(modes[2])
    assert ARCH.unpack("stat", report.buffer("st", 3))["st_size"] == 10


def test_wait_status_macros_are_computed(run_posix):
    exited_3, killed_by_9 = 3 << 8, 9
    report = run_posix([{"call": "WIFEXITED(i)i", "args": [exited_3]},
                        {"call": "WEXITSTATUS(i)i", "args": [exited_3]},
                        {"call": "WIFSIGNALED(i)i", "args": [killed_by_9]},
                        {"call": "WTERMSIG(i)i", "args": [killed_by_9]},
                        {"call": "WIFEXITED(i)i", "args": [killed_by_9]}])
    assert [call["result"] for call in report.calls] == [1, 3, 1, 9, 0]


def test_umask_remembers_the_last_mask(run_posix):
    report = run_posix([{"call": "umask(i)i", "args": [0o077]},
                        {"call": "umask(i)i", "args": [0o022]}])
    assert (report.result(0), report.result(1)) == (0o022, 0o077)


def test_readlink_inside_a_mount_and_never_a_host_path(run_posix, host):
    def readlink(path):
        return {"call": "readlink(ppi)i", "args": [{"cstr": path}, {"buf": 256, "name": "to"},
                                                   256]}
    report = run_posix([readlink(b"/data/relative_link"), readlink(b"/data/absolute_inside"),
                        readlink(b"/data/absolute_outside"), readlink(b"/data/file.txt")])
    assert report.buffer("to", 0)[:report.result(0)] == b"file.txt"
    assert report.buffer("to", 1)[:report.result(1)] == b"sub"
    assert (report.result(2), report.errno(2)) == (-1, errno.EACCES)
    assert str(host).encode() not in report.buffer("to", 2)
    assert (report.result(3), report.errno(3)) == (-1, errno.EINVAL)
    assert "points outside its mount" in report.audit


def test_ftruncate_of_a_writable_file_and_not_of_a_read_only_one(run_posix, host):
    report = run_posix([
        {"call": "open(pii)i", "args": [{"cstr": b"/tmp/grow.txt"}, os.O_RDWR, 0]},
        {"call": "ftruncate(ii)i", "args": [{"result_of": 0}, 3]},
        {"call": "open(pii)i", "args": [{"cstr": b"/data/file.txt"}, 0, 0]},
        {"call": "ftruncate(ii)i", "args": [{"result_of": 2}, 3]}])
    assert report.result(1) == 0 and (host / "tmp" / "grow.txt").read_bytes() == b"abc"
    assert (report.result(3), report.errno(3)) == (-1, errno.EINVAL)
    assert (host / "data" / "file.txt").read_bytes() == b"0123456789"


def test_fcntl_reports_descriptor_flags(run_posix):
    report = run_posix([{"call": "open(pii)i", "args": [{"cstr": b"/data/file.txt"}, 0, 0]},
                        {"call": "fcntl(iii)i", "args": [{"result_of": 0}, 3, 0]},
                        {"call": "fcntl(iii)i", "args": [{"result_of": 0}, 1, 0]},
                        {"call": "fcntl(iii)i", "args": [99, 1, 0]}])
    assert report.result(1) == os.O_RDONLY and report.result(2) == 1
    assert (report.result(3), report.errno(3)) == (-1, errno.EBADF)


@pytest.mark.parametrize("call, args, error", [
    ("setreuid(ii)i", [0, 0], errno.EPERM),
    ("setresuid(iii)i", [0, 0, 0], errno.EPERM),
    ("fchmod(ii)i", [1, 0o777], errno.EPERM),
    ("openpty(ppppp)i", [0, 0, 0, 0, 0], errno.EPERM),
    ("pipe2(pi)i", [0, 0], errno.EPERM),
    ("tcsetpgrp(ii)i", [0, 1], errno.ENOTTY),
])
def test_identity_terminal_and_pipe_changes_are_refused_and_audited(run_posix, call, args,
                                                                      error):
    report = run_posix([{"call": call, "args": args}])
    assert (report.result(), report.errno()) == (-1, error)
    assert "refused %s(" % call.split("(")[0] in report.audit


def test_process_group_and_session_are_the_virtual_process(run_posix):
    report = run_posix([{"call": "getpgrp()i"}, {"call": "getsid(i)i", "args": [0]},
                        {"call": "getpgid(i)i", "args": [12345]}, {"call": "getpid()i"}])
    assert report.result(0) == report.result(1) == report.result(3)
    assert (report.result(2), report.errno(2)) == (-1, errno.ESRCH)
