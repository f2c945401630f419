"""Numbers: machine ints, exact big ints, correctly rounded floats
(jsondecoder/numbers.py)."""
import json
import sys

import pytest
from hypothesis import given, settings, strategies as st

from jsondecoder import JSONDecodeError
from jsondecoder.reference_host import W_Int, W_BigInt, W_Float


def test_small_integers_are_machine_ints(decoder):
    w_number = decoder.decode('-123456789012345678')
    assert isinstance(w_number, W_Int)
    assert w_number.value == -123456789012345678


def test_integers_at_the_machine_limits_stay_machine_ints(decoder):
    for value in (sys.maxint, -sys.maxint - 1):
        w_number = decoder.decode(str(value))
        assert isinstance(w_number, W_Int)
        assert w_number.value == value


def test_integers_beyond_the_machine_limits_are_exact_bigints(decoder):
    for text in (str(sys.maxint + 1), str(-sys.maxint - 2), '9' * 400):
        w_number = decoder.decode(text)
        assert isinstance(w_number, W_BigInt)
        assert w_number.digits == text
        assert w_number.bigint_value().tolong() == long(text)


def test_negative_zero_integer_is_zero_and_negative_zero_float_keeps_sign(
        decode):
    assert decode('-0') == 0
    value = decode('-0.0')
    assert value == 0.0 and str(value) == '-0.0'


def test_fractions_and_exponents_are_floats(decoder):
    for text, value in [('1.5', 1.5), ('1e3', 1000.0), ('-2.5E-3', -0.0025),
                        ('0.000001', 1e-6), ('1E+2', 100.0)]:
        w_number = decoder.decode(text)
        assert isinstance(w_number, W_Float)
        assert w_number.value == value


@pytest.mark.parametrize('text', [
    '0.1', '2.2250738585072011e-308', '2.2250738585072014e-308',
    '4.9e-324', '1.7976931348623157e308', '9007199254740993.0', '0.30000000000000004', '123456789012345678901e-5',
    '1e23', '8.41e21', '5e-324', '2.4703282292062327e-324',
    '-65.61361699999997', '1.00000000000000011102230246251565404236316680908203125',
    # 19 significant digits above 2**63: once wrapped a signed word
    '0.9999999999999999999', '9999999999999999999e-5', '-9223372036854775808.5',
    '18446744073709551615e-20', '47.197851800826754', '-107.497964086359'])
def test_hard_floats_are_correctly_rounded(decode, text):
    assert repr(decode(text)) == repr(float(text))


def test_float_overflow_gives_infinity_and_underflow_zero(decode):
    assert decode('1e400') == float('inf')
    assert decode('-1e400') == float('-inf')
    assert decode('1e-400') == 0.0


def test_huge_exponent_digit_strings_do_not_overflow(decode):
    assert decode('1e' + '9' * 40) == float('inf')
    assert decode('1e-' + '9' * 40) == 0.0


@pytest.mark.parametrize('text', ['01', '-01', '00', '+1', '.5', '1.', '1.e5',
                                  '1e', '1e+', '-', '--1', '0x10', '1.5e5.3',
                                  '- 1'])
def test_malformed_numbers_are_rejected(decode, text):
    with pytest.raises(JSONDecodeError):
        decode(text)


def test_leading_zero_error_says_what_to_write(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode('[012]')
    assert 'leading zeros' in info.value.reason
    assert info.value.offset == 1


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_reads_back_exactly_from_its_repr(decode, value):
    text = repr(value)
    result = decode(text)
    assert result == value
    assert repr(result) == repr(value)


decimal_texts = st.builds(
    lambda sign, digits, point, exponent: (
        sign + digits[:point] + ('.' + digits[point:] if point < len(digits)
                                 else '') + exponent),
    st.sampled_from(['', '-']),
    st.from_regex(r'\A[1-9][0-9]{0,24}\Z'),
    st.integers(min_value=1, max_value=25),
    st.sampled_from(['', 'e5', 'e-7', 'E+22', 'e-300', 'e300', 'e-330']))


@settings(max_examples=500, deadline=None)
@given(decimal_texts)
def test_decimal_texts_round_like_pythons_float(decode, text):
    result = decode(text)
    assert repr(float(result)) == repr(json.loads(text) * 1.0)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10 ** 40, max_value=10 ** 40))
def test_every_integer_is_exact(decode, value):
    assert decode(str(value)) == value
