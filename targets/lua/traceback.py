"""Stack tracebacks in PUC Lua's format.

While an error unwinds, each level it leaves adds a cheap `TracebackEntry`
to the LuaError (a Lua frame: its closure, line and how it was called; or a
builtin: the function and its call site).  Only an uncaught error is
formatted, by `format_traceback`, as luaL_traceback does:

    stack traceback:
        [C]: in function 'error'
        t.lua:1: in upvalue 'f'
        t.lua:3: in function 'glob'
        t.lua:5: in main chunk
        [C]: in ?

A function is named by its global name first (a field of a table in
package.loaded: "function 'glob'", "function 'string.rep'"), then by how the
calling code named it ("local 'f'", "method 'm'", "metamethod 'index'"),
and otherwise by where it was defined ("function <t.lua:12>").  Tracebacks
longer than 22 levels show the first 10 and the last 11.
"""
from targets.lua.objects import W_String, W_Function, W_Closure
from targets.lua.table import W_Table

FIRST_LEVELS = 10
LAST_LEVELS = 11


class TracebackEntry(object):
    def __init__(self, w_function, chunkname, line, call_site, is_main, is_tail_call):
        self.w_function = w_function  # W_Closure or W_Builtin
        self.chunkname = chunkname    # "" for builtins
        self.line = line
        self.call_site = call_site    # e.g. "local 'f'", or ""
        self.is_main = is_main
        self.is_tail_call = is_tail_call


def lua_entry(frame):
    code = frame.code
    return TracebackEntry(frame.closure, code.chunkname, frame.current_line(),
                          frame.call_site, code.line_defined == 0, frame.is_tail_call)


def builtin_entry(w_builtin, call_site):
    return TracebackEntry(w_builtin, "", 0, call_site, False, False)


def global_function_name(interp, w_function):
    """"name" or "lib.name" if the function is a field of a loaded module."""
    w_loaded = interp.w_loaded
    w_globals_name = ""
    position = w_loaded.entry_at_or_after(0)
    while position >= 0:
        w_module_name = w_loaded.key_at(position)
        w_module = w_loaded.value_at(position)
        if isinstance(w_module, W_Table) and isinstance(w_module_name, W_String):
            field = field_holding(w_module, w_function)
            if field:
                if w_module_name.as_str() == "_G":
                    w_globals_name = field
                else:
                    return "%s.%s" % (w_module_name.as_str(), field)
        position = w_loaded.entry_at_or_after(position + 1)
    return w_globals_name


def field_holding(w_table, w_function):
    position = w_table.entry_at_or_after(0)
    while position >= 0:
        if w_table.value_at(position) is w_function:
            w_key = w_table.key_at(position)
            if isinstance(w_key, W_String):
                return w_key.as_str()
        position = w_table.entry_at_or_after(position + 1)
    return ""


def describe(interp, entry):
    if entry.is_main:
        return "main chunk"
    name = global_function_name(interp, entry.w_function)
    if name:
        return "function '%s'" % name
    if entry.call_site and not entry.is_tail_call:
        return entry.call_site
    w_function = entry.w_function
    if isinstance(w_function, W_Closure):
        return "function <%s:%d>" % (w_function.code.chunkname,
                                     w_function.code.line_defined)
    return "?"


def format_entry(interp, entry):
    if entry.chunkname:
        where = "%s:%d:" % (entry.chunkname, entry.line)
    else:
        where = "[C]:"
    text = "\n\t%s in %s" % (where, describe(interp, entry))
    if entry.is_tail_call:
        text += "\n\t(...tail calls...)"
    return text


def format_traceback(interp, entries):
    """The "stack traceback:" text for an uncaught error (no final newline);
    the outermost "[C]: in ?" stands for the command line's own call."""
    levels = len(entries) + 1
    pieces = ["stack traceback:"]
    if levels > FIRST_LEVELS + LAST_LEVELS + 1:
        shown_first = FIRST_LEVELS
        skipped = levels - FIRST_LEVELS - LAST_LEVELS
    else:
        shown_first = levels
        skipped = 0
    for i in range(len(entries)):
        if i < shown_first or i >= shown_first + skipped:
            pieces.append(format_entry(interp, entries[i]))
        elif i == shown_first:
            pieces.append("\n\t...\t(skipping %d levels)" % (skipped - 1))
    pieces.append("\n\t[C]: in ?")
    return "".join(pieces)
