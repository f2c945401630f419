"""Argument checking for library functions, with PUC's messages:
"bad argument #2 to 'insert' (number expected, got nil)"."""
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Nil, W_Integer, W_Float, W_Number, W_String,
                                 W_Function, w_nil)
from targets.lua.table import W_Table
from targets.lua import operators


class ArgumentError(LuaRuntimeError):
    """A bad argument to a library function.

    `fname` is the function's qualified name ("string.rep"), which is what
    PUC Lua reports when the function was called by another builtin; when
    Lua code called it directly, the interpreter renames it after the call
    site ("rep" for `s:rep()` or `string.rep()`), see `renamed`."""

    def __init__(self, index, fname, detail):
        LuaRuntimeError.__init__(self, "bad argument #%d to '%s' (%s)" % (
            index + 1, fname, detail))
        self.index = index
        self.detail = detail
        self.claimed = False          # the builtin that raised it is known
        self.direct = False           # ... and it was called by Lua code

    def renamed(self, call_site_name):
        """The message as PUC gives it for a call site named like
        "method 'rep'" or "global 'tostring'"."""
        quote = call_site_name.find("'")
        if quote < 0:
            return self.message
        end = len(call_site_name) - 1
        if end <= quote:
            return self.message
        name = call_site_name[quote + 1:end]
        index = self.index + 1
        if call_site_name.startswith("method"):
            index -= 1
            if index == 0:
                return "calling '%s' on bad self (%s)" % (name, self.detail)
        return "bad argument #%d to '%s' (%s)" % (index, name, self.detail)


def arg_error(index, fname, message):
    return ArgumentError(index, fname, message)


def type_error(args, index, fname, expected):
    if index < len(args):
        got = typename_for_error(args[index])
    else:
        got = "no value"
    return arg_error(index, fname, "%s expected, got %s" % (expected, got))


# the type name an argument error shows: the metatable's __name, if any
typename_for_error = operators.type_name_for_error


def get(args, index):
    if index < len(args):
        return args[index]
    return w_nil


def check_any(args, index, fname):
    if index >= len(args):
        raise arg_error(index, fname, "value expected")
    return args[index]


def check_table(args, index, fname):
    w_value = get(args, index)
    if not isinstance(w_value, W_Table):
        raise type_error(args, index, fname, "table")
    return w_value


def check_function(args, index, fname):
    w_value = get(args, index)
    if not isinstance(w_value, W_Function):
        raise type_error(args, index, fname, "function")
    return w_value


def check_string(args, index, fname):
    """A string argument; numbers are converted as Lua does."""
    w_value = get(args, index)
    if isinstance(w_value, W_String):
        return w_value.as_str()
    if isinstance(w_value, W_Number):
        return operators.number_to_string(w_value)
    raise type_error(args, index, fname, "string")


def opt_string(args, index, fname, default):
    if isinstance(get(args, index), W_Nil):
        return default
    return check_string(args, index, fname)


def check_number(args, index, fname):
    w_value = get(args, index)
    w_number = operators.tonumber(w_value)
    if w_number is None:
        raise type_error(args, index, fname, "number")
    return w_number


def check_float(args, index, fname):
    return operators.tofloat(check_number(args, index, fname))


def check_int(args, index, fname):
    w_value = get(args, index)
    if isinstance(w_value, W_Integer):
        return w_value.intval
    w_number = operators.tonumber(w_value)
    if w_number is None:
        raise type_error(args, index, fname, "number")
    ok, value = operators.tointeger_exact(w_number)
    if not ok:
        raise arg_error(index, fname, "number has no integer representation")
    return value


def opt_int(args, index, fname, default):
    if isinstance(get(args, index), W_Nil):
        return default
    return check_int(args, index, fname)
