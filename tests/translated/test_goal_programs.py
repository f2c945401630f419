"""The rpython package's own goal programs, translated through `rplug translate`."""
import hashlib
import re
import subprocess


def run(binary, *args, **kwargs):
    return subprocess.run([binary] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120, **kwargs)


def test_nopstandalone_prints_its_debug_line(translate, rpython_goal):
    result = run(translate(rpython_goal("targetnopstandalone")))
    assert result.returncode == 0
    assert b"debug: hello world" in result.stdout + result.stderr


def test_rpystonedalone_reports_pystones(translate, rpython_goal):
    result = run(translate(rpython_goal("targetrpystonedalone")), "pystone", "2000")
    assert result.returncode == 0
    text = (result.stdout + result.stderr).decode()
    assert re.search(r"RPystone time for 2000 passes = [0-9.]+", text), text
    assert re.search(r"benchmarks at [0-9.]+ pystones/second", text), text


def test_sha1sum_matches_hashlib(translate, rpython_goal, tmp_path):
    data = bytes(range(256)) * 1000 + b"tail"
    sample = tmp_path / "sample.bin"
    sample.write_bytes(data)
    result = run(translate(rpython_goal("targetsha1sum")), str(sample))
    assert result.returncode == 0
    assert result.stdout.decode().split() == [hashlib.sha1(data).hexdigest(), str(sample)]


def test_readlines_prints_matching_lines(translate, rpython_goal, tmp_path):
    sample = tmp_path / "lines.txt"
    sample.write_text("alpha\nbeta needle\ngamma\nneedle again\n")
    result = run(translate(rpython_goal("targetreadlines")), "needle", str(sample))
    assert result.returncode == 0
    printed = [l for l in result.stdout.decode().splitlines() if l.strip()]
    assert printed == ["beta needle", "needle again"]
