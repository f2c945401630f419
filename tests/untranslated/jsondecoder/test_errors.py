"""Error messages: what was expected, byte offset, line:column
(jsondecoder/errors.py and every raise in the decoder)."""
import pytest

from jsondecoder import JSONDecodeError
from jsondecoder.errors import line_and_column


def error_of(decode, text, **options):
    with pytest.raises(JSONDecodeError) as info:
        decode(text, **options)
    return info.value


def test_error_names_expected_tokens_offset_line_and_column(decode):
    error = error_of(decode, '{\n  "a": 1\n  "b": 2\n}')
    assert error.reason.startswith("expected ',' or '}' after an object member")
    assert "found '\"'" in error.reason
    assert (error.offset, error.line, error.column) == (13, 3, 3)
    assert error.format().endswith("at byte 13 (line 3, column 3)")


def test_column_counts_code_points_not_bytes():
    assert line_and_column('"\xc3\xa9\xc3\xa9" x', 7) == (1, 6)


def test_trailing_comma_in_array_is_named(decode):
    error = error_of(decode, '[1, 2,]')
    assert 'trailing commas are not allowed' in error.reason
    assert error.offset == 6


def test_trailing_comma_in_object_is_named(decode):
    error = error_of(decode, '{"a": 1,}')
    assert 'trailing commas are not allowed' in error.reason
    assert 'object key' in error.reason


def test_unterminated_array_says_where_it_started(decode):
    error = error_of(decode, '  [1, [2, 3]')
    assert 'end of input' in error.reason
    assert 'array starts at byte 2' in error.reason


def test_unterminated_string_says_where_it_started(decode):
    error = error_of(decode, '["abc')
    assert 'unterminated string' in error.reason
    assert 'starts at byte 1' in error.reason


def test_missing_colon(decode):
    error = error_of(decode, '{"a" 1}')
    assert error.reason == "expected ':' after an object key, found '1'"


def test_non_string_key(decode):
    error = error_of(decode, '{1: 2}')
    assert 'string in double quotes as object key' in error.reason
    assert error.offset == 1


def test_empty_document(decode):
    error = error_of(decode, '  \n ')
    assert 'document is empty' in error.reason
    assert (error.line, error.column) == (2, 2)


def test_trailing_data(decode):
    error = error_of(decode, '{"a": 1} {"b": 2}')
    assert error.reason == "expected end of input after the document, found '{'"
    assert error.offset == 9


def test_misspelled_literal_points_at_the_wrong_byte(decode):
    error = error_of(decode, '[tru]')
    assert "while reading 'true'" in error.reason
    assert error.offset == 4


def test_nan_and_infinity_mention_the_option(decode):
    for text in ('NaN', '[Infinity]', '-Infinity'):
        assert 'allow_nonfinite' in error_of(decode, text).reason


def test_nonfinite_accepted_with_the_option(decode):
    values = decode('[NaN, Infinity, -Infinity]', allow_nonfinite=True)
    assert values[0] != values[0]
    assert values[1:] == [float('inf'), float('-inf')]


def test_byte_order_mark_is_rejected_with_advice(decode):
    error = error_of(decode, '\xef\xbb\xbf{}')
    assert 'byte order mark' in error.reason and 'remove it' in error.reason


def test_unprintable_bytes_are_shown_in_hex(decode):
    error = error_of(decode, '[\x01]')
    assert 'byte 0x01' in error.reason
