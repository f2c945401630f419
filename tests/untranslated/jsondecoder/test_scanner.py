"""Word-at-a-time scanning for string ends (jsondecoder/scanner.py)."""
import pytest
from hypothesis import given, settings, strategies as st
from rpython.rlib.rarithmetic import r_uint

from jsondecoder.scanner import (InputBuffer, ScanResult, scan_string,
                                 scan_string_bytewise, string_enders,
                                 first_flagged_byte, BytePattern, WORD_BYTES,
                                 word_of_string, padding_stays_on_page,
                                 PADDING, PAGE_BYTES, IN_PLACE_MIN_BYTES)


def scan_both(body_and_rest):
    buf = InputBuffer(body_and_rest)
    try:
        word_result, byte_result = ScanResult(), ScanResult()
        word_end = scan_string(buf.storage, 0, word_result)
        byte_end = scan_string_bytewise(buf.storage, 0, byte_result)
        return (word_end, word_result), (byte_end, byte_result)
    finally:
        buf.close()


def first_ender(text):
    for i, ch in enumerate(text):
        if ch in '"\\' or ord(ch) < 0x20:
            return i
    return len(text)


def test_string_end_found_at_quote_after_several_words():
    (end, _), _ = scan_both('abcdefghijklmnopqrstu"rest')
    assert end == 21


def test_backslash_and_control_bytes_stop_the_scan():
    (end, _), _ = scan_both('abc\\n"')
    assert end == 3
    (end, _), _ = scan_both('abcdefghij\nk"')
    assert end == 10


def test_end_of_input_stops_at_the_padding():
    (end, _), _ = scan_both('unterminated')
    assert end == len('unterminated')


def test_non_ascii_bytes_are_reported_and_do_not_stop_the_scan():
    (end, result), _ = scan_both('caf\xc3\xa9 au lait"')
    assert end == 13
    assert result.has_non_ascii
    (end, result), _ = scan_both('plain ascii text here"')
    assert not result.has_non_ascii


def test_high_bytes_next_to_enders_give_no_false_match():
    # 0xa2 ^ 0x22 has a zero low part only if compared bytewise wrongly
    (end, _), _ = scan_both('\xa2\xdc\xc0\xff\x80\xe2\x80\x9c"')
    assert end == 8


def test_first_flagged_byte_finds_each_position():
    for index in range(WORD_BYTES):
        word, _ = word_of_string('a' * index + '"' + 'b' * WORD_BYTES, 0)
        flagged = string_enders(word)
        assert first_flagged_byte(flagged) == index


def test_string_enders_is_zero_for_plain_text():
    word, _ = word_of_string('hello wo', 0)
    assert string_enders(word) == r_uint(0)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_word_scan_agrees_with_byte_scan(data):
    (word_end, word_result), (byte_end, byte_result) = scan_both(data)
    assert word_end == byte_end == first_ender(data)
    assert word_result.hash_value == byte_result.hash_value
    assert word_result.has_non_ascii == byte_result.has_non_ascii


def test_equal_bodies_hash_equal_and_different_ones_differ():
    (_, first), _ = scan_both('user_name"')
    (_, second), _ = scan_both('user_name" trailing')
    (_, other), _ = scan_both('user_nami"')
    assert first.hash_value == second.hash_value
    assert first.hash_value != other.hash_value


def test_byte_pattern_matches_only_its_exact_bytes():
    pattern = BytePattern('"screen_name"')
    buf = InputBuffer('{"screen_name": 1, "screen_names": 2}')
    try:
        assert pattern.matches_at(buf.storage, 1)
        assert not pattern.matches_at(buf.storage, 19)
        assert not pattern.matches_at(buf.storage, 0)
    finally:
        buf.close()


def test_byte_pattern_near_end_of_input_does_not_match_padding():
    pattern = BytePattern('"abcdefghijkl"')
    buf = InputBuffer('"abcdefgh')
    try:
        assert not pattern.matches_at(buf.storage, 0)
    finally:
        buf.close()


def test_a_reused_buffer_is_padded_after_a_shorter_document():
    buf = InputBuffer('"' + 'x' * 40 + '"')
    try:
        buf.load('"abcdefgh')
        assert buf.length == 9
        assert buf.storage[9] == '\x00'
        assert scan_string(buf.storage, 1, ScanResult()) == 9
    finally:
        buf.close()


def test_decoder_reuses_its_buffer_for_the_next_document():
    from jsondecoder import JSONDecodeError
    from jsondecoder_helpers import make_decoder, to_python
    decoder = make_decoder()
    assert to_python(decoder.decode('["%s", 1.25]' % ('y' * 100))) == [
        u'y' * 100, 1.25]
    # shorter, and its truncated string must stop at the padding
    with pytest.raises(JSONDecodeError):
        decoder.decode('["ab')
    assert to_python(decoder.decode('[-65.613616999999977]')) == [
        -65.613616999999977]
    decoder.release_buffer()
    assert to_python(decoder.decode('{"a": 1e-7}')) == {u'a': 1e-7}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['a', 'Z', ' ', '"', '\\', '\n', '\x1f',
                                 '\x7f', '\xc3\xa9', '\xff', 'abcdefgh']),
                max_size=30))
def test_unhashed_scan_finds_the_same_end_and_leaves_the_hash(pieces):
    from jsondecoder.scanner import scan_string_unhashed
    text = ''.join(pieces)
    buf = InputBuffer(text)
    try:
        hashed, unhashed = ScanResult(), ScanResult()
        unhashed.hash_value = r_uint(12345)
        end = scan_string(buf.storage, 0, hashed)
        assert scan_string_unhashed(buf.storage, 0, unhashed) == end
        assert end == first_ender(text)
        assert unhashed.has_non_ascii == hashed.has_non_ascii == any(
            ord(ch) >= 0x80 for ch in text[:end])
        assert unhashed.hash_value == r_uint(12345)
    finally:
        buf.close()


@pytest.mark.parametrize("nul_offset, safe", [
    (0, True), (100, True),
    (PAGE_BYTES - PADDING, True),           # the padding ends on the last byte
    (PAGE_BYTES - PADDING + 1, False),      # one byte on the next page
    (PAGE_BYTES - 1, False),
    (PAGE_BYTES, True),                     # the NUL starts a page
])
def test_padding_read_in_place_only_if_it_stays_on_the_page(nul_offset, safe):
    for page in (1, 77, 1 << 30):
        address = r_uint(page * PAGE_BYTES + nul_offset)
        assert padding_stays_on_page(address) == safe


def test_untranslated_large_document_is_copied_with_zero_padding():
    """Before translation a string has no address to read in place."""
    text = "[" + "1," * (IN_PLACE_MIN_BYTES // 2) + "1]"
    buf = InputBuffer(text)
    try:
        assert not buf.in_place
        assert [buf.storage[len(text) + i] for i in range(PADDING)] == ["\x00"] * PADDING
        buf.forget_text()
        buf.load("[]")
        assert buf.storage[2] == "\x00" and buf.length == 2
    finally:
        buf.close()
