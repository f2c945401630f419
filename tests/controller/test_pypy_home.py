"""``--pypy-home``: a PyPy checkout's library served read-only where PyPy looks."""
import errno
import io
import os
import stat
import sys

import pytest

from fake_child_driver import FAKE_CHILD
from sandbox import ConfigurationError, host_architecture
from sandbox.cli import EXIT_SANDBOX_ERROR, main
from sandbox.pypy_controller import PyPyController
from sandbox.pypy_home import check_pypy_home, virtual_executable
from sandbox.vfs import O_CREAT, O_WRONLY, X_OK

ARCH = host_architecture()
STAT_SIZE = ARCH.layout("stat").size
DIRENT_SIZE = ARCH.layout("dirent").size
# the fake child is started from sys.executable, so that is its virtual name
EXECUTABLE = virtual_executable(sys.executable).encode()


@pytest.fixture
def checkout(tmp_path):
    """The part of a PyPy checkout the controller serves, plus a file beside it."""
    root = tmp_path / "pypy"
    (root / "lib-python" / "2.7" / "json").mkdir(parents=True)
    (root / "lib-python" / "2.7" / "os.py").write_bytes(b"# os\n")
    (root / "lib_pypy").mkdir()
    (root / "lib_pypy" / "_structseq.py").write_bytes(b"# structseq\n")
    (root / "pypy").mkdir()
    (root / "pypy" / "secret.py").write_bytes(b"# not served\n")
    return root


@pytest.fixture
def run_pypy(run_child, checkout):
    def run(script):
        audit = io.StringIO()
        status, report, _ = run_child(script, controller_class=PyPyController,
                                      pypy_home=str(checkout), audit=audit)
        assert status == 0
        return report
    return run


def call_stat(path):
    return {"call": "stat64(pp)i", "args": [{"cstr": path}, {"buf": STAT_SIZE, "name": "st"}]}


def call_open(path, flags=0, mode=0):
    return {"call": "open(pii)i", "args": [{"cstr": path}, flags, mode]}


def test_virtual_executable_is_under_pypy_bin():
    assert virtual_executable("/work/build/pypy-c-sandbox") == "/pypy/bin/pypy-c-sandbox"


def test_the_executable_is_an_executable_regular_file(run_pypy):
    report = run_pypy([call_stat(EXECUTABLE),
                       {"call": "access(pi)i", "args": [{"cstr": EXECUTABLE}, X_OK]}])
    fields = ARCH.unpack("stat", report.buffer("st", 0))
    assert report.result(0) == 0 and stat.S_ISREG(fields["st_mode"])
    assert fields["st_mode"] & 0o111 and fields["st_size"] == 0
    assert report.result(1) == 0


def test_the_library_directories_are_where_pypy_searches(run_pypy):
    # initpath.find_stdlib: from /pypy/bin up, the first directory holding
    # lib-python/2.7 and lib_pypy
    report = run_pypy([call_stat(b"/pypy/bin/lib-python/2.7"), call_stat(b"/pypy/lib-python/2.7"),
                       call_stat(b"/pypy/lib_pypy")])
    assert report.result(0) == -1 and report.errno(0) == errno.ENOENT
    for index in (1, 2):
        assert report.result(index) == 0
        assert stat.S_ISDIR(ARCH.unpack("stat", report.buffer("st", index))["st_mode"])


def test_library_files_are_read_from_the_checkout(run_pypy):
    report = run_pypy([call_open(b"/pypy/lib-python/2.7/os.py"),
                       {"call": "read(ipi)i", "args": [{"result_of": 0},
                                                       {"buf": 64, "name": "data"}, 64]}])
    assert report.buffer("data", 1)[:report.result(1)] == b"# os\n"


def test_the_library_is_read_only(run_pypy, checkout):
    report = run_pypy([call_open(b"/pypy/lib_pypy/_structseq.pyc", O_WRONLY | O_CREAT, 0o644),
                       call_open(b"/pypy/lib_pypy/_structseq.py", O_WRONLY)])
    assert [report.errno(0), report.errno(1)] == [errno.EROFS, errno.EROFS]
    assert not (checkout / "lib_pypy" / "_structseq.pyc").exists()
    assert (checkout / "lib_pypy" / "_structseq.py").read_bytes() == b"# structseq\n"


