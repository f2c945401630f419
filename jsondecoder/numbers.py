"""Numbers: machine integers fast, big integers exact, floats correctly rounded.

Grammar (RFC 8259): -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
Anything else (leading zeros, '+1', '.5', '1.', '1e', hex) is an error.

* An integer with at most MAX_FAST_DIGITS digits is accumulated in a machine
  int while scanning; it cannot overflow.  A longer one is converted from its
  text: to a machine int if it fits, else handed to the host as a digit
  string (`new_bigint`), so integers of any size are exact.
* Digits are accumulated in an unsigned 64-bit word, which holds any 19
  of them (10**19 - 1 < 2**64; a signed word would wrap at 9.2e18).
* A float whose digits, without the decimal point, form an integer M <= 2**53
  and whose decimal exponent E satisfies |E| <= 22 is computed as M * 10**E or
  M / 10**-E: both operands are exact doubles, so the one IEEE operation
  rounds correctly (Clinger's fast path).  Other floats with at most 19
  significant digits go through fastfloat.py (a 128-bit power of five and
  a proof that the rounding is decided).  Every other float goes to David
  Gay's correctly rounded strtod (rpython.rlib.rdtoa), called directly on
  the input buffer (no copy of the text: strtod stops at the first byte
  that cannot continue the number, and the grammar is already checked
  here, so it reads exactly the number's bytes), so every result is
  the double nearest to the decimal value; overflow gives +-inf, underflow
  0.0 or a subnormal, as Python's float() does.
"""
from rpython.rlib.rarithmetic import LONG_BIT, intmask, r_uint, string_to_int
from rpython.rlib.rstring import ParseStringOverflowError, ParseStringError
from rpython.rlib.rdtoa import dg_strtod
from rpython.rlib.rfloat import string_to_float
from rpython.rtyper.lltypesystem import lltype, rffi

from jsondecoder import fastfloat
from jsondecoder.errors import make_error, describe_byte
from jsondecoder.scanner import text_slice

MAX_FAST_DIGITS = 18 if LONG_BIT == 64 else 9
MAX_EXACT_MANTISSA = r_uint(1 << 53)
MAX_MANTISSA_DIGITS = 19 if LONG_BIT == 64 else 9   # fits an unsigned word
EXACT_POWERS_OF_TEN = [10.0 ** i for i in range(23)]
MAX_EXPONENT_DIGITS_VALUE = 100000000   # stop accumulating; strtod saturates


class NumberResult(object):
    """Set by `scan_number`: which kind of number it was and its value."""
    KIND_INT = 0
    KIND_BIG = 1
    KIND_FLOAT = 2

    def __init__(self):
        self.kind = 0
        self.int_value = 0
        self.float_value = 0.0
        self.text = ""
        self.end = 0
        self.fast = fastfloat.FastFloat()


def is_digit(ch):
    return '0' <= ch <= '9'


def expected_digit(buf, offset, after):
    return make_error(buf.text, "expected a digit %s, found %s" % (
        after, describe_byte(buf.text, offset)), offset)


def scan_number(buf, start, result):
    """Parse the number at `start` ('-' or a digit) into `result`."""
    storage = buf.storage
    pos = start
    negative = False
    if storage[pos] == '-':
        negative = True
        pos += 1
    ch = storage[pos]
    mantissa = r_uint(0)
    significant_digits = 0
    if ch == '0':
        pos += 1
        if is_digit(storage[pos]):
            raise make_error(buf.text, "leading zeros are not allowed in "
                             "numbers: write 0, or 0.x for a fraction", pos - 1)
    elif is_digit(ch):
        while True:
            ch = storage[pos]
            if not is_digit(ch):
                break
            if significant_digits < MAX_MANTISSA_DIGITS:
                mantissa = mantissa * 10 + r_uint(ord(ch) - ord('0'))
            significant_digits += 1
            pos += 1
    else:
        raise expected_digit(buf, pos, "after '-'")
    integer_digits = significant_digits
    ch = storage[pos]
    if ch != '.' and ch != 'e' and ch != 'E':
        result.end = pos
        if integer_digits <= MAX_FAST_DIGITS:
            result.kind = NumberResult.KIND_INT
            value = intmask(mantissa)
            result.int_value = -value if negative else value
            return
        text = text_slice(buf.text, start, pos)
        try:
            result.int_value = string_to_int(text, 10)
            result.kind = NumberResult.KIND_INT
        except ParseStringOverflowError:
            result.kind = NumberResult.KIND_BIG
            result.text = text
        return
    decimal_exponent = 0
    if ch == '.':
        pos += 1
        if not is_digit(storage[pos]):
            raise expected_digit(buf, pos, "after the decimal point")
        while True:
            ch = storage[pos]
            if not is_digit(ch):
                break
            digit = ord(ch) - ord('0')
            if significant_digits == 0 and digit == 0:
                decimal_exponent -= 1          # leading zeros of 0.000x
            else:
                if significant_digits < MAX_MANTISSA_DIGITS:
                    mantissa = mantissa * 10 + r_uint(digit)
                    decimal_exponent -= 1
                significant_digits += 1
            pos += 1
    if ch == 'e' or ch == 'E':
        pos += 1
        ch = storage[pos]
        exponent_negative = False
        if ch == '+' or ch == '-':
            exponent_negative = ch == '-'
            pos += 1
        if not is_digit(storage[pos]):
            raise expected_digit(buf, pos, "in the exponent")
        exponent = 0
        while True:
            ch = storage[pos]
            if not is_digit(ch):
                break
            if exponent < MAX_EXPONENT_DIGITS_VALUE:
                exponent = exponent * 10 + (ord(ch) - ord('0'))
            pos += 1
        if exponent_negative:
            decimal_exponent -= exponent
        else:
            decimal_exponent += exponent
    result.end = pos
    result.kind = NumberResult.KIND_FLOAT
    if (significant_digits <= MAX_MANTISSA_DIGITS and
            mantissa <= MAX_EXACT_MANTISSA and -22 <= decimal_exponent <= 22):
        value = float(intmask(mantissa))
        if decimal_exponent >= 0:
            value = value * EXACT_POWERS_OF_TEN[decimal_exponent]
        else:
            value = value / EXACT_POWERS_OF_TEN[-decimal_exponent]
        result.float_value = -value if negative else value
        return
    if significant_digits <= MAX_MANTISSA_DIGITS and mantissa != 0:
        fast = result.fast
        fastfloat.compute(mantissa, decimal_exponent, negative, fast)
        if fast.ok:
            result.float_value = fast.value
            return
    if pos - start <= MAX_DIRECT_STRTOD_LENGTH:
        result.float_value = dg_strtod(rffi.ptradd(storage, start),
                                       lltype.nullptr(rffi.CCHARPP.TO))
    else:
        result.float_value = slow_float(text_slice(buf.text, start, pos))


# dtoa.c counts digits in C ints; longer numbers take the checked path
MAX_DIRECT_STRTOD_LENGTH = 1 << 20


def slow_float(text):
    try:
        return string_to_float(text)
    except ParseStringError:
        # unreachable: the grammar was checked above
        raise ValueError
