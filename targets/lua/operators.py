"""Lua's operators over W_Objects, with coercions and metamethods.

The interpreter loop calls these for everything that is not a fast path.
Rules implemented from the manual (3.4):

* arithmetic: integer op integer stays integer (wrapping modulo 2^64) for
  + - * // %; / and ^ always give floats; strings are converted with the
  numeral rules ("10"+1 == 11); otherwise the __add... metamethod of the
  first, then second operand.
* bitwise: operands must have an exact integer representation.
* comparisons are exact between integers and floats; strings compare by bytes.
* equality only consults __eq for two tables or two userdata.
* errors are LuaRuntimeError with `operand` telling which operand was bad
  (0 first, 1 second, -1 neither), so the interpreter can name it.

Metamethods are called through `interp.call(w_function, args)`.
"""
import math

from rpython.rlib.rarithmetic import intmask, r_uint
from rpython.rlib.objectmodel import compute_unique_id
from rpython.rlib import jit

from targets.lua import opcodes as op
from targets.lua import luanumber
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Object, W_Nil, W_Boolean, W_Integer,
                                 W_Float, W_Number, W_String, W_PlainString,
                                 W_Function, W_Closure, W_Builtin, W_Userdata,
                                 w_nil, w_true, w_false, w_int, w_bool,
                                 strings_equal)
from targets.lua.table import W_Table

INF = float("inf")


def signed_nan(sign):
    """A NaN with the sign of `sign`, made at run time: the NaN that x86
    produces for 0/0 has its sign bit set (lua prints "-nan"), and a NaN
    constant's sign is not reliably preserved through translation."""
    return math.copysign(INF - INF, sign)


class OperandError(LuaRuntimeError):
    """A type error about one operand; the interpreter adds its name."""

    def __init__(self, message, operand):
        LuaRuntimeError.__init__(self, message)
        self.operand = operand


MM_INDEX = W_PlainString("__index")
MM_NEWINDEX = W_PlainString("__newindex")
MM_CALL = W_PlainString("__call")
MM_EQ = W_PlainString("__eq")
MM_LT = W_PlainString("__lt")
MM_LE = W_PlainString("__le")
MM_CONCAT = W_PlainString("__concat")
MM_LEN = W_PlainString("__len")
MM_UNM = W_PlainString("__unm")
MM_BNOT = W_PlainString("__bnot")
MM_TOSTRING = W_PlainString("__tostring")
MM_NAME = W_PlainString("__name")
MM_CLOSE = W_PlainString("__close")
MM_PAIRS = W_PlainString("__pairs")
MM_METATABLE = W_PlainString("__metatable")
ARITH_MM = [W_PlainString(name) for name in op.ARITH_METAMETHODS]


# ------------------------------------------------------------------ helpers

def type_name(w_value):
    return w_value.type_name


def type_name_for_error(w_value):
    """The type name, or the metatable's __name (luaT_objtypename)."""
    w_metatable = None
    if isinstance(w_value, W_Table):
        w_metatable = w_value.w_metatable
    elif isinstance(w_value, W_Userdata):
        w_metatable = w_value.w_metatable
    if w_metatable is not None:
        w_name = w_metatable.get_hashed(MM_NAME)
        if isinstance(w_name, W_String):
            return w_name.as_str()
    return w_value.type_name


def get_metatable(interp, w_value):
    if isinstance(w_value, W_Table):
        return w_value.w_metatable
    if isinstance(w_value, W_String):
        return interp.string_metatable
    if isinstance(w_value, W_Userdata):
        return w_value.w_metatable
    return None


def get_metamethod(interp, w_value, w_name):
    w_metatable = get_metatable(interp, w_value)
    if w_metatable is None:
        return w_nil
    return w_metatable.get_hashed(w_name)


def call_metamethod1(interp, w_handler, w_a, w_b, event):
    """First result of a metamethod; `event` ("index") names it in tracebacks."""
    call_site = "metamethod '%s'" % event if event else ""
    results = interp.call(w_handler, [w_a, w_b], call_site)
    if len(results) == 0:
        return w_nil
    return results[0]


def tonumber(w_value):
    """A number for arithmetic, converting strings; None if not possible."""
    if isinstance(w_value, W_Number):
        return w_value
    if isinstance(w_value, W_String):
        parsed = luanumber.parse_number(w_value.as_str())
        if parsed.kind == luanumber.INTEGER:
            return w_int(parsed.intval)
        if parsed.kind == luanumber.FLOAT:
            return W_Float(parsed.floatval)
    return None


