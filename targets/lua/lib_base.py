"""The basic library (manual 6.1): print, type, pairs, pcall, load, ..."""
import os

from rpython.rlib import jit, rgc
from rpython.rlib.rarithmetic import intmask, r_uint

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import luanumber
from targets.lua.errors import LuaError, LuaRuntimeError, LuaSyntaxError
from targets.lua.fileio import read_file
from targets.lua.objects import (W_Nil, W_Boolean, W_Integer, W_Float,
                                 W_Number, W_String, W_PlainString, W_Function,
                                 W_Builtin, W_Userdata, w_nil, w_true, w_false,
                                 w_int, w_bool)
from targets.lua.table import W_Table, table_or_none


def register(interp, name, fn, w_table=None):
    if w_table is None:
        w_table = interp.w_globals
    w_table.set_str(name, W_Builtin(name, fn))


def lua_print(interp, args):
    pieces = []
    for i in range(len(args)):
        if i > 0:
            pieces.append("\t")
        pieces.append(operators.tostring(interp, args[i]))
    pieces.append("\n")
    interp.stdout.write("".join(pieces))
    return []


def lua_type(interp, args):
    w_value = argcheck.check_any(args, 0, "type")
    return [W_PlainString(w_value.type_name)]


def lua_tostring(interp, args):
    w_value = argcheck.check_any(args, 0, "tostring")
    return [W_PlainString(operators.tostring(interp, w_value))]


def lua_tonumber(interp, args):
    if len(args) >= 2 and args[1] is not w_nil:
        base = argcheck.check_int(args, 1, "tonumber")
        w_value = args[0]
        if not isinstance(w_value, W_String):
            raise argcheck.type_error(args, 0, "tonumber", "string")
        if base < 2 or base > 36:
            raise argcheck.arg_error(1, "tonumber", "base out of range")
        return [parse_in_base(w_value.as_str(), base)]
    w_value = argcheck.check_any(args, 0, "tonumber")
    if isinstance(w_value, W_Number):
        return [w_value]
    if isinstance(w_value, W_String):
        w_number = operators.tonumber(w_value)
        if w_number is not None:
            return [w_number]
    return [w_nil]


def parse_in_base(text, base):
    start = 0
    end = len(text)
    while start < end and luanumber.is_space(text[start]):
        start += 1
    while end > start and luanumber.is_space(text[end - 1]):
        end -= 1
    negative = False
    if start < end and text[start] == '-':
        negative = True
        start += 1
    if start >= end:
        return w_nil
    value = r_uint(0)
    for i in range(start, end):
        c = text[i]
        if '0' <= c <= '9':
            digit = ord(c) - ord('0')
        elif 'a' <= c.lower() <= 'z':
            digit = ord(c.lower()) - ord('a') + 10
        else:
            return w_nil
        if digit >= base:
            return w_nil
        value = value * r_uint(base) + r_uint(digit)
    if negative:
        value = -value
    return w_int(intmask(value))


def lua_ipairs_next(interp, args):
    w_table = args[0]
    i = intmask(r_uint(argcheck.check_int(args, 1, "ipairs")) + 1)
    if isinstance(w_table, W_Table) and w_table.w_metatable is None:
        w_value = w_table.get_int(i)
    else:
        w_value = operators.index(interp, w_table, w_int(i))
    if w_value is w_nil:
        return [w_nil]
    return [w_int(i), w_value]


IPAIRS_NEXT = W_Builtin("ipairs_next", lua_ipairs_next)


def lua_ipairs(interp, args):
    w_table = argcheck.check_any(args, 0, "ipairs")
    return [IPAIRS_NEXT, w_table, w_int(0)]


def table_next(w_table, w_key):
    """(key, value) after w_key in a traversal, [nil] at the end."""
    position = w_table.next_position(w_key)
    if position < 0:
        raise LuaRuntimeError("invalid key to 'next'")
    position = w_table.entry_at_or_after(position)
    if position < 0:
        return [w_nil]
    return [w_table.key_at(position), w_table.value_at(position)]


def lua_next(interp, args):
    w_table = argcheck.check_table(args, 0, "next")
    return table_next(w_table, argcheck.get(args, 1))


NEXT = W_Builtin("next", lua_next)


def lua_pairs(interp, args):
    # no loop on the common path: the JIT inlines a builtin without loops,
    # so `pairs(t)` in a trace is one call (table_or_none: no guard on the
    # table's class, of which a walk over decoded documents meets a dozen),
    # a metatable check and three constants
    w_value = argcheck.check_any(args, 0, "pairs")
    w_table = table_or_none(w_value)
    if w_table is not None and w_table.w_metatable is None:
        return [NEXT, w_table, w_nil]
    w_handler = operators.get_metamethod(interp, w_value, operators.MM_PAIRS)
    if w_handler is not w_nil:
        return pairs_by_metamethod(interp, w_handler, w_value)
    if not isinstance(w_value, W_Table):
        raise argcheck.type_error(args, 0, "pairs", "table")
    return [NEXT, w_value, w_nil]


