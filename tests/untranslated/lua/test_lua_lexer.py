"""Lexer: tokens, numerals, string escapes, long brackets, errors."""
import pytest

from targets.lua.errors import LuaSyntaxError
from targets.lua.lexer import Lexer


def kinds(source):
    return [t.kind for t in Lexer(source, "t").tokenize()]


def single_string(source):
    tokens = Lexer(source, "t").tokenize()
    assert tokens[0].kind == "string"
    return tokens[0].text


def test_keywords_names_and_symbols_are_distinguished():
    assert kinds("local x = a.b // 2 ~= 3 ... :: <<") == [
        "local", "name", "=", "name", ".", "name", "//", "int", "~=", "int",
        "...", "::", "<<", "<eof>"]


def test_integer_and_float_numerals_are_decoded():
    tokens = Lexer("3 0xff 1e2 .5 0x1p4 0xA.8 9223372036854775808", "t").tokenize()
    assert [(t.kind, t.intval) for t in tokens[:2]] == [("int", 3), ("int", 255)]
    assert [t.floatval for t in tokens[2:7]] == [100.0, 0.5, 16.0, 10.5,
                                                 9223372036854775808.0]


def test_hex_integer_numerals_wrap_around():
    tokens = Lexer("0xffffffffffffffff", "t").tokenize()
    assert tokens[0].intval == -1


def test_short_string_escapes():
    assert single_string(r'"\65\t\x41\u{20AC}\\\"\065x"') == "A\tA\xe2\x82\xac\\\"Ax"


def test_backslash_z_skips_following_whitespace():
    assert single_string('"a\\z  \n   b"') == "ab"


def test_long_string_skips_first_newline_and_keeps_inner_brackets():
    assert single_string("[==[\nx]]y]==]") == "x]]y"


def test_long_comment_is_skipped():
    assert kinds("--[[ comment\n more ]] x") == ["name", "<eof>"]


def test_shebang_line_is_ignored():
    assert kinds("#!/usr/bin/lua\nx") == ["name", "<eof>"]


def test_line_numbers_count_all_newline_styles():
    tokens = Lexer("a\nb\r\nc\rd", "t").tokenize()
    assert [t.line for t in tokens[:4]] == [1, 2, 3, 4]


@pytest.mark.parametrize("source, message", [
    ('"abc', "t:1: unfinished string near '\"abc'"),
    ('"\\q"', "t:1: invalid escape sequence near '\"\\q'"),
    ("3x", "t:1: malformed number near '3x'"),
    ("[[abc", "t:1: unfinished long string (starting at line 1) near <eof>"),
    ('"\\300"', "t:1: decimal escape too large near '\"\\300\"'"),
    ("@", "t:1: unexpected symbol near '@'"),
])
def test_errors_have_puc_wording(source, message):
    with pytest.raises(LuaSyntaxError) as info:
        Lexer(source, "t").tokenize()
    assert info.value.message == message
