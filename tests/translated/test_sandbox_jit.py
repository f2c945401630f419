"""`--opt=jit --sandbox`: JIT-compiled code still reaches every external through the stubs.

The probe's loop calls getpid() on each iteration; once the loop is compiled
to machine code, each call must still become a request (the controller's
virtual pid comes back, and seccomp would kill the child on a real getpid).
"""
import os
import subprocess

from rplug import paths

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
JIT_PROBE = os.path.join(paths.PROJECT_ROOT, "targets", "probes", "targetjitprobe.py")


def parse(output):
    return {key: int(value) for key, value in
            (line.split() for line in output.decode().strip().splitlines())}


def test_jitted_loop_calls_go_through_the_controller(translate):
    binary = translate(JIT_PROBE, ["--opt=jit", "--sandbox"])
    iterations = 50000
    result = subprocess.run([RPLUG, "run", binary, str(iterations)], capture_output=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    values = parse(result.stdout)
    assert values["jitted"] > iterations // 2, "the loop was not JIT-compiled"
    assert values["total"] == iterations * values["pid"]
    assert values["halves"] == sum(range(iterations)) // 2
    assert values["sevens"] == len(range(0, iterations, 7))
    assert values["pid"] != os.getpid()


def test_jit_binary_dump_lists_only_requests(translate):
    binary = translate(JIT_PROBE, ["--opt=jit", "--sandbox"])
    dump = subprocess.run([binary], env={"RPY_SANDBOX_DUMP": "1"}, capture_output=True,
                          text=True).stdout
    funcs = dict(l.split(": ", 1) for l in dump.strip().splitlines())["Funcs"].split()
    assert "getpid()i" in funcs
    # the JIT's code map lives in the child's memory: it must not be a request
    assert not [f for f in funcs if "codemap" in f]
    checked = subprocess.run([RPLUG, "check", binary], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
