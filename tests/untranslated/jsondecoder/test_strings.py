# -*- coding: utf-8 -*-
"""String bodies: escapes, UTF-8 validation, lone surrogates (strings.py)."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from jsondecoder import (JSONDecodeError, SURROGATES_REPLACE,
                         SURROGATES_WTF8)


def test_simple_escapes_decode(decode):
    assert decode(r'"\" \\ \/ \b \f \n \r \t"') == u'" \\ / \b \f \n \r \t'


def test_unicode_escapes_decode_to_utf8(decode):
    assert decode(r'"\u00e9\u20AC\u0041"') == u'\xe9\u20acA'


def test_surrogate_pair_escape_is_one_code_point(decode, decoder):
    assert decode(r'"\ud83d\ude00"') == u'\U0001F600'
    w_string = decoder.decode(r'"x\ud83d\ude00"')
    assert w_string.code_point_count() == 2
    assert w_string.utf8 == 'x\xf0\x9f\x98\x80'


def test_code_point_count_is_reported_for_raw_utf8(decoder):
    w_string = decoder.decode('"na\xc3\xafve \xe2\x82\xac"')
    assert w_string.code_point_count() == 7


def test_escape_after_non_ascii_run_keeps_both(decode):
    assert decode('"\xc3\xa9\\n\xe2\x82\xac"') == u'\xe9\n\u20ac'


def test_lone_high_surrogate_is_rejected_by_default(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode(r'"ab\ud800cd"')
    assert 'lone surrogate \\uD800' in info.value.reason
    assert info.value.offset == 3


def test_lone_low_surrogate_is_rejected_by_default(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode(r'"\udc00"')
    assert 'low surrogate' in info.value.reason


def test_high_surrogate_followed_by_non_surrogate_escape_is_rejected(decode):
    with pytest.raises(JSONDecodeError):
        decode(r'"\ud800\u0041"')


def test_replace_policy_turns_lone_surrogates_into_fffd(decode):
    assert decode(r'"a\ud800b\udc00"',
                  surrogate_policy=SURROGATES_REPLACE) == u'a\ufffdb\ufffd'


def test_wtf8_policy_keeps_lone_surrogates(decoder):
    from jsondecoder import JSONDecoder, DecoderOptions
    from jsondecoder.reference_host import ReferenceBuilder
    wtf8 = JSONDecoder(ReferenceBuilder(),
                       DecoderOptions(surrogate_policy=SURROGATES_WTF8))
    w_string = wtf8.decode(r'"\ud800x"')
    assert w_string.utf8 == '\xed\xa0\x80x'
    assert w_string.code_point_count() == 2


@pytest.mark.parametrize('body', [
    '\xff', '\xc0\xaf', '\xe0\x80\xaf', '\xed\xa0\x80', '\xf4\x90\x80\x80',
    '\xc3', 'ab\xe2\x82', '\x80', '\xf5\x80\x80\x80'])
def test_invalid_utf8_is_rejected_with_its_offset(decode, body):
    with pytest.raises(JSONDecodeError) as info:
        decode('"' + body + '"')
    assert 'invalid UTF-8' in info.value.reason
    assert info.value.offset >= 1


@pytest.mark.parametrize('body', [
    '\xc2\x80', '\xdf\xbf', '\xe0\xa0\x80', '\xef\xbf\xbf', '\xf0\x90\x80\x80',
    '\xf4\x8f\xbf\xbf', '\xed\x9f\xbf'])
def test_boundary_utf8_sequences_are_accepted(decode, body):
    assert decode('"' + body + '"') == body.decode('utf-8')


def test_control_character_in_string_names_its_escape(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode('"line\nbreak"')
    assert 'U+000A' in info.value.reason and '\\n' in info.value.reason
    assert info.value.offset == 5


@pytest.mark.parametrize('text', [r'"\x41"', r'"\u12"', r'"\u12G4"', '"\\'])
def test_invalid_escapes_are_rejected(decode, text):
    with pytest.raises(JSONDecodeError):
        decode(text)


def test_invalid_escape_message_lists_the_valid_ones(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode(r'"\q"')
    assert "invalid escape" in info.value.reason
    assert "\\uXXXX" in info.value.reason


no_surrogates = st.text(alphabet=st.characters(blacklist_categories=('Cs',)),
                        max_size=30)


@settings(max_examples=200, deadline=None)
@given(no_surrogates, st.booleans())
def test_any_text_round_trips_through_json_encoding(decode, text, ascii):
    encoded = json.dumps(text, ensure_ascii=ascii)
    if not ascii:
        encoded = encoded.encode('utf-8')
    assert decode(encoded) == text


@pytest.mark.parametrize('prefix', range(0, 19))
def test_invalid_byte_after_any_ascii_prefix_names_its_offset(decode, prefix):
    # the validator skips ASCII a word at a time, then within the word that
    # holds the first non-ASCII byte: the offset must still be exact
    body = 'a' * prefix + '\xff' + 'b' * 9
    with pytest.raises(JSONDecodeError) as info:
        decode('"' + body + '"')
    assert info.value.offset == 1 + prefix


@pytest.mark.parametrize('prefix', range(0, 19))
def test_code_points_are_counted_after_any_ascii_prefix(decoder, prefix):
    body = 'a' * prefix + '\xe6\x9d\xb1' + 'b' * prefix + '\xf0\x9f\x98\x80c'
    w_string = decoder.decode('"' + body + '"')
    assert w_string.code_point_count() == 2 * prefix + 3


def python_accepts_as_strict_utf8(raw):
    """Python 2's decoder lets encoded surrogates through; RFC 3629 does
    not."""
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError:
        return False
    return not any(u'\ud800' <= ch <= u'\udfff' for ch in text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['a', ' ', 'z', '\x80', '\xbf', '\xc2',
                                 '\xdf', '\xe0', '\xa0', '\xed', '\xef',
                                 '\xf0', '\x90', '\xf4', '\x8f', '\xff',
                                 '\xc3\xa9', '\xe2\x82\xac',
                                 '\xf0\x9f\x98\x80']), max_size=40))
def test_raw_bytes_are_accepted_exactly_when_strict_utf8(decode, pieces):
    raw = ''.join(pieces)
    if python_accepts_as_strict_utf8(raw):
        assert decode('"' + raw + '"') == raw.decode('utf-8')
    else:
        with pytest.raises(JSONDecodeError) as info:
            decode('"' + raw + '"')
        assert 'invalid UTF-8' in info.value.reason
