"""RPython target: the `rlua` command.

    rlua FILE [ARGS...]     run a Lua script (ARGS become `arg` and `...`)
    rlua -e CODE [FILE ...] run CODE first (repeatable), then FILE if given

Uncaught errors print "rlua: message" plus a stack traceback on stderr and
exit with status 1, like the `lua` command.  Files are read with os.open /
os.read so that sandboxed builds go through the controller.
"""
import os
import sys

from rpython.rlib import rstack

from targets.lua.runtime import new_interpreter, run_main
from targets.lua.errors import LuaError, LuaExit


def entry_point(argv):
    # Room for deep (non-tail) Lua recursion.  Each Lua call is a few
    # RPython calls; what runs out first is the GC's shadow stack, which no
    # check guards: the --opt=jit build crashed at about 6950 levels of a
    # plain recursive function, so the Lua limit stays well below that, and
    # the C stack check (raised to 6 MB here) stays a safety net.
    rstack._stack_set_length_fraction(8.0)
    interp = new_interpreter()
    interp.max_call_depth = 6000
    return run_main(interp, argv)


def target(driver, args):
    driver.exe_name = "rlua"
    # coroutines switch stacks with rstacklet, which needs GC support
    driver.config.translation.continuation = True
    return entry_point, None


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