def pairs_by_metamethod(interp, w_handler, w_value):
    """The first three results of __pairs(w_value), nil-padded."""
    results = interp.call(w_handler, [w_value])
    padded = [w_nil, w_nil, w_nil]
    for i in range(min(3, len(results))):
        padded[i] = results[i]
    return padded


def lua_select(interp, args):
    w_n = argcheck.get(args, 0)
    if isinstance(w_n, W_String) and w_n.as_str() == "#":
        return [w_int(len(args) - 1)]
    n = argcheck.check_int(args, 0, "select")
    if n < 0:
        n = len(args) + n
        if n < 1:
            raise argcheck.arg_error(0, "select", "index out of range")
        assert n >= 0
        return args[n:]
    if n == 0:
        raise argcheck.arg_error(0, "select", "index out of range")
    if n >= len(args):
        return []
    return args[n:]


def lua_rawget(interp, args):
    w_table = argcheck.check_table(args, 0, "rawget")
    return [w_table.get(argcheck.check_any(args, 1, "rawget"))]


def lua_rawset(interp, args):
    w_table = argcheck.check_table(args, 0, "rawset")
    argcheck.check_any(args, 1, "rawset")
    argcheck.check_any(args, 2, "rawset")
    w_table.set(args[1], args[2])
    return [w_table]


def lua_rawequal(interp, args):
    w_a = argcheck.check_any(args, 0, "rawequal")
    w_b = argcheck.check_any(args, 1, "rawequal")
    return [w_bool(operators.raw_equals(w_a, w_b))]


def lua_rawlen(interp, args):
    w_value = argcheck.get(args, 0)
    if isinstance(w_value, W_Table):
        return [w_int(w_value.length())]
    if isinstance(w_value, W_String):
        return [w_int(w_value.length())]
    raise argcheck.type_error(args, 0, "rawlen", "table or string")


def lua_setmetatable(interp, args):
    w_table = argcheck.check_table(args, 0, "setmetatable")
    w_metatable = argcheck.get(args, 1)
    if w_metatable is not w_nil and not isinstance(w_metatable, W_Table):
        raise argcheck.type_error(args, 1, "setmetatable", "nil or table")
    if w_table.w_metatable is not None:
        if w_table.w_metatable.get_hashed(operators.MM_METATABLE) is not w_nil:
            raise LuaRuntimeError("cannot change a protected metatable")
    if isinstance(w_metatable, W_Table):
        w_table.w_metatable = w_metatable
    else:
        w_table.w_metatable = None
    return [w_table]


def lua_getmetatable(interp, args):
    w_value = argcheck.check_any(args, 0, "getmetatable")
    w_metatable = operators.get_metatable(interp, w_value)
    if w_metatable is None:
        return [w_nil]
    w_protected = w_metatable.get_hashed(operators.MM_METATABLE)
    if w_protected is not w_nil:
        return [w_protected]
    return [w_metatable]


def lua_assert(interp, args):
    w_value = argcheck.check_any(args, 0, "assert")
    if w_value.is_truthy():
        return args
    if len(args) >= 2:
        raise LuaError(args[1])
    raise LuaRuntimeError("assertion failed!")


def position_at_level(interp, level):
    """"chunk:line:" of the Lua function `level` levels up, or ""."""
    frame = interp.current_frame()
    if level == 1 and interp.builtin_nesting > 1:
        return ""     # called by a builtin (e.g. pcall(error, msg))
    while level > 1 and frame is not None:
        frame = frame.parent_frame()
        level -= 1
    if frame is None:
        return ""
    return frame.position() + " "


def lua_error(interp, args):
    w_value = argcheck.get(args, 0)
    level = argcheck.opt_int(args, 1, "error", 1)
    if isinstance(w_value, W_String) and level > 0:
        w_value = W_PlainString(position_at_level(interp, level) + w_value.as_str())
    raise LuaError(w_value)


def error_value(error):
    if isinstance(error, LuaError):
        return error.w_value
    assert isinstance(error, LuaRuntimeError)
    return W_PlainString(error.message)


def lua_pcall(interp, args):
    w_func = argcheck.check_any(args, 0, "pcall")
    try:
        results = interp.call(w_func, args[1:])
    except LuaError as e:
        return [w_false, e.w_value]
    except LuaRuntimeError as e:
        return [w_false, W_PlainString(e.message)]
    return [w_true] + results


def lua_xpcall(interp, args):
    w_func = argcheck.check_any(args, 0, "xpcall")
    w_handler = argcheck.get(args, 1)
    try:
        results = interp.call(w_func, args[2:])
    except LuaError as e:
        return [w_false] + call_handler(interp, w_handler, e.w_value)
    except LuaRuntimeError as e:
        return [w_false] + call_handler(interp, w_handler, W_PlainString(e.message))
    return [w_true] + results


