"""The 128-bit decimal-to-double path (jsondecoder/fastfloat.py): its table
meets the bound the proof needs, every answer it gives equals Python's
float(), it declines exact ties and the cases it cannot decide, and it does
decide the common ones (so the fast path is really taken)."""
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from jsondecoder import fastfloat
from jsondecoder.fastfloat import (FastFloat, compute, leading_zeros,
                                   multiply_high, MIN_EXPONENT, MAX_EXPONENT)
from rpython.rlib.rarithmetic import r_uint


def exact_scaled(q):
    """5**q * 2**(127 - e) as a Fraction, e = floor(log2(5**q))."""
    value = Fraction(5) ** q
    e = 0
    while value >= 2 ** (e + 1):
        e += 1
    while value < 2 ** e:
        e -= 1
    return value * Fraction(2) ** (127 - e), e


@pytest.mark.parametrize('q', [MIN_EXPONENT, -300, -27, -1, 0, 1, 27, 55,
                               56, 200, MAX_EXPONENT])
def test_table_truncates_the_scaled_power_by_less_than_one(q):
    index = q - MIN_EXPONENT
    table = (int(fastfloat.POWERS_HIGH[index]) << 64) | int(
        fastfloat.POWERS_LOW[index])
    exact, e = exact_scaled(q)
    assert fastfloat.POWERS_LOG2[index] == e
    assert table <= exact < table + 1
    assert 2 ** 127 <= table < 2 ** 128


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2 ** 64 - 1),
       st.integers(min_value=0, max_value=2 ** 64 - 1))
def test_multiply_high_is_the_top_word_of_the_product(a, b):
    assert int(multiply_high(r_uint(a), r_uint(b))) == (a * b) >> 64


@pytest.mark.parametrize('word', [1, 2, 3, 2 ** 31, 2 ** 32, 2 ** 63,
                                  2 ** 64 - 1, 12345678901234567])
def test_leading_zeros(word):
    assert leading_zeros(r_uint(word)) == 64 - word.bit_length()


def fast(mantissa, exponent, negative=False):
    result = FastFloat()
    compute(r_uint(mantissa), exponent, negative, result)
    return result.value if result.ok else None


def expected(mantissa, exponent, negative=False):
    return float('%s%de%d' % ('-' if negative else '', mantissa, exponent))


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 19 - 1),
       st.integers(min_value=-345, max_value=310), st.booleans())
def test_every_answer_is_pythons_float(mantissa, exponent, negative):
    value = fast(mantissa, exponent, negative)
    if value is not None:
        assert repr(value) == repr(expected(mantissa, exponent, negative))


@settings(max_examples=1000, deadline=None)
@given(st.floats(min_value=2.3e-308, max_value=1.7e308))
def test_shortest_reprs_of_normal_doubles_are_decided_and_exact(value):
    text = repr(value)
    mantissa, _, exponent = ('%.16e' % value).partition('e')
    digits = mantissa.replace('.', '')
    answer = fast(int(digits), int(exponent) - 16)
    assert answer == value, text


def test_seventeen_digit_coordinates_are_decided():
    """The shape of the yelp corpus' latitudes: beyond 2**53, so not
    Clinger's path; this one must answer (not hand them all to strtod)."""
    decided = 0
    for mantissa in range(47197851800826754, 47197851800826754 + 2000, 7):
        value = fast(mantissa, -15)
        if value is not None:
            decided += 1
            assert value == expected(mantissa, -15)
    assert decided >= 280


def midpoints():
    """Decimal integers exactly halfway between two adjacent doubles."""
    for power in range(54, 64):
        ulp = 2 ** (power - 52)
        for k in (0, 1, 2, 3, 12345):
            yield 2 ** power + k * ulp + ulp // 2


@pytest.mark.parametrize('mantissa', list(midpoints()))
def test_exact_ties_are_declined_or_rounded_to_even(mantissa):
    value = fast(mantissa, 0)
    assert value is None or value == expected(mantissa, 0)
    # one unit either side is no tie: decided, and rounded the right way
    for neighbour in (mantissa - 1, mantissa + 1):
        assert fast(neighbour, 0) == expected(neighbour, 0)


@pytest.mark.parametrize('mantissa,exponent', [
    (1, -324), (24703282292062327, -340), (22250738585072011, -324),
    (17976931348623159, 292), (1, 309), (1, MIN_EXPONENT - 1),
    (1, MAX_EXPONENT + 1)])
def test_subnormals_overflow_and_outside_the_table_are_declined(mantissa,
                                                                exponent):
    assert fast(mantissa, exponent) is None


def test_largest_and_smallest_normal_doubles():
    assert fast(17976931348623157, 292) == 1.7976931348623157e308
    assert fast(22250738585072014, -324) == 2.2250738585072014e-308