def test_the_rest_of_the_checkout_is_not_visible(run_pypy):
    report = run_pypy([call_stat(b"/pypy/pypy/secret.py"),
                       call_stat(b"/pypy/lib_pypy/../pypy/secret.py"),
                       call_stat(b"/pypy/lib_pypy/../../pypy/secret.py")])
    assert all(report.result(index) == -1 for index in range(3))
    assert all(report.errno(index) == errno.ENOENT for index in range(3))


def test_listing_pypy_shows_the_install_layout(run_pypy):
    names = []
    script = [{"call": "opendir(p)p", "args": [{"cstr": b"/pypy"}]}]
    script += [{"call": "readdir(p)p", "args": [{"result_of": 0}], "peek": DIRENT_SIZE}] * 6
    report = run_pypy(script)
    for index in range(1, 6):
        if report.result(index):
            names.append(ARCH.unpack("dirent", report.at_result(index))["d_name"])
    assert names == [b".", b"..", b"bin", b"lib-python", b"lib_pypy"]


@pytest.mark.parametrize("missing", ["lib_pypy", "lib-python"])
def test_a_home_without_the_library_is_refused_naming_what_is_missing(checkout, missing):
    import shutil
    shutil.rmtree(checkout / missing)
    with pytest.raises(ConfigurationError, match="no %s there" % missing):
        check_pypy_home(str(checkout))


def test_a_lib_python_without_a_version_directory_is_refused(checkout):
    import shutil
    shutil.rmtree(checkout / "lib-python" / "2.7")
    with pytest.raises(ConfigurationError, match="lib-python/X.Y"):
        check_pypy_home(str(checkout))


def test_run_with_a_bad_pypy_home_is_a_one_line_error(tmp_path, capfd, monkeypatch):
    import platform
    import sandbox.cli
    monkeypatch.setattr(sandbox.cli, "inspect_sandboxed_binary", lambda path: platform.machine())
    status = main(["run", "--pypy-home", str(tmp_path), sys.executable, "-S", "-I", FAKE_CHILD])
    error = capfd.readouterr().err
    assert status == EXIT_SANDBOX_ERROR
    assert error.startswith("rplug run: error: --pypy-home %s: not a PyPy checkout" % tmp_path)
    assert error.count("\n") == 1


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the fake dump says x86_64")
def test_check_with_pypy_counts_the_pypy_handlers(tmp_path, capfd):
    binary = tmp_path / "binary"
    binary.write_text("#!/bin/sh\n[ -n \"$RPY_SANDBOX_DUMP\" ] || exit 3\n"
                      "printf 'Version: 20001\\nPlatform: linux2\\nFuncs: open(pii)i "
                      "localtime(p)p strftime(pipp)i\\nMachine: x86_64\\nByteorder: little\\n"
                      "Wordsize: 8\\nSeccomp: on\\n'\n")
    binary.chmod(0o755)
    assert main(["check", str(binary)]) == 1
    assert "not served: localtime(p)p" in capfd.readouterr().out
    assert main(["check", "--pypy", str(binary)]) == 0
    assert "3 calls, 3 served" in capfd.readouterr().out


@pytest.mark.parametrize("options, expected", [
    ({}, b"/"),
    ({"tmp_dir": "TMP"}, b"/tmp"),
    ({"tmp_dir": "TMP", "environment": {"HOME": "/data"}}, b"/data"),
])
def test_home_defaults_to_the_writable_tmp_or_the_root(run_child, checkout, tmp_path, options,
                                                        expected):
    if options.get("tmp_dir") == "TMP":
        (tmp_path / "scratch").mkdir(exist_ok=True)
        options = dict(options, tmp_dir=str(tmp_path / "scratch"))
    status, report, _ = run_child([{"call": "getenv(p)p", "args": [{"cstr": b"HOME"}]}],
                                  controller_class=PyPyController, pypy_home=str(checkout),
                                  **options)
    assert status == 0 and report.string_at(report.result()) == expected
