"""The flagship target translated with --sandbox: Lua scripts under `rplug run`.

The same build `make demo` uses (and reuses from the cache).
"""
import os
import subprocess

import pytest

from rplug import paths

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
TARGET = os.path.join(paths.PROJECT_ROOT, "targets", "lua", "targetlua.py")
EXAMPLES = os.path.join(paths.PROJECT_ROOT, "targets", "lua", "examples")


@pytest.fixture(scope="module")
def rlua_sandbox(translate):
    return translate(TARGET, ["--sandbox"])


def run_lua(binary, tmp_path, script_text=None, script="/demo/demo.lua", options=()):
    mounts = ["--mount", "%s:/demo:ro" % EXAMPLES]
    if script_text is not None:
        scripts = tmp_path / "scripts"
        scripts.mkdir(exist_ok=True)
        (scripts / "main.lua").write_text(script_text)
        mounts += ["--mount", "%s:/scripts:ro" % scripts]
        script = "/scripts/main.lua"
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return subprocess.run([RPLUG, "run"] + mounts + ["--tmp", str(tmp)] + list(options)
                          + [binary, script], capture_output=True, text=True, timeout=120)


def test_demo_script_reads_mount_and_writes_tmp(rlua_sandbox, tmp_path):
    result = run_lua(rlua_sandbox, tmp_path, options=["--env", "USER=demo"])
    assert result.returncode == 0, result.stderr
    assert "read 3 lines from /demo/data.txt, sum of the numbers: 42" in result.stdout
    assert "USER is demo, HOME is nil" in result.stdout
    assert (tmp_path / "tmp" / "report.txt").read_text() == "lines=3 total=42\n"


def test_lua_cannot_read_host_files(rlua_sandbox, tmp_path):
    result = run_lua(rlua_sandbox, tmp_path, script_text=(
        'for _, path in ipairs({"/etc/passwd", "/demo/../../etc/passwd", "/proc/self/environ"}) do\n'
        '  local f, err = io.open(path)\n'
        '  print(path, f == nil, err)\n'
        'end\n'))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all("\ttrue\t" in line for line in lines), result.stdout
    assert "root:" not in result.stdout


def test_lua_cannot_run_commands(rlua_sandbox, tmp_path):
    marker = tmp_path / "pwned"
    result = run_lua(rlua_sandbox, tmp_path, script_text=(
        'print(os.execute("touch %s"))\n'
        'print(pcall(io.popen, "id"))\n' % marker))
    assert not marker.exists()
    assert "true\texit\t0" not in result.stdout


def test_lua_runtime_error_is_reported_and_exit_status_kept(rlua_sandbox, tmp_path):
    result = run_lua(rlua_sandbox, tmp_path, script_text='error("boom")\n')
    assert result.returncode == 1
    assert "boom" in result.stderr
