"""string.format: C printf conversions implemented by hand.

Each `%[flags][width][.precision]conversion` spec is parsed, then formatted
by a helper per conversion family: integers (d i o x X c), floats (e E f F
g G through rfloat.formatd, a A by hand), strings (s, q).  Flags `-` (left
justify), `0` (zero pad), `+` and space (sign), `#` (alternate form) follow
C's rules; widths and precisions are at most two digits, as in PUC Lua.
"""
import math

from rpython.rlib.rarithmetic import intmask, r_uint
from rpython.rlib.rfloat import formatd, DTSF_ALT

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import luanumber
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Nil, W_Boolean, W_Integer, W_Float,
                                 W_Number, W_String, W_PlainString)


class FormatSpec(object):
    def __init__(self):
        self.left = False
        self.zero = False
        self.plus = False
        self.space = False
        self.alternate = False
        self.width = 0
        self.precision = -1


def zero_padded(value, width):
    text = str(value)
    if len(text) < width:
        text = "0" * (width - len(text)) + text
    return text


def pad(spec, body, sign, zero_allowed):
    """Apply width: sign + body, padded with spaces or zeros."""
    length = len(sign) + len(body)
    if length >= spec.width:
        return sign + body
    fill = spec.width - length
    if spec.left:
        return sign + body + " " * fill
    if spec.zero and zero_allowed:
        return sign + "0" * fill + body
    return " " * fill + sign + body


def sign_of(spec, negative):
    if negative:
        return "-"
    if spec.plus:
        return "+"
    if spec.space:
        return " "
    return ""


def unsigned_digits(value, base, upper):
    if value == 0:
        return "0"
    digits = "0123456789abcdef"
    if upper:
        digits = "0123456789ABCDEF"
    out = []
    while value > 0:
        out.append(digits[intmask(value % r_uint(base))])
        value = value // r_uint(base)
    out.reverse()
    return "".join(out)


def format_integer(spec, value, conversion):
    if conversion == 'd' or conversion == 'i':
        negative = value < 0
        magnitude = r_uint(value)
        if negative:
            magnitude = -magnitude
        digits = unsigned_digits(magnitude, 10, False)
        sign = sign_of(spec, negative)
        prefix = ""
    else:
        base = 8 if conversion == 'o' else 16
        digits = unsigned_digits(r_uint(value), base, conversion == 'X')
        sign = ""
        prefix = ""
        if spec.alternate and value != 0:
            if conversion == 'o':
                prefix = "0"
            elif conversion == 'x':
                prefix = "0x"
            else:
                prefix = "0X"
    if spec.precision >= 0:
        if spec.precision == 0 and value == 0:
            digits = ""
        elif len(digits) < spec.precision:
            digits = "0" * (spec.precision - len(digits)) + digits
    return pad(spec, digits, sign + prefix, spec.precision < 0)


def format_float(spec, value, conversion):
    upper = 'A' <= conversion <= 'Z'
    negative = math.copysign(1.0, value) < 0.0
    if math.isnan(value) or math.isinf(value):
        body = "nan" if math.isnan(value) else "inf"
        if upper:
            body = body.upper()
        return pad(spec, body, sign_of(spec, negative), False)
    magnitude = abs(value)
    lower = conversion.lower()
    if lower == 'a':
        body = hex_float(magnitude, spec.precision, spec.alternate)
    else:
        precision = spec.precision if spec.precision >= 0 else 6
        if lower == 'g' and precision == 0:
            precision = 1
        flags = DTSF_ALT if spec.alternate else 0
        body = formatd(magnitude, lower[0], precision, flags)
    if upper:
        body = body.upper()
    return pad(spec, body, sign_of(spec, negative), True)


def hex_float(magnitude, precision, alternate):
    """%a of a non-negative finite float, like glibc: 0x1.8p+1."""
    if magnitude == 0.0:
        mantissa_bits = r_uint(0)
        exponent = 0
        lead = "0"
    else:
        fraction, exponent = math.frexp(magnitude)   # fraction in [0.5, 1)
        fraction *= 2.0
        exponent -= 1
        if exponent < -1022:
            # subnormal: glibc prints them with a 0 leading digit
            fraction = math.ldexp(fraction, exponent + 1022)
            exponent = -1022
            lead = "0"
        else:
            lead = "1"
            fraction -= 1.0
        mantissa_bits = r_uint(int(math.ldexp(fraction, 52)))
    digits = unsigned_digits(mantissa_bits, 16, False)
    digits = "0" * (13 - len(digits)) + digits
    if precision < 0:
        end = len(digits)
        while end > 0 and digits[end - 1] == '0':
            end -= 1
        assert end >= 0
        digits = digits[:end]
    else:
        assert precision >= 0
        digits = (digits + "0" * precision)[:precision]
    point = "." if (len(digits) > 0 or alternate) else ""
    exponent_sign = "+" if exponent >= 0 else "-"
    return "0x%s%s%sp%s%d" % (lead, point, digits, exponent_sign, abs(exponent))


