"""Lua's number syntax and number<->string conversions.

Used by the lexer (numerals in source), by `tonumber` and by the implicit
string->number coercion of arithmetic.  Rules implemented (manual 3.1, 3.4.3):

* decimal integer numerals that do not fit in 64 bits become floats;
* hexadecimal integer numerals wrap around modulo 2^64;
* decimal floats use `e` exponents, hexadecimal floats `p` (binary)
  exponents, both with an optional fraction;
* conversions from strings accept leading/trailing whitespace and a sign.

`format_float` implements Lua's "%.14g" float formatting, adding ".0" to
floats that would otherwise print like integers.
"""
import math

from rpython.rlib.rarithmetic import intmask, r_uint
from rpython.rlib.rfloat import formatd, rstring_to_float

# result kinds of parse_number
NOT_A_NUMBER = 0
INTEGER = 1
FLOAT = 2

MAXINT = 9223372036854775807
MININT = -MAXINT - 1


def is_space(c):
    return c == ' ' or c == '\t' or c == '\n' or c == '\r' or c == '\f' or c == '\v'


def is_digit(c):
    return '0' <= c <= '9'


def hex_value(c):
    """Value of a hex digit, or -1."""
    if '0' <= c <= '9':
        return ord(c) - ord('0')
    if 'a' <= c <= 'f':
        return ord(c) - ord('a') + 10
    if 'A' <= c <= 'F':
        return ord(c) - ord('A') + 10
    return -1


class ParsedNumber(object):
    """Result of parse_number: `kind` says whether intval or floatval holds it."""

    def __init__(self, kind, intval, floatval):
        self.kind = kind
        self.intval = intval
        self.floatval = floatval


NOT_NUMBER = ParsedNumber(NOT_A_NUMBER, 0, 0.0)


def parse_number(s):
    """Parse a complete Lua numeral (with optional sign and surrounding spaces)."""
    start = 0
    end = len(s)
    while start < end and is_space(s[start]):
        start += 1
    while end > start and is_space(s[end - 1]):
        end -= 1
    negative = False
    if start < end and (s[start] == '-' or s[start] == '+'):
        negative = s[start] == '-'
        start += 1
    if start >= end:
        return NOT_NUMBER
    if (end - start >= 2 and s[start] == '0' and
            (s[start + 1] == 'x' or s[start + 1] == 'X')):
        result = _parse_hex(s, start + 2, end)
    else:
        result = _parse_decimal(s, start, end)
    if negative and result.kind == INTEGER:
        return ParsedNumber(INTEGER, intmask(-r_uint(result.intval)), 0.0)
    if negative and result.kind == FLOAT:
        return ParsedNumber(FLOAT, 0, -result.floatval)
    return result


def _parse_hex(s, start, end):
    mantissa = r_uint(0)
    significant_digits = 0   # digits accumulated into float_mantissa
    float_mantissa = 0.0
    exponent = 0             # binary exponent adjustment
    any_digit = False
    seen_dot = False
    is_float = False
    i = start
    while i < end:
        c = s[i]
        if c == '.':
            if seen_dot:
                return NOT_NUMBER
            seen_dot = True
            is_float = True
        else:
            v = hex_value(c)
            if v < 0:
                break
            any_digit = True
            mantissa = mantissa * 16 + r_uint(v)
            if float_mantissa == 0.0 and v == 0:
                if seen_dot:
                    exponent -= 4
            elif significant_digits < 30:
                float_mantissa = float_mantissa * 16.0 + v
                significant_digits += 1
                if seen_dot:
                    exponent -= 4
            else:
                # digit beyond float precision: only its magnitude counts
                if not seen_dot:
                    exponent += 4
        i += 1
    if not any_digit:
        return NOT_NUMBER
    if i < end and (s[i] == 'p' or s[i] == 'P'):
        is_float = True
        i += 1
        exp_negative = False
        if i < end and (s[i] == '+' or s[i] == '-'):
            exp_negative = s[i] == '-'
            i += 1
        if i >= end or not is_digit(s[i]):
            return NOT_NUMBER
        exp_value = 0
        while i < end and is_digit(s[i]):
            if exp_value < 100000:
                exp_value = exp_value * 10 + (ord(s[i]) - ord('0'))
            i += 1
        if exp_negative:
            exp_value = -exp_value
        exponent += exp_value
    if i != end:
        return NOT_NUMBER
    if not is_float:
        return ParsedNumber(INTEGER, intmask(mantissa), 0.0)
    return ParsedNumber(FLOAT, 0, _ldexp(float_mantissa, exponent))


def _ldexp(x, exponent):
    if x == 0.0:
        return 0.0
    if exponent > 2000:
        exponent = 2000
    elif exponent < -2000:
        exponent = -2000
    try:
        return math.ldexp(x, exponent)
    except OverflowError:
        return float("inf")


def _parse_decimal(s, start, end):
    i = start
    digits = 0
    while i < end and is_digit(s[i]):
        i += 1
        digits += 1
    is_float = False
    if i < end and s[i] == '.':
        is_float = True
        i += 1
        while i < end and is_digit(s[i]):
            i += 1
            digits += 1
    if digits == 0:
        return NOT_NUMBER
    if i < end and (s[i] == 'e' or s[i] == 'E'):
        is_float = True
        i += 1
        if i < end and (s[i] == '+' or s[i] == '-'):
            i += 1
        if i >= end or not is_digit(s[i]):
            return NOT_NUMBER
        while i < end and is_digit(s[i]):
            i += 1
    if i != end:
        return NOT_NUMBER
    assert start >= 0 and end >= 0
    text = s[start:end]
    if not is_float:
        value = r_uint(0)
        limit = r_uint(MAXINT) // 10
        overflow = False
        for c in text:
            digit = r_uint(ord(c) - ord('0'))
            if value > limit or (value == limit and digit > r_uint(7)):
                overflow = True
                break
            value = value * 10 + digit
        if not overflow:
            return ParsedNumber(INTEGER, intmask(value), 0.0)
    try:
        return ParsedNumber(FLOAT, 0, rstring_to_float(text))
    except ValueError:
        return NOT_NUMBER


def format_float(x):
    """tostring() of a float: "%.14g", plus ".0" when it looks integral."""
    if math.isnan(x):
        if math.copysign(1.0, x) < 0.0:
            return "-nan"
        return "nan"
    if math.isinf(x):
        if x > 0.0:
            return "inf"
        return "-inf"
    text = formatd(x, 'g', 14)
    for c in text:
        if c == '.' or c == 'e' or c == 'n' or c == 'i':
            return text
    return text + ".0"


def format_g14(x):
    """C's "%.14g" (what io.write and string.format("%.14g") print)."""
    text = format_float(x)
    if text.endswith(".0") and not math.isinf(x):
        end = len(text) - 2
        assert end >= 0
        return text[:end]
    return text


def float_to_int_exact(x):
    """The integer equal to float `x`, or raise ValueError if there is none."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError
    if math.floor(x) != x:
        raise ValueError
    # 2^63 is exactly representable; the valid range is [-2^63, 2^63)
    if x >= 9223372036854775808.0 or x < -9223372036854775808.0:
        raise ValueError
    return int(x)


def float_fits_int(x):
    return -9223372036854775808.0 <= x < 9223372036854775808.0
