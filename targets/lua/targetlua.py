"""RPython target: the `rlua` command.

    rlua FILE [ARGS...]     run a Lua script (ARGS become `arg` and `...`)
    rlua -e CODE [FILE ...] run CODE first (repeatable), then FILE if given

RLUA_JIT=param=value,... tunes the JIT of a --opt=jit build, as PyPy's
`--jit` option does (threshold, function_threshold, trace_eagerness,
retrace_limit, max_unroll_recursion, trace_limit, ...; "off" disables it);
a value it cannot parse is reported on stderr and ignored.

Uncaught errors print "rlua: message" plus a stack traceback on stderr and
exit with status 1, like the `lua` command.  Files are read with os.open /
os.read so that sandboxed builds go through the controller.
"""
import os
import sys

from rpython.rlib import jit, rstack

from targets.lua.runtime import new_interpreter, run_main
from targets.lua.errors import LuaError, LuaExit


# set by target(): only a JIT build reads RLUA_JIT (a sandboxed build asks
# its controller for nothing more than before)
READ_JIT_PARAMS = [False]


def set_jit_params():
    """Apply RLUA_JIT, if set (jit.set_user_param's syntax)."""
    if not READ_JIT_PARAMS[0]:
        return
    text = os.environ.get("RLUA_JIT")
    if not text:
        return
    try:
        jit.set_user_param(None, text)
    except (ValueError, jit.TraceLimitTooHigh):
        os.write(2, "rlua: ignoring RLUA_JIT=%s (expected param=value,...)\n" % text)


def entry_point(argv):
    # Room for deep (non-tail) Lua recursion.  Each Lua call is a few
    # RPython calls; what runs out first is the GC's shadow stack, which no
    # check guards: the --opt=jit build crashed at about 6950 levels of a
    # plain recursive function, so the Lua limit stays well below that, and
    # the C stack check (raised to 6 MB here) stays a safety net.
    rstack._stack_set_length_fraction(8.0)
    set_jit_params()
    interp = new_interpreter()
    interp.max_call_depth = 6000
    return run_main(interp, argv)


def target(driver, args):
    driver.exe_name = "rlua"
    READ_JIT_PARAMS[0] = bool(driver.config.translation.jit)
    # coroutines switch stacks with rstacklet, which needs GC support
    driver.config.translation.continuation = True
    return entry_point, None


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
