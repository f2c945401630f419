"""Sandboxed binaries under `rplug run`: same results as plain builds, and no escape.

Each escape test checks the host afterwards: nothing outside the controller's
tmp directory changed.
"""
import os
import signal
import subprocess
import time

import pytest

from rplug import paths

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
PROBE = os.path.join(paths.PROJECT_ROOT, "targets", "probes", "targetsandboxprobe.py")
RAW_SYSCALL = os.path.join(paths.PROJECT_ROOT, "targets", "probes", "targetrawsyscall.py")
EXIT_SANDBOX_ERROR = 125


@pytest.fixture(scope="module")
def sandboxed_probe(translate):
    return translate(PROBE, ["--sandbox"])


@pytest.fixture(scope="module")
def plain_probe(translate):
    return translate(PROBE)


@pytest.fixture
def area(tmp_path):
    """A host tree to mount: data/ (read-only mount) and tmp/ (the writable /tmp)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "hello.txt").write_bytes(b"hello, sandbox\n")
    (data / "sub").mkdir()
    (data / "sub" / "inner.txt").write_bytes(b"inner\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret outside the mounts\n")
    return tmp_path


def snapshot(root):
    """Every path below root with its content, to prove nothing changed."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or os.path.isdir(path):
                state[path] = os.readlink(path) if os.path.islink(path) else "dir"
            else:
                with open(path, "rb") as f:
                    state[path] = f.read()
    return state


def run_sandboxed(binary, area, *args, options=(), stdin=None):
    cmd = [RPLUG, "run", "--mount", "%s:/data:ro" % (area / "data"),
           "--tmp", str(area / "tmp")] + list(options) + [binary] + list(args)
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          input=stdin, timeout=120)


def test_cat_matches_plain_build(sandboxed_probe, plain_probe, area):
    plain = subprocess.run([plain_probe, "cat", str(area / "data" / "hello.txt")],
                           capture_output=True)
    boxed = run_sandboxed(sandboxed_probe, area, "cat", "/data/hello.txt")
    assert boxed.returncode == plain.returncode == 0
    assert boxed.stdout == plain.stdout == b"hello, sandbox\n"


def test_listdir_matches_plain_build(sandboxed_probe, plain_probe, area):
    plain = subprocess.run([plain_probe, "listdir", str(area / "data")], capture_output=True)
    boxed = run_sandboxed(sandboxed_probe, area, "listdir", "/data")
    assert boxed.stdout == plain.stdout == b"hello.txt\nsub\n"


def test_arguments_arrive_unchanged(sandboxed_probe, area):
    boxed = run_sandboxed(sandboxed_probe, area, "args", "one", "two words", "")
    assert boxed.stdout == b"one\ntwo words\n\n"


def test_stdin_is_what_the_controller_gives(sandboxed_probe, area):
    source = area / "input.txt"
    source.write_bytes(b"line one\nline two\n")
    boxed = run_sandboxed(sandboxed_probe, area, "echo", options=["--stdin", str(source)])
    assert boxed.returncode == 0
    assert boxed.stdout == b"line one\nline two\n"


def test_environment_is_only_what_env_gives(sandboxed_probe, area):
    os.environ["RPLUG_TEST_SECRET"] = "host value"
    try:
        hidden = run_sandboxed(sandboxed_probe, area, "env", "RPLUG_TEST_SECRET")
        given = run_sandboxed(sandboxed_probe, area, "env", "GREETING",
                              options=["--env", "GREETING=hi there"])
    finally:
        del os.environ["RPLUG_TEST_SECRET"]
    assert hidden.stdout == b"<unset>\n"
    assert given.stdout == b"hi there\n"


def test_clock_is_virtual_by_default(sandboxed_probe, area):
    first = run_sandboxed(sandboxed_probe, area, "time")
    second = run_sandboxed(sandboxed_probe, area, "time")
    real = run_sandboxed(sandboxed_probe, area, "time", options=["--real-time"])
    assert first.returncode == 0
    virtual = int(first.stdout)
    assert abs(int(second.stdout) - virtual) <= 2
    assert abs(virtual - time.time()) > 86400
    assert abs(int(real.stdout) - time.time()) < 60


def test_writes_land_in_the_tmp_directory(sandboxed_probe, area):
    boxed = run_sandboxed(sandboxed_probe, area, "write", "/tmp/out.txt", "written inside")
    assert boxed.returncode == 0, boxed.stderr
    assert (area / "tmp" / "out.txt").read_bytes() == b"written inside"
    again = run_sandboxed(sandboxed_probe, area, "cat", "/tmp/out.txt")
    assert again.stdout == b"written inside"


def _assert_refused(result):
    assert result.returncode != 0
    assert b"probe:" in result.stderr or b"rplug run: error" in result.stderr


