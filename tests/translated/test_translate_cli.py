"""`rplug translate` as a user meets it: help, errors, logs, temporary trees."""
import os
import subprocess
import time

import pytest

from rplug import paths
from rplug.buildcache import cached_translate

HERE = os.path.dirname(os.path.abspath(__file__))
RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")


def rplug(*args, **kwargs):
    return subprocess.run([RPLUG] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=600, **kwargs)


def test_help_lists_subcommands():
    result = rplug("--help")
    assert result.returncode == 0
    assert "translate" in result.stdout


def test_translate_help_explains_own_options():
    result = rplug("translate", "--help")
    assert result.returncode == 0
    for option in ("--output", "--rpython", "--reuse", "--help-rpython"):
        assert option in result.stdout


def test_help_rpython_lists_plugin_and_rpython_options():
    result = rplug("translate", "--help-rpython")
    assert result.returncode == 0
    for option in ("--sandbox", "--sandbox-seccomp", "--opt", "--gc"):
        assert option in result.stdout, option


def test_unknown_option_is_one_paragraph(rpython_goal, tmp_path):
    result = rplug("translate", "--no-such-option", "--output", str(tmp_path / "x"),
                   rpython_goal("targetnopstandalone"))
    assert result.returncode != 0
    assert "no such option: --no-such-option" in result.stderr
    assert len(result.stderr.strip().splitlines()) < 15
    assert "full log: " in result.stderr


def test_plugin_option_without_its_plugin_is_refused(rpython_goal, tmp_path):
    result = rplug("translate", "--sandbox-seccomp=off", "--output", str(tmp_path / "x"),
                   rpython_goal("targetnopstandalone"))
    assert result.returncode != 0
    assert "--sandbox-seccomp only applies together with --sandbox" in result.stderr


def test_failing_target_gives_paragraph_and_log(tmp_path):
    result = rplug("translate", "--output", str(tmp_path / "broken"),
                   os.path.join(HERE, "data", "targetbroken.py"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any("translation of" in l and "failed" in l for l in lines)
    assert "UnionError" in result.stderr or "AnnotatorError" in result.stderr
    assert len(lines) < 25, result.stderr
    log_line = [l for l in lines if "full log: " in l][0]
    log_path = log_line.split("full log: ", 1)[1].strip()
    with open(log_path) as f:
        assert "annrpython.py" in f.read()  # the full traceback stays in the log


def test_missing_target_is_named(tmp_path):
    result = rplug("translate", "--output", str(tmp_path / "x"), str(tmp_path / "nothere.py"))
    assert result.returncode != 0
    assert "nothere.py does not exist" in result.stderr


def test_temporary_tree_is_under_build_and_removed(rpython_goal, tmp_path):
    result = rplug("translate", "--output", str(tmp_path / "nop"),
                   rpython_goal("targetnopstandalone"))
    assert result.returncode == 0, result.stderr
    log_path = result.stderr.split("(log: ", 1)[1].split(")", 1)[0]
    with open(log_path) as f:
        tree = [l.split(": ", 1)[1].strip() for l in f if l.startswith("# temporary tree: ")][0]
    assert tree.startswith(paths.USESSION_DIR + os.sep)
    assert not os.path.exists(tree)
    assert subprocess.run([str(tmp_path / "nop")], capture_output=True).returncode == 0


def nursery_sizes(binary, env_nursery=None):
    """The nursery sizes the binary's GC logs at start-up (the last is the one used)."""
    env = dict(os.environ, PYPYLOG="gc-set-nursery-size:-")
    env.pop("PYPY_GC_NURSERY", None)
    if env_nursery:
        env["PYPY_GC_NURSERY"] = env_nursery
    result = subprocess.run([binary], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return [int(line.split(":")[1]) for line in result.stderr.splitlines()
            if line.startswith("nursery size:")]


def test_gc_nursery_option_sets_the_nursery_whatever_the_cache(translate, rpython_goal):
    stock = translate(rpython_goal("targetnopstandalone"))
    fixed = translate(rpython_goal("targetnopstandalone"), ["--gc-nursery=4MB"])
    # /proc/cpuinfo's "cache size" may be a shared L3 of hundreds of MB
    # (stock RPython then takes half of it); the option does not look
    assert nursery_sizes(fixed)[-1] == 4 << 20
    # the run-time variable still decides, with or without the option
    assert nursery_sizes(fixed, env_nursery="2MB")[-1] == 2 << 20
    assert nursery_sizes(stock, env_nursery="3MB")[-1] == 3 << 20


def test_rpython_path_must_hold_a_package(rpython_goal, tmp_path):
    result = rplug("translate", "--rpython", str(tmp_path), "--output", str(tmp_path / "x"),
                   rpython_goal("targetnopstandalone"))
    assert result.returncode != 0
    assert "no rpython package there" in result.stderr


def test_cache_reuses_and_invalidates(tmp_path):
    target = tmp_path / "targetgreet.py"
    target.write_text(
        "import os\n"
        "def entry_point(argv):\n"
        "    os.write(1, 'greetings\\n')\n"
        "    return 0\n"
        "def target(*args):\n"
        "    return entry_point, None\n")
    first = cached_translate(str(target))
    assert subprocess.run([first], capture_output=True).stdout == b"greetings\n"
    started = time.time()
    again = cached_translate(str(target))
    assert again == first and time.time() - started < 5
    target.write_text(target.read_text().replace("greetings", "changed"))
    third = cached_translate(str(target))
    assert subprocess.run([third], capture_output=True).stdout == b"changed\n"


class _EditsTargetWhenAnnotating:
    """A progress stream that rewrites the target while RPython is annotating it."""

    def __init__(self, target):
        self.target = target
        self.edited = False

    def write(self, text):
        if "annotate" in text and not self.edited:
            self.target.write_text(self.target.read_text().replace("before", "after"))
            self.edited = True

    def flush(self):
        pass


def test_cache_never_reuses_a_binary_whose_inputs_changed_while_translating(tmp_path):
    target = tmp_path / "targetedited.py"
    target.write_text(
        "import os\n"
        "def entry_point(argv):\n"
        "    os.write(1, 'before\\n')\n"
        "    return 0\n"
        "def target(*args):\n"
        "    return entry_point, None\n")
    progress = _EditsTargetWhenAnnotating(target)
    first = cached_translate(str(target), quiet=False, out=progress)
    assert progress.edited
    # whichever text the first build saw, the second request must build from "after"
    again = cached_translate(str(target))
    assert subprocess.run([again], capture_output=True).stdout == b"after\n"
    assert again == first


PYPY_CHECKOUT = os.environ.get("RPLUG_PYPY_CHECKOUT")


@pytest.mark.skipif(not PYPY_CHECKOUT, reason="RPLUG_PYPY_CHECKOUT is not set: no PyPy "
                    "source checkout on this machine to translate with")
def test_translate_with_pypy_checkout(tmp_path):
    goal = os.path.join(PYPY_CHECKOUT, "rpython", "translator", "goal", "targetsha1sum.py")
    sample = tmp_path / "data"
    sample.write_bytes(b"abc")
    result = rplug("translate", "--quiet", "--rpython", PYPY_CHECKOUT,
                   "--output", str(tmp_path / "sha"), goal)
    assert result.returncode == 0, result.stderr
    out = subprocess.run([str(tmp_path / "sha"), str(sample)], capture_output=True, text=True)
    assert out.stdout.split()[0] == "a9993e364706816aba3e25717850c26c9cd0d89d"
