"""The math library (manual 6.7).

`random` is xoshiro256**, seeded like PUC Lua 5.4 (state {n, 0xff, 0, 0},
16 discarded outputs) and projected into intervals the same way, so seeded
sequences match lua5.4's.  Without randomseed the seed comes from the time.
"""
import math
import time

from rpython.rlib.rarithmetic import intmask, r_uint

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import luanumber
from targets.lua.errors import LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.objects import (W_Nil, W_Integer, W_Float, W_Number, W_String,
                                 W_PlainString, w_nil, w_int, w_bool, w_true,
                                 w_false)
from targets.lua.table import W_Table


def float_result(value):
    return W_Float(value)


def int_or_float(value):
    """math.floor/ceil results: an integer when it fits."""
    if luanumber.float_fits_int(value):
        return w_int(int(value))
    return W_Float(value)


def lua_abs(interp, args):
    w_number = argcheck.check_number(args, 0, "math.abs")
    if isinstance(w_number, W_Integer):
        value = w_number.intval
        if value < 0:
            return [w_int(intmask(-r_uint(value)))]
        return [w_number]
    return [W_Float(abs(operators.tofloat(w_number)))]


def lua_floor(interp, args):
    w_number = argcheck.check_number(args, 0, "math.floor")
    if isinstance(w_number, W_Integer):
        return [w_number]
    return [int_or_float(math.floor(operators.tofloat(w_number)))]


def lua_ceil(interp, args):
    w_number = argcheck.check_number(args, 0, "math.ceil")
    if isinstance(w_number, W_Integer):
        return [w_number]
    return [int_or_float(math.ceil(operators.tofloat(w_number)))]


def make_float_function(name, function):
    def lua_function(interp, args):
        x = argcheck.check_float(args, 0, name)
        try:
            return [W_Float(function(x))]
        except ValueError:
            return [W_Float(operators.signed_nan(-1.0))]
        except OverflowError:
            return [W_Float(operators.INF)]
    lua_function.func_name = "lua_" + name
    return lua_function


def lua_sqrt(interp, args):
    x = argcheck.check_float(args, 0, "math.sqrt")
    if x < 0.0:
        return [W_Float(operators.signed_nan(-1.0))]
    if math.isinf(x) or math.isnan(x):
        return [W_Float(x)]
    return [W_Float(math.sqrt(x))]


def lua_exp(interp, args):
    x = argcheck.check_float(args, 0, "math.exp")
    if math.isnan(x):
        return [W_Float(x)]
    if math.isinf(x):
        return [W_Float(x if x > 0 else 0.0)]
    try:
        return [W_Float(math.exp(x))]
    except OverflowError:
        return [W_Float(operators.INF)]


def safe_log(x):
    if math.isnan(x):
        return x
    if x < 0.0:
        return operators.signed_nan(-1.0)
    if x == 0.0:
        return -operators.INF
    if math.isinf(x):
        return x
    return math.log(x)


def lua_log(interp, args):
    x = argcheck.check_float(args, 0, "math.log")
    if isinstance(argcheck.get(args, 1), W_Nil):
        return [W_Float(safe_log(x))]
    base = argcheck.check_float(args, 1, "math.log")
    if base == 2.0:
        if x > 0.0 and not math.isinf(x):
            return [W_Float(math.log(x) / math.log(2.0))]
        return [W_Float(safe_log(x))]
    if base == 10.0:
        if x > 0.0 and not math.isinf(x):
            return [W_Float(math.log10(x))]
        return [W_Float(safe_log(x))]
    return [W_Float(operators.float_divide(safe_log(x), safe_log(base)))]


def lua_atan(interp, args):
    y = argcheck.check_float(args, 0, "math.atan")
    x = 1.0
    if not isinstance(argcheck.get(args, 1), W_Nil):
        x = argcheck.check_float(args, 1, "math.atan")
    return [W_Float(math.atan2(y, x))]


def lua_fmod(interp, args):
    w_a = argcheck.check_number(args, 0, "math.fmod")
    w_b = argcheck.check_number(args, 1, "math.fmod")
    if isinstance(w_a, W_Integer) and isinstance(w_b, W_Integer):
        a = w_a.intval
        b = w_b.intval
        if b == 0:
            raise argcheck.arg_error(1, "math.fmod", "zero")
        if b == -1:
            return [w_int(0)]
        # C's truncating remainder
        result = abs(a) % abs(b) if a != luanumber.MININT else intmask(r_uint(a) % r_uint(abs(b)))
        if a < 0:
            result = -result
        return [w_int(result)]
    a = operators.tofloat(w_a)
    b = operators.tofloat(w_b)
    if math.isinf(b) and not math.isinf(a) and not math.isnan(a):
        return [W_Float(a)]
    if b == 0.0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return [W_Float(operators.signed_nan(-1.0))]
    return [W_Float(math.fmod(a, b))]


def lua_modf(interp, args):
    x = argcheck.check_float(args, 0, "math.modf")
    if math.isinf(x):
        return [int_or_float(x), W_Float(0.0)]
    if math.isnan(x):
        return [W_Float(x), W_Float(x)]
    if x >= 0.0:
        integral = math.floor(x)
    else:
        integral = math.ceil(x)
    fraction = 0.0 if x == integral else x - integral
    return [int_or_float(integral), W_Float(fraction)]


