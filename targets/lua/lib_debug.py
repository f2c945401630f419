"""A small part of the debug library (manual 6.10): traceback, getinfo,
getmetatable/setmetatable, and no-op hooks.  Enough for the common
`xpcall(f, debug.traceback)` idiom and for introspecting line numbers."""
from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import traceback
from targets.lua.lib_base import register
from targets.lua.objects import (W_Nil, W_Integer, W_String, W_PlainString,
                                 W_Closure, W_Builtin, W_Userdata, w_nil,
                                 w_int, w_true)
from targets.lua.table import W_Table


def traceback_lines(interp):
    """The traceback of the running Lua frames (builtins in between, such
    as pcall, are not recorded and so not shown)."""
    entries = []
    frame = interp.current_frame()
    while frame is not None:
        entries.append(traceback.lua_entry(frame))
        frame = frame.parent_frame()
    return traceback.format_traceback(interp, entries)


def lua_traceback(interp, args):
    w_message = argcheck.get(args, 0)
    if not isinstance(w_message, W_Nil) and not isinstance(w_message, W_String):
        if not isinstance(w_message, W_Integer):
            return [w_message]
    prefix = ""
    if not isinstance(w_message, W_Nil):
        prefix = operators.tostring_raw(w_message) + "\n"
    return [W_PlainString(prefix + traceback_lines(interp))]


def lua_getinfo(interp, args):
    w_target = argcheck.get(args, 0)
    w_info = W_Table()
    if isinstance(w_target, W_Closure):
        code = w_target.code
        w_info.set_str("source", W_PlainString("@" + code.chunkname))
        w_info.set_str("short_src", W_PlainString(code.chunkname))
        w_info.set_str("linedefined", w_int(code.line_defined))
        w_info.set_str("what", W_PlainString("main" if code.line_defined == 0 else "Lua"))
        w_info.set_str("func", w_target)
        return [w_info]
    if isinstance(w_target, W_Builtin):
        w_info.set_str("source", W_PlainString("=[C]"))
        w_info.set_str("short_src", W_PlainString("[C]"))
        w_info.set_str("what", W_PlainString("C"))
        w_info.set_str("currentline", w_int(-1))
        w_info.set_str("func", w_target)
        return [w_info]
    level = argcheck.check_int(args, 0, "debug.getinfo")
    frame = interp.current_frame()
    # level 0 is getinfo itself, level 1 the Lua function calling it
    while level > 1 and frame is not None:
        frame = frame.parent_frame()
        level -= 1
    if frame is None or level < 0:
        return [w_nil]
    code = frame.code
    w_info.set_str("currentline", w_int(frame.current_line()))
    w_info.set_str("source", W_PlainString("@" + code.chunkname))
    w_info.set_str("short_src", W_PlainString(code.chunkname))
    w_info.set_str("linedefined", w_int(code.line_defined))
    w_info.set_str("what", W_PlainString("main" if code.line_defined == 0 else "Lua"))
    w_info.set_str("func", frame.closure)
    return [w_info]


def lua_getmetatable(interp, args):
    w_value = argcheck.check_any(args, 0, "debug.getmetatable")
    w_metatable = operators.get_metatable(interp, w_value)
    if w_metatable is None:
        return [w_nil]
    return [w_metatable]


def lua_setmetatable(interp, args):
    w_value = argcheck.get(args, 0)
    w_metatable = argcheck.get(args, 1)
    metatable = None
    if isinstance(w_metatable, W_Table):
        metatable = w_metatable
    elif not isinstance(w_metatable, W_Nil):
        raise argcheck.type_error(args, 1, "debug.setmetatable", "nil or table")
    if isinstance(w_value, W_Table):
        w_value.w_metatable = metatable
    elif isinstance(w_value, W_Userdata):
        w_value.w_metatable = metatable
    elif isinstance(w_value, W_String):
        interp.string_metatable = metatable
    return [w_value]


def lua_nothing(interp, args):
    return []


def install(interp):
    w_debug = W_Table()
    for name, fn in [("traceback", lua_traceback), ("getinfo", lua_getinfo),
                     ("getmetatable", lua_getmetatable),
                     ("setmetatable", lua_setmetatable),
                     ("sethook", lua_nothing), ("gethook", lua_nothing)]:
        register(interp, name, fn, w_debug)
    interp.w_globals.set_str("debug", w_debug)
    interp.w_loaded.set_str("debug", w_debug)