def call_handler(interp, w_handler, w_error):
    try:
        results = interp.call(w_handler, [w_error])
    except LuaError as e:
        return [e.w_value]
    except LuaRuntimeError as e:
        return [W_PlainString(e.message)]
    if len(results) == 0:
        return [w_nil]
    return [results[0]]


def chunkname_for_string(source):
    """PUC's name for a chunk loaded from a string: [string "first line..."]."""
    line_end = source.find("\n")
    if line_end < 0 and len(source) <= 40:
        return '[string "%s"]' % source
    if line_end < 0 or line_end > 40:
        line_end = 40
    assert line_end >= 0
    return '[string "%s..."]' % source[:line_end]


def display_chunkname(name):
    """Chunk names: "@file" and "=name" are shown without the prefix."""
    if name.startswith("@") or name.startswith("="):
        return name[1:]
    return chunkname_for_string(name)


def lua_load(interp, args):
    w_chunk = argcheck.get(args, 0)
    if isinstance(w_chunk, W_String):
        source = w_chunk.as_str()
    elif isinstance(w_chunk, W_Function):
        pieces = []
        while True:
            results = interp.call(w_chunk, [])
            if len(results) == 0 or results[0] is w_nil:
                break
            w_piece = results[0]
            if not isinstance(w_piece, W_String):
                return [w_nil, W_PlainString("reader function must return a string")]
            if len(w_piece.as_str()) == 0:
                break
            pieces.append(w_piece.as_str())
        source = "".join(pieces)
    else:
        raise argcheck.type_error(args, 0, "load", "string")
    if argcheck.get(args, 1) is w_nil:
        if isinstance(w_chunk, W_String):
            chunkname = chunkname_for_string(source)
        else:
            chunkname = "(load)"
    else:
        chunkname = display_chunkname(argcheck.check_string(args, 1, "load"))
    mode = argcheck.opt_string(args, 2, "load", "bt")
    if source.startswith("\x1bLua"):
        return [w_nil, W_PlainString("attempt to load a binary chunk (mode is '%s')" % mode)]
    if mode.find("t") < 0:
        return [w_nil, W_PlainString("attempt to load a text chunk (mode is '%s')" % mode)]
    w_env = None
    if len(args) >= 4:
        w_env = args[3]
    try:
        return [interp.load(source, chunkname, w_env)]
    except LuaSyntaxError as e:
        return [w_nil, W_PlainString(e.message)]


def lua_dofile(interp, args):
    filename = argcheck.check_string(args, 0, "dofile")
    try:
        source = read_file(filename)
    except OSError as e:
        raise LuaRuntimeError("cannot open %s: %s" % (filename, os.strerror(e.errno)))
    try:
        w_closure = interp.load(source, filename)
    except LuaSyntaxError as e:
        raise LuaError(W_PlainString(e.message))
    return interp.call(w_closure, [])


@jit.dont_look_inside
def full_collection():
    rgc.collect()


def lua_collectgarbage(interp, args):
    option = argcheck.opt_string(args, 0, "collectgarbage", "collect")
    if option == "count":
        return [W_Float(256.0), w_int(0)]
    if option == "isrunning":
        return [w_true]
    if option == "incremental" or option == "generational":
        return [W_PlainString("incremental")]
    if option == "step":
        return [w_true]
    if option == "collect":
        # a full collection, as Lua's: frees what the program dropped
        # before it allocates more (step and the tuning options have no
        # counterpart in RPython's GC and do nothing)
        full_collection()
        return [w_int(0)]
    if option in ("stop", "restart", "setpause", "setstepmul"):
        return [w_int(0)]
    raise argcheck.arg_error(0, "collectgarbage", "invalid option '%s'" % option)


def install(interp):
    for name, fn in [("print", lua_print), ("type", lua_type),
                     ("tostring", lua_tostring), ("tonumber", lua_tonumber),
                     ("ipairs", lua_ipairs), ("pairs", lua_pairs),
                     ("select", lua_select), ("rawget", lua_rawget),
                     ("rawset", lua_rawset), ("rawequal", lua_rawequal),
                     ("rawlen", lua_rawlen), ("setmetatable", lua_setmetatable),
                     ("getmetatable", lua_getmetatable), ("assert", lua_assert),
                     ("error", lua_error), ("pcall", lua_pcall),
                     ("xpcall", lua_xpcall), ("load", lua_load),
                     ("dofile", lua_dofile),
                     ("collectgarbage", lua_collectgarbage)]:
        register(interp, name, fn)
    interp.w_globals.set_str("next", NEXT)
    interp.w_globals.set_str("_G", interp.w_globals)
    interp.w_globals.set_str("_VERSION", W_PlainString("Lua 5.4"))