def quoted_string(s):
    out = ['"']
    for i in range(len(s)):
        c = s[i]
        if c == '"' or c == '\\':
            out.append('\\')
            out.append(c)
        elif c == '\n':
            out.append('\\\n')
        elif c == '\0':
            if i + 1 < len(s) and '0' <= s[i + 1] <= '9':
                out.append('\\000')
            else:
                out.append('\\0')
        elif ord(c) < 32 or ord(c) == 127:
            if i + 1 < len(s) and '0' <= s[i + 1] <= '9':
                out.append('\\' + zero_padded(ord(c), 3))
            else:
                out.append('\\%d' % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def quoted(w_value):
    if isinstance(w_value, W_String):
        return quoted_string(w_value.as_str())
    if isinstance(w_value, W_Integer):
        if w_value.intval == luanumber.MININT:
            return "0x8000000000000000"
        return str(w_value.intval)
    if isinstance(w_value, W_Float):
        value = w_value.floatval
        if math.isinf(value):
            return "1e9999" if value > 0 else "-1e9999"
        if math.isnan(value):
            return "(0/0)"
        return hex_signed(value)
    if isinstance(w_value, W_Nil) or isinstance(w_value, W_Boolean):
        return operators.tostring_raw(w_value)
    raise LuaRuntimeError("bad argument to 'string.format' (value has no literal form)")


def hex_signed(value):
    if math.copysign(1.0, value) < 0.0:
        return "-" + hex_float(-value, -1, False)
    return hex_float(value, -1, False)


def lua_format(interp, args):
    fmt = argcheck.check_string(args, 0, "string.format")
    out = []
    arg_index = 0
    i = 0
    length = len(fmt)
    while i < length:
        c = fmt[i]
        i += 1
        if c != '%':
            out.append(c)
            continue
        if i >= length:
            raise LuaRuntimeError("invalid conversion '%' to 'format'")
        if fmt[i] == '%':
            out.append('%')
            i += 1
            continue
        spec_start = i - 1
        spec = FormatSpec()
        while i < length and fmt[i] in "-+ #0":
            flag = fmt[i]
            if flag == '-':
                spec.left = True
            elif flag == '0':
                spec.zero = True
            elif flag == '+':
                spec.plus = True
            elif flag == ' ':
                spec.space = True
            else:
                spec.alternate = True
            i += 1
        digits = 0
        while i < length and '0' <= fmt[i] <= '9':
            spec.width = spec.width * 10 + ord(fmt[i]) - ord('0')
            i += 1
            digits += 1
        if digits > 2:
            raise invalid_conversion(fmt, spec_start, i)
        if i < length and fmt[i] == '.':
            i += 1
            spec.precision = 0
            digits = 0
            while i < length and '0' <= fmt[i] <= '9':
                spec.precision = spec.precision * 10 + ord(fmt[i]) - ord('0')
                i += 1
                digits += 1
            if digits > 2:
                raise invalid_conversion(fmt, spec_start, i)
        if i >= length:
            raise invalid_conversion(fmt, spec_start, i)
        conversion = fmt[i]
        i += 1
        arg_index += 1
        if conversion == 'd' or conversion == 'i':
            value = format_int_arg(args, arg_index)
            out.append(format_integer(spec, value, conversion))
        elif conversion == 'x' or conversion == 'X' or conversion == 'o':
            value = format_int_arg(args, arg_index)
            out.append(format_integer(spec, value, conversion))
        elif conversion == 'c':
            value = format_int_arg(args, arg_index)
            out.append(pad(spec, chr(value & 0xff), "", False))
        elif conversion in "eEfFgGaA":
            value = argcheck.check_float(args, arg_index, "string.format")
            out.append(format_float(spec, value, conversion))
        elif conversion == 's':
            argcheck.check_any(args, arg_index, "string.format")
            s = operators.tostring(interp, args[arg_index])
            if spec.precision >= 0:
                precision = spec.precision
                assert precision >= 0
                s = s[:precision]
            out.append(pad(spec, s, "", False))
        elif conversion == 'q':
            if i - spec_start > 2:
                raise LuaRuntimeError("specifier '%q' cannot have modifiers")
            out.append(quoted(argcheck.check_any(args, arg_index, "string.format")))
        else:
            raise invalid_conversion(fmt, spec_start, i)
    return [W_PlainString("".join(out))]


def invalid_conversion(fmt, start, end):
    assert start >= 0 and end >= 0
    return LuaRuntimeError("invalid conversion '%s' to 'format'" % fmt[start:end])


def format_int_arg(args, index):
    w_value = argcheck.get(args, index)
    w_number = operators.tonumber(w_value)
    if w_number is None:
        raise argcheck.type_error(args, index, "string.format", "number")
    ok, value = operators.tointeger_exact(w_number)
    if not ok:
        raise argcheck.arg_error(index, "string.format", "number has no integer representation")
    return value