def lua_tointeger(interp, args):
    w_value = argcheck.check_any(args, 0, "math.tointeger")
    if isinstance(w_value, W_Integer):
        return [w_value]
    if isinstance(w_value, W_Float):
        try:
            return [w_int(luanumber.float_to_int_exact(w_value.floatval))]
        except ValueError:
            return [w_nil]
    if isinstance(w_value, W_String):
        w_number = operators.tonumber(w_value)
        if w_number is not None:
            return lua_tointeger(interp, [w_number])
    return [w_nil]


def lua_type(interp, args):
    w_value = argcheck.check_any(args, 0, "math.type")
    if isinstance(w_value, W_Integer):
        return [W_PlainString("integer")]
    if isinstance(w_value, W_Float):
        return [W_PlainString("float")]
    return [w_nil]


def lua_ult(interp, args):
    a = argcheck.check_int(args, 0, "math.ult")
    b = argcheck.check_int(args, 1, "math.ult")
    return [w_bool(r_uint(a) < r_uint(b))]


def min_max(args, fname, want_max):
    w_best = argcheck.check_number(args, 0, fname)
    for i in range(1, len(args)):
        w_value = argcheck.check_number(args, i, fname)
        if want_max:
            if operators.number_lt(w_best, w_value):
                w_best = w_value
        elif operators.number_lt(w_value, w_best):
            w_best = w_value
    return [w_best]


def lua_max(interp, args):
    return min_max(args, "max", True)


def lua_min(interp, args):
    return min_max(args, "min", False)


# ------------------------------------------------------------------- random

def rotl(x, n):
    return (x << n) | (x >> (64 - n))


class RandomState(object):
    def __init__(self):
        self.s = [r_uint(0)] * 4
        self.seed(r_uint(int(time.time())), r_uint(0))

    def seed(self, n1, n2):
        self.s[0] = n1
        self.s[1] = r_uint(0xff)
        self.s[2] = n2
        self.s[3] = r_uint(0)
        for i in range(16):
            self.next()

    def next(self):
        s = self.s
        result = rotl(s[1] * r_uint(5), 7) * r_uint(9)
        t = s[1] << 17
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def project(self, ran, n):
        if n & (n + 1) == 0:
            return ran & n
        limit = n
        limit |= limit >> 1
        limit |= limit >> 2
        limit |= limit >> 4
        limit |= limit >> 8
        limit |= limit >> 16
        limit |= limit >> 32
        ran &= limit
        while ran > n:
            ran = self.next() & limit
        return ran


def random_state(interp):
    state = interp.random_state
    if state is None:
        state = RandomState()
        interp.random_state = state
    return state


def lua_random(interp, args):
    state = random_state(interp)
    value = state.next()
    if len(args) == 0:
        return [W_Float(float(intmask(value >> 11)) * (0.5 ** 53))]
    low = 1
    if len(args) == 1:
        up = argcheck.check_int(args, 0, "math.random")
        if up == 0:
            return [w_int(intmask(value))]
    elif len(args) == 2:
        low = argcheck.check_int(args, 0, "math.random")
        up = argcheck.check_int(args, 1, "math.random")
    else:
        raise LuaRuntimeError("wrong number of arguments")
    if low > up:
        raise argcheck.arg_error(len(args) - 1, "random", "interval is empty")
    offset = state.project(value, r_uint(up) - r_uint(low))
    return [w_int(intmask(offset + r_uint(low)))]


def lua_randomseed(interp, args):
    state = random_state(interp)
    if len(args) == 0:
        n1 = r_uint(int(time.time() * 1000.0))
        n2 = r_uint(0)
    else:
        w_number = argcheck.check_number(args, 0, "math.randomseed")
        if isinstance(w_number, W_Float):
            n1 = r_uint(int(w_number.floatval)) if luanumber.float_fits_int(
                w_number.floatval) else r_uint(0)
        else:
            assert isinstance(w_number, W_Integer)
            n1 = r_uint(w_number.intval)
        n2 = r_uint(argcheck.opt_int(args, 1, "math.randomseed", 0))
    state.seed(n1, n2)
    return [w_int(intmask(n1)), w_int(intmask(n2))]


def install(interp):
    w_math = W_Table()
    functions = [("abs", lua_abs), ("floor", lua_floor), ("ceil", lua_ceil),
                 ("sqrt", lua_sqrt), ("exp", lua_exp), ("log", lua_log),
                 ("atan", lua_atan), ("fmod", lua_fmod), ("modf", lua_modf),
                 ("tointeger", lua_tointeger), ("type", lua_type),
                 ("ult", lua_ult), ("max", lua_max), ("min", lua_min),
                 ("random", lua_random), ("randomseed", lua_randomseed),
                 ("sin", SIN), ("cos", COS), ("tan", TAN), ("asin", ASIN),
                 ("acos", ACOS)]
    for name, fn in functions:
        register(interp, name, fn, w_math)
    w_math.set_str("pi", W_Float(math.pi))
    w_math.set_str("huge", W_Float(operators.INF))
    w_math.set_str("maxinteger", w_int(luanumber.MAXINT))
    w_math.set_str("mininteger", w_int(luanumber.MININT))
    interp.w_globals.set_str("math", w_math)
    interp.w_loaded.set_str("math", w_math)


SIN = make_float_function("sin", math.sin)
COS = make_float_function("cos", math.cos)
TAN = make_float_function("tan", math.tan)
ASIN = make_float_function("asin", math.asin)
ACOS = make_float_function("acos", math.acos)
