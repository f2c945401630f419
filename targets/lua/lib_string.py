"""The string library (manual 6.4), except pack/unpack (lib_strpack.py)
and format (lib_format.py).  Also sets the metatable shared by all strings
(`__index` = the string table), which makes `s:upper()` work."""
from rpython.rlib.rarithmetic import intmask, r_uint

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import luapattern
from targets.lua.errors import LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.lib_format import lua_format
from targets.lua.objects import (W_Nil, W_Integer, W_Number, W_String,
                                 W_PlainString, W_Function, W_Builtin, w_nil,
                                 w_int, w_false)
from targets.lua.table import W_Table

MAX_STRING_SIZE = 2147483647


def start_index(i, length):
    """Lua's rule for a start position (1-based, negatives from the end)."""
    if i > 0:
        return i
    if i == 0:
        return 1
    if i < -length:
        return 1
    return length + i + 1


def end_index(j, length):
    if j > length:
        return length
    if j >= 0:
        return j
    if j < -length:
        return 0
    return length + j + 1


def lua_len(interp, args):
    return [w_int(len(argcheck.check_string(args, 0, "string.len")))]


def lua_sub(interp, args):
    s = argcheck.check_string(args, 0, "string.sub")
    length = len(s)
    i = start_index(argcheck.opt_int(args, 1, "string.sub", 1), length)
    j = end_index(argcheck.opt_int(args, 2, "string.sub", -1), length)
    if i > j:
        return [W_PlainString("")]
    start = i - 1
    assert start >= 0 and j >= 0
    return [W_PlainString(s[start:j])]


def lua_upper(interp, args):
    return [W_PlainString(argcheck.check_string(args, 0, "string.upper").upper())]


def lua_lower(interp, args):
    return [W_PlainString(argcheck.check_string(args, 0, "string.lower").lower())]


def lua_reverse(interp, args):
    s = argcheck.check_string(args, 0, "string.reverse")
    chars = [c for c in s]
    chars.reverse()
    return [W_PlainString("".join(chars))]


def lua_rep(interp, args):
    s = argcheck.check_string(args, 0, "string.rep")
    n = argcheck.check_int(args, 1, "string.rep")
    sep = argcheck.opt_string(args, 2, "string.rep", "")
    if n <= 0:
        return [W_PlainString("")]
    total = (len(s) + len(sep)) * n
    if total > MAX_STRING_SIZE or n > MAX_STRING_SIZE:
        raise LuaRuntimeError("resulting string too large")
    if sep == "":
        return [W_PlainString(s * n)]
    pieces = [s] * n
    return [W_PlainString(sep.join(pieces))]


def lua_byte(interp, args):
    s = argcheck.check_string(args, 0, "string.byte")
    length = len(s)
    first = argcheck.opt_int(args, 1, "string.byte", 1)
    # the end defaults to the start as given (string.byte(s, 0) is empty)
    j = end_index(argcheck.opt_int(args, 2, "string.byte", first), length)
    i = start_index(first, length)
    if i == j:
        # one byte, the usual call: no loop here, so a JIT trace runs this
        # inline (no argument list, no call) instead of calling it
        return [w_int(ord(s[i - 1]))]
    return byte_range(s, i, j)


def byte_range(s, i, j):
    """The codes of s[i..j] (1-based; none when i > j)."""
    results = []
    while i <= j:
        results.append(w_int(ord(s[i - 1])))
        i += 1
    return results


def lua_char(interp, args):
    chars = []
    for i in range(len(args)):
        code = argcheck.check_int(args, i, "string.char")
        if code < 0 or code > 255:
            raise argcheck.arg_error(i, "string.char", "value out of range")
        chars.append(chr(code))
    return [W_PlainString("".join(chars))]


# ------------------------------------------------------------------ patterns

def push_captures(state, s, e, whole_if_none):
    results = []
    for i in range(state.capture_count(whole_if_none)):
        results.append(get_capture(state, i, s, e))
    return results


def get_capture(state, i, s, e):
    if state.capture_is_position(i):
        return w_int(state.capture_position(i))
    return W_PlainString(state.capture_string(i, s, e))


def find_or_match(args, fname, is_find):
    s = argcheck.check_string(args, 0, fname)
    pattern = argcheck.check_string(args, 1, fname)
    length = len(s)
    init = start_index(argcheck.opt_int(args, 2, fname, 1), length)
    if init > length + 1:
        return [w_nil]
    if is_find and (argcheck.get(args, 3).is_truthy() or
                    not luapattern.has_specials(pattern)):
        start = init - 1
        assert start >= 0
        position = s.find(pattern, start)
        if position < 0:
            return [w_nil]
        return [w_int(position + 1), w_int(position + len(pattern))]
    state = luapattern.MatchState(s, pattern)
    anchored = len(pattern) > 0 and pattern[0] == '^'
    p = 1 if anchored else 0
    start = init - 1
    while True:
        state.reset()
        end = state.match(start, p)
        if end != -1:
            if is_find:
                return [w_int(start + 1), w_int(end)] + push_captures(state, start, end, False)
            return push_captures(state, start, end, True)
        start += 1
        if anchored or start > length:
            return [w_nil]