@pytest.mark.parametrize("path", [
    "/etc/passwd",
    "/data/../../etc/passwd",
    "/data/../outside.txt",
    "../outside.txt",
    "/data/sub/../../outside.txt",
])
def test_host_files_outside_mounts_are_invisible(sandboxed_probe, area, path):
    result = run_sandboxed(sandboxed_probe, area, "cat", path)
    _assert_refused(result)
    assert b"secret" not in result.stdout and b"root:" not in result.stdout


def test_symlink_out_of_a_mount_is_not_followed(sandboxed_probe, area):
    os.symlink(str(area / "outside.txt"), str(area / "data" / "escape"))
    os.symlink("/etc/passwd", str(area / "data" / "passwd"))
    for name in ("escape", "passwd"):
        result = run_sandboxed(sandboxed_probe, area, "cat", "/data/" + name)
        _assert_refused(result)
        assert b"secret" not in result.stdout and b"root:" not in result.stdout


@pytest.mark.parametrize("args", [
    ("write", "/data/hello.txt", "overwritten"),
    ("append", "/data/hello.txt", "more"),
    ("write", "/data/new.txt", "created"),
    ("unlink", "/data/hello.txt"),
    ("mkdir", "/data/newdir"),
    ("rename", "/data/hello.txt", "/tmp/stolen.txt"),
    ("write", "/outside.txt", "created at the root"),
])
def test_read_only_mount_and_root_cannot_change(sandboxed_probe, area, args):
    before = snapshot(str(area / "data"))
    result = run_sandboxed(sandboxed_probe, area, *args)
    _assert_refused(result)
    assert snapshot(str(area / "data")) == before
    assert not os.path.exists(str(area / "tmp" / "stolen.txt"))


def test_system_is_refused_and_runs_nothing(sandboxed_probe, area):
    marker = area / "pwned"
    result = run_sandboxed(sandboxed_probe, area, "system", "touch %s" % marker)
    assert not marker.exists()
    assert b"status 0" not in result.stdout


def test_raw_syscall_past_the_stubs_is_killed_by_seccomp(translate, area):
    binary = translate(RAW_SYSCALL, ["--sandbox"])
    result = run_sandboxed(binary, area)
    assert b"escaped" not in result.stdout
    assert result.returncode == 128 + signal.SIGSYS, (result.returncode, result.stderr)


def test_without_seccomp_the_same_escape_succeeds(translate, area):
    """The control experiment: seccomp, not luck, stopped the raw syscall above."""
    binary = translate(RAW_SYSCALL, ["--sandbox", "--sandbox-seccomp=off"])
    dump = subprocess.run([binary], env={"RPY_SANDBOX_DUMP": "1"}, capture_output=True).stdout
    assert b"Seccomp: off" in dump
    result = run_sandboxed(binary, area)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"escaped: pid ")


def test_check_reports_every_call_served(sandboxed_probe):
    result = subprocess.run([RPLUG, "check", sandboxed_probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "protocol 20001" in result.stdout


def test_dump_lists_new_protocol_signatures(sandboxed_probe):
    dump = subprocess.run([sandboxed_probe], env={"RPY_SANDBOX_DUMP": "1"},
                          capture_output=True, text=True).stdout
    lines = dict(line.split(": ", 1) for line in dump.strip().splitlines())
    assert lines["Version"] == "20001"
    funcs = lines["Funcs"].split(" ")
    assert funcs == sorted(funcs)
    for signature in ("open(pii)i", "read(ipi)i", "write(ipi)i", "getenv(p)p"):
        assert signature in funcs


def test_old_marshal_sandbox_is_absent(sandboxed_probe):
    """Stock rpython's marshal trampolines name their messages 'll_os.ll_os_*'."""
    with open(sandboxed_probe, "rb") as f:
        image = f.read()
    assert b"ll_os.ll_os_" not in image
    assert b"ll_time.ll_time_" not in image
    assert b"not_sandboxed" not in image
    assert b"getenv(p)p" in image


def test_sandboxed_binary_refuses_to_run_without_controller(sandboxed_probe):
    result = subprocess.run([sandboxed_probe, "cat", "/etc/passwd"], stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=30)
    assert result.returncode != 0
    assert b"root:" not in result.stdout


def test_unsandboxed_binary_is_refused_before_it_runs(plain_probe, area):
    marker = area / "ran"
    result = run_sandboxed(plain_probe, area, "write", str(marker), "host effect")
    assert result.returncode == EXIT_SANDBOX_ERROR
    assert b"was not translated with --sandbox" in result.stderr
    assert not marker.exists()


def test_checker_rejects_raw_writes_naming_the_function(tmp_path):
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "targetrawwrite.py")
    result = subprocess.run([RPLUG, "translate", "--sandbox", "--output", str(tmp_path / "x"),
                             target], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "SandboxViolation" in result.stderr
    assert "targetrawwrite.scribble" in result.stderr
    assert "writes raw memory outside GC objects" in result.stderr
    assert not (tmp_path / "x").exists()
