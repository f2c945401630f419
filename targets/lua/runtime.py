"""Assembling an interpreter with its standard libraries, and running
chunks the way the `lua` command line does (used by targetlua and tests)."""
import os

from targets.lua.interpreter import Interpreter
from targets.lua.errors import LuaError, LuaExit, LuaSyntaxError, LuaRuntimeError
from targets.lua.objects import W_String, W_PlainString, W_Nil, w_int
from targets.lua.table import W_Table
from targets.lua.fileio import read_file
from targets.lua import lib_base
from targets.lua import operators
from targets.lua import traceback

from targets.lua import lib_string, lib_table, lib_math, lib_os, lib_io
from targets.lua import lib_coroutine, lib_package, lib_utf8, lib_debug
from targets.lua import lib_json

from rpython.rlib.unroll import unrolling_iterable

LIBRARY_INSTALLERS = unrolling_iterable([
    lib_string.install, lib_table.install, lib_math.install, lib_os.install,
    lib_io.install, lib_coroutine.install, lib_package.install,
    lib_utf8.install, lib_debug.install, lib_json.install])


def new_interpreter(stdout=None, stderr=None):
    """An interpreter with all standard libraries; stdout/stderr streams
    may be replaced (tests capture output this way)."""
    interp = Interpreter()
    if stdout is not None:
        interp.stdout = stdout
    if stderr is not None:
        interp.stderr = stderr
    lib_base.install(interp)
    for install in LIBRARY_INSTALLERS:
        install(interp)
    return interp


USAGE = "usage: %s [-e stat] [script [args]]\n"


def run_main(interp, argv):
    """The `lua` command line; returns the exit status."""
    progname = argv[0]
    index = 1
    chunks = []                # -e statements, in order
    while index < len(argv):
        arg = argv[index]
        if arg == "-e":
            if index + 1 >= len(argv):
                interp.stderr.write(USAGE % progname)
                return 1
            chunks.append(argv[index + 1])
            index += 2
        elif arg == "--":
            index += 1
            break
        elif arg.startswith("-") and arg != "-":
            interp.stderr.write("%s: unrecognized option '%s'\n" % (progname, arg))
            interp.stderr.write(USAGE % progname)
            return 1
        else:
            break
    script_index = index
    if script_index >= len(argv):
        script_index = 0      # no script: lua puts every argument at 1..n
    w_arg = W_Table()
    for i in range(len(argv)):
        w_arg.set_int(i - script_index, W_PlainString(argv[i]))
    interp.w_globals.set_str("arg", w_arg)
    status = 0
    try:
        for chunk in chunks:
            run_chunk(interp, chunk, "(command line)", [])
        if script_index == 0 and not chunks:
            # no script and no -e: run the program given on stdin
            run_chunk(interp, read_stdin(), "stdin", [])
        elif script_index > 0 and argv[script_index] == "-":
            run_chunk(interp, read_stdin(), "stdin", script_arguments(argv, script_index))
        elif script_index > 0:
            script = argv[script_index]
            interp.script_name = script
            try:
                source = read_file(script)
            except OSError as e:
                interp.stdout.flush()
                interp.stderr.write("%s: cannot open %s: %s\n" % (
                    progname, script, os.strerror(e.errno)))
                return 1
            run_chunk(interp, source, chunkname_of_file(script),
                      script_arguments(argv, script_index))
    except LuaExit as e:
        status = e.status
    except LuaError as e:
        if has_tostring(interp, e.w_value):
            # like lua.c: an error object with __tostring is shown as such,
            # without a traceback
            interp.stdout.flush()
            interp.stderr.write("%s: %s\n" % (progname, error_message(interp, e)))
        else:
            report(interp, progname, error_message(interp, e),
                   traceback.format_traceback(interp, e.traceback))
        status = 1
    except LuaSyntaxError as e:
        interp.stdout.flush()
        interp.stderr.write("%s: %s\n" % (progname, e.message))
        status = 1
    interp.stdout.flush()
    return status


def script_arguments(argv, script_index):
    """The script's `...`: the command-line arguments after it."""
    script_args = []
    for i in range(script_index + 1, len(argv)):
        script_args.append(W_PlainString(argv[i]))
    return script_args


def read_stdin():
    pieces = []
    while True:
        data = os.read(0, 65536)
        if not data:
            break
        pieces.append(data)
    return "".join(pieces)


def chunkname_of_file(path):
    return path


def run_chunk(interp, source, chunkname, args):
    """Compile and run a chunk; syntax errors propagate as LuaSyntaxError."""
    w_closure = interp.load(source, chunkname)
    try:
        interp.call(w_closure, args)
    except LuaRuntimeError as e:
        raise LuaError(W_PlainString(e.message))


def has_tostring(interp, w_value):
    if isinstance(w_value, W_String):
        return False
    w_metatable = operators.get_metatable(interp, w_value)
    if w_metatable is None:
        return False
    return not isinstance(w_metatable.get_hashed(operators.MM_TOSTRING), W_Nil)


def error_message(interp, error):
    w_value = error.w_value
    if isinstance(w_value, W_String):
        return w_value.as_str()
    w_metatable = operators.get_metatable(interp, w_value)
    if w_metatable is not None:
        w_handler = w_metatable.get_hashed(operators.MM_TOSTRING)
        if not isinstance(w_handler, W_Nil):
            try:
                return operators.tostring(interp, w_value)
            except LuaError:
                pass
            except LuaRuntimeError:
                pass
    if w_value.type_name == "number":
        return operators.tostring_raw(w_value)
    return "(error object is a %s value)" % w_value.type_name


def report(interp, progname, message, traceback_text):
    interp.stdout.flush()
    interp.stderr.write("%s: %s\n%s\n" % (progname, message, traceback_text))
