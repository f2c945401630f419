"""RFC 8259 conformance: a corpus in the style of JSONTestSuite (y_: must be
accepted, n_: must be rejected), written for this project as inline data.
Accepted documents must also decode to what Python's json gives."""
import json

import pytest

from jsondecoder import JSONDecodeError

MUST_ACCEPT = {
    'y_array_empty': '[]',
    'y_array_nested_empty': '[[[]]]',
    'y_array_mixed': '[1, "a", null, true, false, {}, [], -0.5e-3]',
    'y_array_whitespace_everywhere': ' \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 ] \n',
    'y_object_empty': '{}',
    'y_object_simple': '{"a": 1}',
    'y_object_empty_key': '{"": 0}',
    'y_object_nested': '{"a": {"b": {"c": [1, {"d": null}]}}}',
    'y_object_key_with_escapes': '{"\\u0061\\n": 1}',
    'y_object_same_key_different_case': '{"a": 1, "A": 2}',
    'y_object_no_space': '{"a":1,"b":[2,3]}',
    'y_string_empty': '""',
    'y_string_all_simple_escapes': '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    'y_string_unicode_escape_lower_and_upper': '"\\u00e9\\u00E9"',
    'y_string_escaped_nul': '"\\u0000"',
    'y_string_surrogate_pair': '"\\ud834\\udd1e"',
    'y_string_raw_utf8_2_3_4_bytes': '"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"',
    'y_string_del_character_unescaped': '"\x7f"',
    'y_string_u2028_unescaped': '"\xe2\x80\xa8"',
    'y_string_noncharacter_fffe': '"\xef\xbf\xbe"',
    'y_string_escaped_slash': '"\\/"',
    'y_string_long': '"' + 'abcdefgh' * 1000 + '"',
    'y_number_zero': '0',
    'y_number_negative_zero': '-0',
    'y_number_fraction': '0.5',
    'y_number_exponent_forms': '[1e1, 1E1, 1e+1, 1e-1, 1.5E+10, 0e0]',
    'y_number_huge_integer': '1' + '0' * 100,
    'y_number_huge_exponent': '1e999',
    'y_number_tiny': '1e-999',
    'y_number_many_fraction_digits': '0.' + '3' * 60,
    'y_literal_true': 'true',
    'y_literal_false': 'false',
    'y_literal_null': 'null',
    'y_structure_scalar_top_level': '"just a string"',
    'y_structure_trailing_whitespace': '[1]\n\n  \t',
    'y_structure_deep_but_sane': '[' * 500 + ']' * 500,
    'y_structure_object_in_array_repeated': '[{"k": 1}, {"k": 2}, {"k": 3}]',
}

MUST_REJECT = {
    'n_array_trailing_comma': '[1,]',
    'n_array_leading_comma': '[,1]',
    'n_array_double_comma': '[1,,2]',
    'n_array_missing_comma': '[1 2]',
    'n_array_unclosed': '[1',
    'n_array_unclosed_empty': '[',
    'n_array_extra_close': '[1]]',
    'n_array_colon_instead_of_comma': '[1: 2]',
    'n_object_trailing_comma': '{"a": 1,}',
    'n_object_missing_colon': '{"a" 1}',
    'n_object_missing_value': '{"a":}',
    'n_object_unquoted_key': '{a: 1}',
    'n_object_single_quoted_key': "{'a': 1}",
    'n_object_number_key': '{1: 1}',
    'n_object_unclosed': '{"a": 1',
    'n_object_comma_instead_of_colon': '{"a", 1}',
    'n_object_double_colon': '{"a":: 1}',
    'n_string_unterminated': '"abc',
    'n_string_single_quotes': "'abc'",
    'n_string_raw_newline': '"a\nb"',
    'n_string_raw_tab': '"a\tb"',
    'n_string_raw_nul': '"a\x00b"',
    'n_string_bad_escape': '"\\a"',
    'n_string_escape_x': '"\\x41"',
    'n_string_short_unicode_escape': '"\\u123"',
    'n_string_unicode_escape_non_hex': '"\\u12x4"',
    'n_string_escaped_newline_char': '"\\\n"',
    'n_string_lone_high_surrogate': '"\\ud800"',
    'n_string_lone_low_surrogate': '"\\udfff"',
    'n_string_reversed_surrogates': '"\\udc00\\ud800"',
    'n_string_invalid_utf8_byte': '"\xff"',
    'n_string_overlong_utf8': '"\xc0\x80"',
    'n_string_utf8_encoded_surrogate': '"\xed\xa0\x80"',
    'n_string_truncated_utf8': '"\xe2\x82"',
    'n_string_above_max_code_point': '"\xf4\x90\x80\x80"',
    'n_number_leading_zero': '012',
    'n_number_plus_sign': '+1',
    'n_number_leading_point': '.5',
    'n_number_trailing_point': '1.',
    'n_number_exponent_without_digits': '1e',
    'n_number_exponent_sign_only': '1e-',
    'n_number_hex': '0x1F',
    'n_number_minus_only': '-',
    'n_number_minus_space': '- 1',
    'n_number_nan': 'NaN',
    'n_number_infinity': 'Infinity',
    'n_number_negative_infinity': '-Infinity',
    'n_number_with_letters': '12abc',
    'n_literal_capitalised': 'True',
    'n_literal_truncated': 'nul',
    'n_literal_python_none': 'None',
    'n_structure_empty': '',
    'n_structure_only_whitespace': ' \n ',
    'n_structure_two_values': '1 2',
    'n_structure_bom': '\xef\xbb\xbf[]',
    'n_structure_comment': '[1] // comment',
    'n_structure_block_comment': '/* c */ [1]',
    'n_structure_form_feed_whitespace': '\x0c[]',
    'n_structure_vertical_tab_whitespace': '[\x0b1]',
    'n_structure_nbsp_whitespace': '[\xc2\xa01]',
    'n_structure_lone_close': ']',
    'n_structure_nul_after_value': '[1]\x00',
}


@pytest.mark.parametrize('name', sorted(MUST_ACCEPT))
def test_valid_document_is_accepted_like_python_json(decode, name):
    text = MUST_ACCEPT[name]
    assert decode(text) == json.loads(text)


@pytest.mark.parametrize('name', sorted(MUST_REJECT))
def test_invalid_document_is_rejected(decode, name):
    with pytest.raises(JSONDecodeError) as info:
        decode(MUST_REJECT[name])
    error = info.value
    assert 0 <= error.offset <= len(MUST_REJECT[name])
    assert error.reason