def tofloat(w_number):
    if isinstance(w_number, W_Integer):
        return float(w_number.intval)
    assert isinstance(w_number, W_Float)
    return w_number.floatval


def tointeger_exact(w_value):
    """(ok, int): integer value of a number (floats only if integral),
    converting strings.  ok is False if there is none."""
    if isinstance(w_value, W_Integer):
        return True, w_value.intval
    if isinstance(w_value, W_Float):
        try:
            return True, luanumber.float_to_int_exact(w_value.floatval)
        except ValueError:
            return False, 0
    if isinstance(w_value, W_String):
        w_number = tonumber(w_value)
        if w_number is not None:
            return tointeger_exact(w_number)
    return False, 0


def number_to_string(w_number):
    if isinstance(w_number, W_Integer):
        return str(w_number.intval)
    assert isinstance(w_number, W_Float)
    return luanumber.format_float(w_number.floatval)


# --------------------------------------------------------------- arithmetic

def int_arith(opnum, a, b):
    if opnum == op.ARITH_ADD:
        return w_int(intmask(r_uint(a) + r_uint(b)))
    if opnum == op.ARITH_SUB:
        return w_int(intmask(r_uint(a) - r_uint(b)))
    if opnum == op.ARITH_MUL:
        return w_int(intmask(r_uint(a) * r_uint(b)))
    if opnum == op.ARITH_MOD:
        if b == 0:
            raise LuaRuntimeError("attempt to perform 'n%0'")
        if b == -1:
            return w_int(0)
        return w_int(a % b)
    if opnum == op.ARITH_IDIV:
        if b == 0:
            raise LuaRuntimeError("attempt to divide by zero")
        if b == -1:
            return w_int(intmask(-r_uint(a)))
        return w_int(a // b)
    return float_arith(opnum, float(a), float(b))


def float_divide(a, b):
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return signed_nan(-1.0)
        if (a > 0.0) == (math.copysign(1.0, b) > 0.0):
            return INF
        return -INF
    return a / b


def float_mod(a, b):
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or b == 0.0:
        if math.isnan(a):
            return a
        if math.isnan(b):
            return b
        return signed_nan(-1.0)
    if math.isinf(b):
        if a == 0.0 or (a > 0.0) == (b > 0.0):
            return a
        return b
    m = math.fmod(a, b)
    if m != 0.0 and (m > 0.0) != (b > 0.0):
        m += b
    return m


def float_pow(a, b):
    if b == 0.0:
        return 1.0
    if math.isnan(a) or math.isnan(b):
        return signed_nan(1.0)
    try:
        return math.pow(a, b)
    except ValueError:
        return signed_nan(-1.0)
    except OverflowError:
        if a < 0.0 and math.fmod(b, 2.0) != 0.0 and math.floor(b) == b:
            return -INF
        return INF


def float_arith(opnum, a, b):
    if opnum == op.ARITH_ADD:
        return W_Float(a + b)
    if opnum == op.ARITH_SUB:
        return W_Float(a - b)
    if opnum == op.ARITH_MUL:
        return W_Float(a * b)
    if opnum == op.ARITH_DIV:
        return W_Float(float_divide(a, b))
    if opnum == op.ARITH_MOD:
        return W_Float(float_mod(a, b))
    if opnum == op.ARITH_IDIV:
        return W_Float(math.floor(float_divide(a, b)))
    if opnum == op.ARITH_POW:
        return W_Float(float_pow(a, b))
    raise AssertionError("not a float operator")


def shift_left(a, b):
    if b <= -64 or b >= 64:
        return 0
    if b >= 0:
        return intmask(r_uint(a) << b)
    return intmask(r_uint(a) >> (-b))


def bitwise(opnum, a, b):
    if opnum == op.ARITH_BAND:
        return a & b
    if opnum == op.ARITH_BOR:
        return a | b
    if opnum == op.ARITH_BXOR:
        return a ^ b
    if opnum == op.ARITH_SHL:
        return shift_left(a, b)
    return shift_left(a, intmask(-r_uint(b)))


def arith(interp, opnum, w_a, w_b):
    if opnum >= op.ARITH_BAND:
        return bitwise_arith(interp, opnum, w_a, w_b)
    w_x = tonumber(w_a)
    w_y = tonumber(w_b)
    if w_x is not None and w_y is not None:
        if (isinstance(w_x, W_Integer) and isinstance(w_y, W_Integer) and
                opnum != op.ARITH_DIV and opnum != op.ARITH_POW):
            return int_arith(opnum, w_x.intval, w_y.intval)
        return float_arith(opnum, tofloat(w_x), tofloat(w_y))
    w_result = try_binary_metamethod(interp, ARITH_MM[opnum], w_a, w_b)
    if w_result is not None:
        return w_result
    bad = 1 if w_x is not None else 0
    w_bad = w_b if bad == 1 else w_a
    if isinstance(w_a, W_String) or isinstance(w_b, W_String):
        # what the string library's arithmetic metamethods say
        raise LuaRuntimeError("attempt to %s a '%s' with a '%s'" % (
            op.ARITH_METAMETHODS[opnum][2:], type_name(w_a), type_name(w_b)))
    raise OperandError("attempt to perform arithmetic on a %s value" %
                       type_name(w_bad), bad)


def bitwise_arith(interp, opnum, w_a, w_b):
    ok_a, a = tointeger_exact(w_a)
    ok_b, b = tointeger_exact(w_b)
    if ok_a and ok_b:
        return w_int(bitwise(opnum, a, b))
    w_result = try_binary_metamethod(interp, ARITH_MM[opnum], w_a, w_b)
    if w_result is not None:
        return w_result
    bad = 1 if ok_a else 0
    w_bad = w_b if bad == 1 else w_a
    if isinstance(w_bad, W_Number) or (isinstance(w_bad, W_String) and
                                       tonumber(w_bad) is not None):
        raise LuaRuntimeError("number has no integer representation")
    raise OperandError("attempt to perform bitwise operation on a %s value" %
                       type_name(w_bad), bad)


def try_binary_metamethod(interp, w_name, w_a, w_b):
    w_handler = get_metamethod(interp, w_a, w_name)
    if isinstance(w_handler, W_Nil):
        w_handler = get_metamethod(interp, w_b, w_name)
        if isinstance(w_handler, W_Nil):
            return None
    return call_metamethod1(interp, w_handler, w_a, w_b, event_name(w_name))


def event_name(w_name):
    """"index" for "__index"."""
    name = w_name.as_str()
    if len(name) > 2:
        return name[2:]
    return name


def unary_minus(interp, w_a):
    w_x = tonumber(w_a)
    if isinstance(w_x, W_Integer):
        return w_int(intmask(-r_uint(w_x.intval)))
    if isinstance(w_x, W_Float):
        return W_Float(-w_x.floatval)
    w_handler = get_metamethod(interp, w_a, MM_UNM)
    if not isinstance(w_handler, W_Nil):
        return call_metamethod1(interp, w_handler, w_a, w_a, "unm")
    if isinstance(w_a, W_String):
        raise LuaRuntimeError("attempt to unm a 'string' with a 'string'")
    raise OperandError("attempt to perform arithmetic on a %s value" %
                       type_name(w_a), 0)


def bitwise_not(interp, w_a):
    ok, a = tointeger_exact(w_a)
    if ok:
        return w_int(~a)
    w_handler = get_metamethod(interp, w_a, MM_BNOT)
    if not isinstance(w_handler, W_Nil):
        return call_metamethod1(interp, w_handler, w_a, w_a, "bnot")
    if isinstance(w_a, W_Number):
        raise LuaRuntimeError("number has no integer representation")
    raise OperandError("attempt to perform bitwise operation on a %s value" %
                       type_name(w_a), 0)


def length(interp, w_a):
    if isinstance(w_a, W_String):
        return w_int(w_a.length())
    w_handler = get_metamethod(interp, w_a, MM_LEN)
    if not isinstance(w_handler, W_Nil):
        return call_metamethod1(interp, w_handler, w_a, w_a, "len")
    if isinstance(w_a, W_Table):
        return w_int(w_a.length())
    raise OperandError("attempt to get length of a %s value" % type_name(w_a), 0)


# --------------------------------------------------------------- comparison

def int_lt_float(i, f):
    if -9007199254740992 <= i <= 9007199254740992:
        return float(i) < f
    if math.isnan(f):
        return False
    if f >= 9223372036854775808.0:
        return True
    if f <= -9223372036854775808.0:
        return False
    return i < int(math.ceil(f))


def int_le_float(i, f):
    if -9007199254740992 <= i <= 9007199254740992:
        return float(i) <= f
    if math.isnan(f):
        return False
    if f >= 9223372036854775808.0:
        return True
    if f < -9223372036854775808.0:
        return False
    return i <= int(math.floor(f))


def float_lt_int(f, i):
    if -9007199254740992 <= i <= 9007199254740992:
        return f < float(i)
    if math.isnan(f):
        return False
    return not int_le_float(i, f)


def float_le_int(f, i):
    if -9007199254740992 <= i <= 9007199254740992:
        return f <= float(i)
    if math.isnan(f):
        return False
    return not int_lt_float(i, f)


def number_lt(w_a, w_b):
    if isinstance(w_a, W_Integer):
        if isinstance(w_b, W_Integer):
            return w_a.intval < w_b.intval
        return int_lt_float(w_a.intval, tofloat(w_b))
    a = tofloat(w_a)
    if isinstance(w_b, W_Integer):
        return float_lt_int(a, w_b.intval)
    return a < tofloat(w_b)


def number_le(w_a, w_b):
    if isinstance(w_a, W_Integer):
        if isinstance(w_b, W_Integer):
            return w_a.intval <= w_b.intval
        return int_le_float(w_a.intval, tofloat(w_b))
    a = tofloat(w_a)
    if isinstance(w_b, W_Integer):
        return float_le_int(a, w_b.intval)
    return a <= tofloat(w_b)


def compare_error(w_a, w_b):
    name_a = type_name(w_a)
    name_b = type_name(w_b)
    if name_a == name_b:
        return LuaRuntimeError("attempt to compare two %s values" % name_a)
    return LuaRuntimeError("attempt to compare %s with %s" % (name_a, name_b))


def less_than(interp, w_a, w_b):
    if isinstance(w_a, W_Number) and isinstance(w_b, W_Number):
        return number_lt(w_a, w_b)
    if isinstance(w_a, W_String) and isinstance(w_b, W_String):
        return w_a.as_str() < w_b.as_str()
    w_result = try_binary_metamethod(interp, MM_LT, w_a, w_b)
    if w_result is None:
        raise compare_error(w_a, w_b)
    return w_result.is_truthy()


def less_equal(interp, w_a, w_b):
    if isinstance(w_a, W_Number) and isinstance(w_b, W_Number):
        return number_le(w_a, w_b)
    if isinstance(w_a, W_String) and isinstance(w_b, W_String):
        return w_a.as_str() <= w_b.as_str()
    w_result = try_binary_metamethod(interp, MM_LE, w_a, w_b)
    if w_result is None:
        raise compare_error(w_a, w_b)
    return w_result.is_truthy()


def raw_equals(w_a, w_b):
    if w_a is w_b:
        return True
    if isinstance(w_a, W_Integer):
        if isinstance(w_b, W_Integer):
            return w_a.intval == w_b.intval
        if isinstance(w_b, W_Float):
            return float_equals_int(w_b.floatval, w_a.intval)
        return False
    if isinstance(w_a, W_Float):
        if isinstance(w_b, W_Float):
            return w_a.floatval == w_b.floatval
        if isinstance(w_b, W_Integer):
            return float_equals_int(w_a.floatval, w_b.intval)
        return False
    if isinstance(w_a, W_String):
        return strings_equal(w_a, w_b)
    if isinstance(w_a, W_Boolean):
        return isinstance(w_b, W_Boolean) and w_a.value == w_b.value
    return False


def float_equals_int(f, i):
    try:
        return luanumber.float_to_int_exact(f) == i
    except ValueError:
        return False


def equals(interp, w_a, w_b):
    if raw_equals(w_a, w_b):
        return True
    if ((isinstance(w_a, W_Table) and isinstance(w_b, W_Table)) or
            (isinstance(w_a, W_Userdata) and isinstance(w_b, W_Userdata))):
        w_result = try_binary_metamethod(interp, MM_EQ, w_a, w_b)
        if w_result is not None:
            return w_result.is_truthy()
    return False


def compare(interp, cmp, w_a, w_b):
    if cmp == op.CMP_EQ:
        return equals(interp, w_a, w_b)
    if cmp == op.CMP_NE:
        return not equals(interp, w_a, w_b)
    if cmp == op.CMP_LT:
        return less_than(interp, w_a, w_b)
    if cmp == op.CMP_LE:
        return less_equal(interp, w_a, w_b)
    if cmp == op.CMP_GT:
        return less_than(interp, w_b, w_a)
    return less_equal(interp, w_b, w_a)


# ------------------------------------------------------------ concatenation

def concat_piece(w_value):
    """The string a value contributes to `..`, or None."""
    if isinstance(w_value, W_String):
        return w_value.as_str()
    if isinstance(w_value, W_Number):
        return number_to_string(w_value)
    return None


def concat2(interp, w_a, w_b):
    a = concat_piece(w_a)
    b = concat_piece(w_b)
    if a is not None and b is not None:
        return W_PlainString(a + b)
    w_result = try_binary_metamethod(interp, MM_CONCAT, w_a, w_b)
    if w_result is not None:
        return w_result
    bad = 1 if a is not None else 0
    w_bad = w_b if bad == 1 else w_a
    raise OperandError("attempt to concatenate a %s value" % type_name(w_bad), bad)


def concat_values(interp, values):
    """a .. b .. c ... (right associative): join runs of strings/numbers at
    once and use __concat pairwise from the right otherwise."""
    w_result = values[len(values) - 1]
    i = len(values) - 2
    while i >= 0:
        right = concat_piece(w_result)
        if right is not None and concat_piece(values[i]) is not None:
            pieces = [right]
            while i >= 0:
                piece = concat_piece(values[i])
                if piece is None:
                    break
                pieces.append(piece)
                i -= 1
            pieces.reverse()
            w_result = W_PlainString("".join(pieces))
        else:
            w_result = concat2(interp, values[i], w_result)
            i -= 1
    return w_result


# ----------------------------------------------------------------- indexing

MAX_INDEX_CHAIN = 2000


def index(interp, w_obj, w_key):
    for _ in range(MAX_INDEX_CHAIN):
        if isinstance(w_obj, W_Table):
            w_value = w_obj.get(w_key)
            if not isinstance(w_value, W_Nil):
                return w_value
            w_metatable = w_obj.w_metatable
            if w_metatable is None:
                return w_nil
            w_handler = w_metatable.get_hashed(MM_INDEX)
            if isinstance(w_handler, W_Nil):
                return w_nil
        else:
            w_handler = get_metamethod(interp, w_obj, MM_INDEX)
            if isinstance(w_handler, W_Nil):
                raise OperandError("attempt to index a %s value" %
                                   type_name(w_obj), 0)
        if isinstance(w_handler, W_Function):
            return call_metamethod1(interp, w_handler, w_obj, w_key, "index")
        w_obj = w_handler
    raise LuaRuntimeError("'__index' chain too long; possible loop")


def set_index(interp, w_obj, w_key, w_value):
    for _ in range(MAX_INDEX_CHAIN):
        if isinstance(w_obj, W_Table):
            w_metatable = w_obj.w_metatable
            if w_metatable is None:
                w_obj.set(w_key, w_value)
                return
            w_handler = w_metatable.get_hashed(MM_NEWINDEX)
            if isinstance(w_handler, W_Nil):
                w_obj.set(w_key, w_value)
                return
            if not isinstance(w_obj.get(w_key), W_Nil):
                w_obj.set(w_key, w_value)
                return
        else:
            w_handler = get_metamethod(interp, w_obj, MM_NEWINDEX)
            if isinstance(w_handler, W_Nil):
                raise OperandError("attempt to index a %s value" %
                                   type_name(w_obj), 0)
        if isinstance(w_handler, W_Function):
            interp.call(w_handler, [w_obj, w_key, w_value], "metamethod 'newindex'")
            return
        w_obj = w_handler
    raise LuaRuntimeError("'__newindex' chain too long; possible loop")


# ----------------------------------------------------------------- tostring

def address_of(w_value):
    digits = "%x" % compute_unique_id(w_value)
    if len(digits) < 8:
        digits = "0" * (8 - len(digits)) + digits
    return "0x" + digits


def tostring(interp, w_value):
    """What tostring() returns, honouring __tostring and __name."""
    w_metatable = get_metatable(interp, w_value)
    if w_metatable is not None and not isinstance(w_value, W_String):
        w_handler = w_metatable.get_hashed(MM_TOSTRING)
        if not isinstance(w_handler, W_Nil):
            w_result = call_metamethod1(interp, w_handler, w_value, w_value, "")
            if not isinstance(w_result, W_String):
                if isinstance(w_result, W_Number):
                    return number_to_string(w_result)
                raise LuaRuntimeError("'__tostring' must return a string")
            return w_result.as_str()
        w_name = w_metatable.get_hashed(MM_NAME)
        if isinstance(w_name, W_String):
            return "%s: %s" % (w_name.as_str(), address_of(w_value))
    return tostring_raw(w_value)


def tostring_raw(w_value):
    if isinstance(w_value, W_String):
        return w_value.as_str()
    if isinstance(w_value, W_Number):
        return number_to_string(w_value)
    if isinstance(w_value, W_Nil):
        return "nil"
    if isinstance(w_value, W_Boolean):
        return "true" if w_value.value else "false"
    return "%s: %s" % (type_name(w_value), address_of(w_value))
