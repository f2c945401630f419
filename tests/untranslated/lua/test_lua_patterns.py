"""Lua pattern matcher (luapattern.MatchState)."""
import pytest

from targets.lua.errors import LuaRuntimeError
from targets.lua.luapattern import MatchState


def match_at(src, pattern, start=0):
    state = MatchState(src, pattern)
    end = state.match(start, 0)
    if end == -1:
        return None
    captures = [state.capture_string(i, start, end) if not state.capture_is_position(i)
                else state.capture_position(i) for i in range(state.level)]
    return src[start:end], captures


def test_greedy_and_lazy_repetition():
    assert match_at("aaab", "a*")[0] == "aaa"
    assert match_at("aaab", "a-b")[0] == "aaab"
    assert match_at("<a><b>", "<.->")[0] == "<a>"


def test_character_classes_and_sets():
    assert match_at("abc123", "%a+%d+")[0] == "abc123"
    assert match_at("x-y", "[%w-]+")[0] == "x-y"
    assert match_at("]x", "[]]")[0] == "]"
    assert match_at("b", "[^a]")[0] == "b"


def test_captures_and_position_captures():
    assert match_at("key=val", "(%w+)=()(%w+)") == ("key=val", ["key", 5, "val"])


def test_back_reference_matches_the_same_text():
    assert match_at('"hi"x', '(["\'])(.-)%1') == ('"hi"', ['"', "hi"])


def test_balanced_match_and_frontier():
    assert match_at("(a(b)c)d", "%b()")[0] == "(a(b)c)"
    assert match_at("THE", "%f[%a]%a+")[0] == "THE"


def test_anchor_at_end():
    assert match_at("abc", "abc$")[0] == "abc"
    assert match_at("abcd", "abc$") is None


@pytest.mark.parametrize("pattern, message", [
    ("%", "malformed pattern (ends with '%')"),
    ("[a", "malformed pattern (missing ']')"),
    ("(a", "unfinished capture"),
    ("a)", "invalid pattern capture"),
    ("%1", "invalid capture index %1"),
])
def test_malformed_patterns_raise(pattern, message):
    with pytest.raises(LuaRuntimeError) as info:
        state = MatchState("a", pattern)
        end = state.match(0, 0)
        if end != -1:
            state.capture_string(0, 0, end)
    assert info.value.message == message
