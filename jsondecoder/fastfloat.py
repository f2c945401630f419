"""Correctly rounded decimal-to-double without big numbers, in most cases.

A decimal number w * 10**q (w the first 19 significant digits as a 64-bit
integer, q the decimal exponent) is w * 5**q * 2**q.  POWERS_OF_FIVE holds,
for every q in [MIN_EXPONENT, MAX_EXPONENT], 5**q scaled into 128 bits and
truncated: T = floor(5**q * 2**(127 - e)) with e = floor(log2(5**q)), so
2**127 <= T < 2**128 and the truncation loses less than one unit.

With w shifted left until its top bit is set, the exact product
w * 5**q * 2**(127 - e) lies in [w*T, w*T + 2**64).  The 192-bit product
w*T is computed with four 32x32-bit multiplications per 64-bit word.  Its
top 64 bits hold the 53 bits of the double, the rounding bit and some bits
below; the unknown error (< 2**64) can only change the outcome when

* the middle 64 bits are all ones (the error might carry into the top), or
* the rounding bit is set and everything below it that we know is zero
  (a possible exact tie, rounded to even only if truly exact).

In those cases, for results outside the normal double range (subnormals,
overflow), and for numbers with more than 19 significant digits, `compute`
says so and the caller uses David Gay's strtod, which is always right but
works on big integers: on coordinates like 47.197851800826754 (17 digits,
beyond Clinger's 2**53 fast path) it costs several times more.

The idea is Eisel and Lemire's ("Number Parsing at a Gigabyte per Second",
2021); the table and the uncertainty test here are derived from scratch
from the bound above, and the tests compare every path with Python's
float() on random and adversarial decimals.
"""
from rpython.rlib.longlong2float import longlong2float
from rpython.rlib.rarithmetic import LONG_BIT, r_uint, r_int64, intmask

MIN_EXPONENT = -342
MAX_EXPONENT = 308
ENABLED = LONG_BIT == 64        # the word arithmetic below assumes it

MASK32 = r_uint(0xFFFFFFFF)
ALL_ONES = ~r_uint(0)
HIDDEN_BIT = r_uint(1) << 52
MANTISSA_MASK = HIDDEN_BIT - r_uint(1)


def _power_of_five(q):
    """(T, e) for 5**q as described above, with Python's long integers."""
    if q >= 0:
        power = 5 ** q
        e = power.bit_length() - 1
        shift = 127 - e
        scaled = power << shift if shift >= 0 else power >> -shift
    else:
        power = 5 ** -q
        bits = power.bit_length()
        e = -bits                  # 2**-bits < 5**q < 2**(1 - bits)
        scaled = (1 << (127 + bits)) // power
    assert (1 << 127) <= scaled < (1 << 128)
    return scaled, e


def _table():
    high, low, exponents = [], [], []
    for q in range(MIN_EXPONENT, MAX_EXPONENT + 1):
        scaled, e = _power_of_five(q)
        high.append(r_uint(scaled >> 64))
        low.append(r_uint(scaled & ((1 << 64) - 1)))
        exponents.append(e)
    return high, low, exponents


POWERS_HIGH, POWERS_LOW, POWERS_LOG2 = _table()


def leading_zeros(word):
    """Leading zero bits of a nonzero 64-bit word (a binary search)."""
    count = 0
    for step in LEADING_ZERO_STEPS:
        if word >> (64 - step) == 0:
            count += step
            word <<= step
    return count


LEADING_ZERO_STEPS = [32, 16, 8, 4, 2, 1]


def multiply_high(a, b):
    """The top 64 bits of the 128-bit product of two 64-bit words."""
    a_low = a & MASK32
    a_high = a >> 32
    b_low = b & MASK32
    b_high = b >> 32
    low_low = a_low * b_low
    low_high = a_low * b_high
    high_low = a_high * b_low
    middle = (low_low >> 32) + (low_high & MASK32) + (high_low & MASK32)
    return a_high * b_high + (low_high >> 32) + (high_low >> 32) + (
        middle >> 32)


class FastFloat(object):
    """Where `compute` leaves its answer: `ok` False means "ask strtod"."""

    def __init__(self):
        self.ok = False
        self.value = 0.0


def compute(mantissa, exponent, negative, result):
    """Set result.value to the double nearest mantissa * 10**exponent
    (mantissa: r_uint, at most 19 digits, nonzero) and result.ok to True,
    or result.ok to False when this method cannot be sure."""
    result.ok = False
    if not ENABLED or not (MIN_EXPONENT <= exponent <= MAX_EXPONENT):
        return
    index = exponent - MIN_EXPONENT
    shift_in = leading_zeros(mantissa)
    w = mantissa << shift_in
    t_high = POWERS_HIGH[index]
    t_low = POWERS_LOW[index]
    # w * (t_high * 2**64 + t_low) = top * 2**128 + middle * 2**64 + bottom
    top = multiply_high(w, t_high)
    partial = w * t_high            # the low word: wraps, as wanted
    carry_word = multiply_high(w, t_low)
    middle = partial + carry_word
    if middle < partial:
        top += r_uint(1)
    if middle == ALL_ONES:
        return                      # the error could carry into `top`
    upper = intmask(top >> 63)      # the product's top bit: 191 or 190
    shift = 10 + upper
    round_bit = (top >> (shift - 1)) & r_uint(1)
    below_mask = (r_uint(1) << (shift - 1)) - r_uint(1)
    if round_bit != 0 and (top & below_mask) == 0 and middle == 0:
        return                      # possibly an exact tie
    significand = top >> shift
    if round_bit != 0:
        significand += r_uint(1)
    binary_exponent = (shift + 1 + exponent - shift_in +
                       POWERS_LOG2[index])
    if significand == HIDDEN_BIT << 1:
        significand = HIDDEN_BIT
        binary_exponent += 1
    biased = binary_exponent + 52 + 1023
    if not (1 <= biased <= 2046):
        return                      # subnormal or overflow: strtod knows
    bits = (r_uint(biased) << 52) | (significand & MANTISSA_MASK)
    if negative:
        bits |= r_uint(1) << 63
    result.value = longlong2float(r_int64(intmask(bits)))
    result.ok = True
