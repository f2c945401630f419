"""``rplug run`` and ``rplug check`` as the lead's CLI will call them."""
import argparse
import os
import stat
import sys

import pytest

from fake_child_driver import FAKE_CHILD
from sandbox import ConfigurationError
from sandbox.cli import EXIT_SANDBOX_ERROR, main, parse_env, parse_mount, register


@pytest.mark.parametrize("spec, expected", [
    ("/srv/data:/data", ("/srv/data", "/data", False)),
    ("/srv/data:/data:ro", ("/srv/data", "/data", False)),
    ("/srv/data:/data:rw", ("/srv/data", "/data", True)),
    ("/odd:name:/v:rw", ("/odd:name", "/v", True)),
])
def test_mount_specs(spec, expected):
    assert parse_mount(spec) == expected


@pytest.mark.parametrize("spec", ["/srv/data", ":/data", "/srv:relative", "/srv:/v:xx"])
def test_bad_mount_specs_say_the_expected_form(spec):
    with pytest.raises(ConfigurationError, match="HOST:VIRTUAL"):
        parse_mount(spec)


def test_env_assignments():
    assert parse_env("A=b=c") == ("A", "b=c")
    with pytest.raises(ConfigurationError, match="NAME=VALUE"):
        parse_env("novalue")


def test_register_adds_run_and_check_to_a_parent_parser():
    parser = argparse.ArgumentParser(prog="rplug")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run", "--mount", "/a:/b", "--env", "X=1", "--timeout", "3",
                              "bin", "--not-an-option-of-run"])
    assert (args.binary, args.args, args.mount, args.timeout) == (
        "bin", ["--not-an-option-of-run"], ["/a:/b"], 3.0)
    assert parser.parse_args(["check", "--verbose", "bin"]).func.__name__ == "check_command"


@pytest.fixture(autouse=True)
def fake_children_pass_the_binary_check(monkeypatch):
    """The fake child is a Python script, not a sandboxed ELF binary: let it
    through the static check of `rplug run` (tested in test_binary.py and,
    on real binaries, in tests/translated/test_sandbox_e2e.py)."""
    import platform
    import sandbox.cli
    monkeypatch.setattr(sandbox.cli, "inspect_sandboxed_binary",
                        lambda path: platform.machine())


def fake_child_command(tmp_path, script):
    (tmp_path / "script").write_text(repr(script))
    return [sys.executable, "-S", "-I", FAKE_CHILD, str(tmp_path / "script"),
            str(tmp_path / "report")]


def test_run_passes_output_through_and_returns_the_childs_status(tmp_path, capfd):
    command = fake_child_command(tmp_path, [
        {"call": "write(ipi)i", "args": [1, {"cstr": b"hi"}, 2]},
        {"call": "getenv(p)p", "args": [{"cstr": b"GREETING"}]},
        {"exit": 4}])
    status = main(["run", "--env", "GREETING=hello", "--timeout", "20"] + command)
    assert status == 4
    assert capfd.readouterr().out == "hi"


def test_run_reports_a_sandbox_error_in_one_line(tmp_path, capfd):
    command = fake_child_command(tmp_path, [{"call": "frobnicate(i)i", "args": [1]}])
    status = main(["run", "--timeout", "20"] + command)
    error = capfd.readouterr().err
    assert status == EXIT_SANDBOX_ERROR
    assert error.startswith("rplug run: error: the child called frobnicate(1)")
    assert error.count("\n") == 1 and "Traceback" not in error


def test_run_shows_traceback_and_calls_with_debug(tmp_path, capfd):
    command = fake_child_command(tmp_path, [{"call": "getpid()i"},
                                            {"call": "frobnicate(i)i", "args": [1]}])
    assert main(["run", "--debug", "--timeout", "20"] + command) == EXIT_SANDBOX_ERROR
    error = capfd.readouterr().err
    assert "rplug: getpid() [getpid()i] -> 2" in error and "Traceback" in error


def test_run_with_a_bad_mount_is_a_one_line_error(capfd):
    assert main(["run", "--mount", "/nonexistent/dir:/data", "/bin/true"]) == EXIT_SANDBOX_ERROR
    assert "cannot mount /nonexistent/dir" in capfd.readouterr().err


def test_run_with_tmp_creates_and_mounts_the_directory(tmp_path):
    command = fake_child_command(tmp_path, [
        {"call": "open(pii)i", "args": [{"cstr": b"/tmp/made"}, 0o101, 0o644]}])
    assert main(["run", "--tmp", str(tmp_path / "scratch"), "--timeout", "20"] + command) == 0
    assert (tmp_path / "scratch" / "made").exists()


def fake_binary(tmp_path, funcs, machine="x86_64"):
    path = tmp_path / "binary"
    path.write_text("#!/bin/sh\n[ -n \"$RPY_SANDBOX_DUMP\" ] || exit 3\n"
                    "printf 'Version: 20001\\nPlatform: linux2\\nFuncs: %s\\n"
                    "Machine: %s\\nByteorder: little\\nWordsize: 8\\nSeccomp: on\\n'\n"
                    % (funcs, machine))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the fake dump says x86_64")
def test_check_passes_when_every_call_is_served(tmp_path, capfd):
    binary = fake_binary(tmp_path, "open(pii)i read(ipi)i write(ipi)i")
    assert main(["check", "--verbose", binary]) == 0
    out = capfd.readouterr().out
    assert "3 calls, 3 served" in out and "VirtualFileSystem.open" in out


def test_check_lists_unserved_calls_and_fails(tmp_path, capfd):
    binary = fake_binary(tmp_path, "frobnicate(i)i write(ipi)i")
    assert main(["check", binary]) == 1
    assert "not served: frobnicate(i)i" in capfd.readouterr().out


def test_check_flags_an_unknown_machine(tmp_path, capfd):
    binary = fake_binary(tmp_path, "write(ipi)i", machine="riscv64")
    assert main(["check", binary]) == 1
    assert "no C layouts for machine riscv64" in capfd.readouterr().out


def test_check_of_a_binary_that_is_not_sandboxed(capfd):
    assert main(["check", "/bin/true"]) == 1
    assert "rplug check: error:" in capfd.readouterr().err


def test_run_explains_a_seccomp_kill(tmp_path, capfd):
    killed_by_sigsys = tmp_path / "killed_by_sigsys"
    killed_by_sigsys.write_text("#!/bin/sh\nkill -SYS $$\n")
    killed_by_sigsys.chmod(0o755)
    assert main(["run", "--timeout", "20", str(killed_by_sigsys)]) == 128 + 31
    assert "seccomp" in capfd.readouterr().err
