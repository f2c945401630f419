"""Argument checking for library functions, with PUC's messages:
"bad argument #2 to 'insert' (number expected, got nil)"."""
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Nil, W_Integer, W_Float, W_Number, W_String,
                                 W_Function, w_nil)
from targets.lua.table import W_Table
from targets.lua import operators


def arg_error(index, fname, message):
    return LuaRuntimeError("bad argument #%d to '%s' (%s)" % (index + 1, fname, message))


def type_error(args, index, fname, expected):
    if index < len(args):
        got = typename_for_error(args[index])
    else:
        got = "no value"
    return arg_error(index, fname, "%s expected, got %s" % (expected, got))


def typename_for_error(w_value):
    from targets.lua.objects import W_Userdata
    w_metatable = None
    if isinstance(w_value, W_Table):
        w_metatable = w_value.w_metatable
    elif isinstance(w_value, W_Userdata):
        w_metatable = w_value.w_metatable
    if w_metatable is not None:
        if True:
            w_name = w_metatable.get_hashed(operators.MM_NAME)
            if isinstance(w_name, W_String):
                return w_name.strval
    return w_value.type_name


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
        return w_value.strval
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