def lua_find(interp, args):
    return find_or_match(args, "find", True)


def lua_match(interp, args):
    return find_or_match(args, "match", False)


class W_GmatchIterator(W_Builtin):
    _attrs_ = ["src", "pattern", "position", "last_match"]

    def __init__(self, src, pattern, position):
        W_Builtin.__init__(self, "gmatch_iterator", lua_len)
        self.src = src
        self.pattern = pattern
        self.position = position
        self.last_match = -1

    def invoke(self, interp, args):
        state = luapattern.MatchState(self.src, self.pattern)
        start = self.position
        while start <= len(self.src):
            state.reset()
            end = state.match(start, 0)
            if end != -1 and end != self.last_match:
                self.position = end
                self.last_match = end
                return push_captures(state, start, end, True)
            start += 1
        self.position = start
        return [w_nil]


def lua_gmatch(interp, args):
    s = argcheck.check_string(args, 0, "string.gmatch")
    pattern = argcheck.check_string(args, 1, "string.gmatch")
    init = start_index(argcheck.opt_int(args, 2, "string.gmatch", 1), len(s))
    if init > len(s) + 1:
        init = len(s) + 1
    return [W_GmatchIterator(s, pattern, init - 1)]


def add_string_replacement(state, pieces, replacement, s, e):
    i = 0
    length = len(replacement)
    while i < length:
        c = replacement[i]
        i += 1
        if c != '%':
            pieces.append(c)
            continue
        if i >= length:
            raise LuaRuntimeError("invalid use of '%' in replacement string")
        d = replacement[i]
        i += 1
        if d == '%':
            pieces.append('%')
        elif d == '0':
            assert s >= 0 and e >= s
            pieces.append(state.src[s:e])
        elif '1' <= d <= '9':
            w_capture = get_capture(state, ord(d) - ord('1'), s, e)
            pieces.append(operators.tostring_raw(w_capture))
        else:
            raise LuaRuntimeError("invalid use of '%' in replacement string")


def lua_gsub(interp, args):
    src = argcheck.check_string(args, 0, "string.gsub")
    pattern = argcheck.check_string(args, 1, "string.gsub")
    w_repl = argcheck.get(args, 2)
    if not (isinstance(w_repl, W_Number) or isinstance(w_repl, W_String) or
            isinstance(w_repl, W_Table) or isinstance(w_repl, W_Function)):
        raise argcheck.type_error(args, 2, "string.gsub", "string/function/table")
    max_replacements = argcheck.opt_int(args, 3, "string.gsub", len(src) + 1)
    anchored = len(pattern) > 0 and pattern[0] == '^'
    p = 1 if anchored else 0
    state = luapattern.MatchState(src, pattern)
    pieces = []
    position = 0
    last_match = -1
    count = 0
    while count < max_replacements:
        state.reset()
        end = state.match(position, p)
        if end != -1 and end != last_match:
            # an empty match right after the previous match does not count
            count += 1
            add_replacement(interp, state, pieces, w_repl, position, end)
            position = end
            last_match = end
        elif position < len(src):
            pieces.append(src[position])
            position += 1
        else:
            break
        if anchored:
            break
    assert position >= 0
    pieces.append(src[position:])
    return [W_PlainString("".join(pieces)), w_int(count)]


def add_replacement(interp, state, pieces, w_repl, s, e):
    if isinstance(w_repl, W_String) or isinstance(w_repl, W_Number):
        add_string_replacement(state, pieces, operators.tostring_raw(w_repl), s, e)
        return
    w_key = get_capture(state, 0, s, e)
    if isinstance(w_repl, W_Table):
        w_value = operators.index(interp, w_repl, w_key)
    else:
        results = interp.call(w_repl, push_captures(state, s, e, True))
        w_value = results[0] if len(results) > 0 else w_nil
    if not w_value.is_truthy():
        assert s >= 0 and e >= s
        pieces.append(state.src[s:e])
    elif isinstance(w_value, W_String) or isinstance(w_value, W_Number):
        pieces.append(operators.tostring_raw(w_value))
    else:
        raise LuaRuntimeError("invalid replacement value (a %s)" % w_value.type_name)


def install(interp):
    w_string = W_Table()
    for name, fn in [("len", lua_len), ("sub", lua_sub), ("upper", lua_upper),
                     ("lower", lua_lower), ("reverse", lua_reverse),
                     ("rep", lua_rep), ("byte", lua_byte), ("char", lua_char),
                     ("find", lua_find), ("match", lua_match),
                     ("gmatch", lua_gmatch), ("gsub", lua_gsub),
                     ("format", lua_format)]:
        register(interp, name, fn, w_string)
    from targets.lua import lib_strpack
    lib_strpack.install(interp, w_string)
    interp.w_globals.set_str("string", w_string)
    interp.w_loaded.set_str("string", w_string)
    w_metatable = W_Table()
    w_metatable.set_str("__index", w_string)
    interp.string_metatable = w_metatable
