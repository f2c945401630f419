"""The utf8 library (manual 6.5).  Decoding follows the manual: sequences
up to 6 bytes (31-bit values) are accepted only with `lax`; strict mode
rejects surrogates and values above 10FFFF; overlong forms are always
invalid."""
from targets.lua import arguments as argcheck
from targets.lua.errors import LuaRuntimeError
from targets.lua.lexer import utf8_encode
from targets.lua.lib_base import register
from targets.lua.lib_string import start_index
from targets.lua.objects import W_Nil, W_PlainString, W_Builtin, w_nil, w_int
from targets.lua.table import W_Table

MAX_UNICODE = 0x10FFFF
MAX_UTF = 0x7FFFFFFF
LIMITS = [0xFFFFFFFF, 0x80, 0x800, 0x10000, 0x200000, 0x4000000]


def decode(s, position, strict):
    """(code, length) of the character at `position`, or (-1, 0)."""
    c = ord(s[position])
    if c < 0x80:
        return c, 1
    if c < 0xC0:
        return -1, 0
    count = 0
    result = 0
    while c & 0x40:
        count += 1
        if position + count >= len(s):
            return -1, 0
        continuation = ord(s[position + count])
        if continuation & 0xC0 != 0x80:
            return -1, 0
        result = (result << 6) | (continuation & 0x3F)
        c <<= 1
    result |= (c & 0x7F) << (count * 5)
    if count > 5 or result > MAX_UTF or result < LIMITS[count]:
        return -1, 0
    if strict and (result > MAX_UNICODE or (0xD800 <= result <= 0xDFFF)):
        return -1, 0
    return result, count + 1


def is_continuation(s, i):
    return 0 <= i < len(s) and ord(s[i]) & 0xC0 == 0x80


def lua_char(interp, args):
    pieces = []
    for i in range(len(args)):
        code = argcheck.check_int(args, i, "utf8.char")
        if code < 0 or code > MAX_UTF:
            raise argcheck.arg_error(i, "utf8.char", "value out of range")
        pieces.append(utf8_encode(code))
    return [W_PlainString("".join(pieces))]


def lua_codepoint(interp, args):
    s = argcheck.check_string(args, 0, "utf8.codepoint")
    i = start_index(argcheck.opt_int(args, 1, "utf8.codepoint", 1), len(s))
    j = argcheck.opt_int(args, 2, "utf8.codepoint", i)
    if j < 0:
        j = max(len(s) + j + 1, 0)
    lax = argcheck.get(args, 3).is_truthy()
    if i < 1:
        raise argcheck.arg_error(1, "utf8.codepoint", "out of bounds")
    if j > len(s):
        raise argcheck.arg_error(2, "utf8.codepoint", "out of bounds")
    results = []
    position = i - 1
    while position < j:
        code, length = decode(s, position, not lax)
        if code < 0:
            raise LuaRuntimeError("invalid UTF-8 code")
        results.append(w_int(code))
        position += length
    return results


def lua_len(interp, args):
    s = argcheck.check_string(args, 0, "utf8.len")
    i = start_index(argcheck.opt_int(args, 1, "utf8.len", 1), len(s))
    j = argcheck.opt_int(args, 2, "utf8.len", -1)
    if j < 0:
        j = len(s) + j + 1
    lax = argcheck.get(args, 3).is_truthy()
    if i < 1 or i > len(s) + 1:
        raise argcheck.arg_error(1, "utf8.len", "initial position out of bounds")
    if j > len(s):
        raise argcheck.arg_error(2, "utf8.len", "final position out of bounds")
    position = i - 1
    count = 0
    while position < j:
        code, length = decode(s, position, not lax)
        if code < 0:
            return [w_nil, w_int(position + 1)]
        position += length
        count += 1
    return [w_int(count)]


def lua_offset(interp, args):
    s = argcheck.check_string(args, 0, "utf8.offset")
    n = argcheck.check_int(args, 1, "utf8.offset")
    default = 1 if n >= 0 else len(s) + 1
    i = argcheck.opt_int(args, 2, "utf8.offset", default)
    if i < 0:
        i = len(s) + i + 1
    if i < 1 or i > len(s) + 1:
        raise argcheck.arg_error(2, "utf8.offset", "position out of bounds")
    position = i - 1
    if n == 0:
        while position > 0 and is_continuation(s, position):
            position -= 1
        return [w_int(position + 1)]
    if is_continuation(s, position):
        raise LuaRuntimeError("initial position is a continuation byte")
    if n < 0:
        while n < 0 and position > 0:
            position -= 1
            while position > 0 and is_continuation(s, position):
                position -= 1
            n += 1
    else:
        n -= 1
        while n > 0 and position < len(s):
            position += 1
            while is_continuation(s, position):
                position += 1
            n -= 1
    if n == 0:
        return [w_int(position + 1)]
    return [w_nil]


class W_CodesIterator(W_Builtin):
    _attrs_ = ["strict"]

    def __init__(self, strict):
        W_Builtin.__init__(self, "codes_iterator", lua_len)
        self.strict = strict

    def invoke(self, interp, args):
        s = argcheck.check_string(args, 0, "for iterator")
        position = argcheck.check_int(args, 1, "for iterator")
        # skip the current character (position is 1-based, 0 at the start)
        if position > 0:
            index = position - 1
            if index < len(s):
                index += 1
                while is_continuation(s, index):
                    index += 1
            position = index
        if position >= len(s):
            return [w_nil]
        code, length = decode(s, position, self.strict)
        if code < 0 or is_continuation(s, position + length):
            raise LuaRuntimeError("invalid UTF-8 code")
        return [w_int(position + 1), w_int(code)]


STRICT_CODES = W_CodesIterator(True)
LAX_CODES = W_CodesIterator(False)


def lua_codes(interp, args):
    s = argcheck.check_string(args, 0, "utf8.codes")
    if len(s) > 0 and is_continuation(s, 0):
        raise argcheck.arg_error(0, "utf8.codes", "invalid UTF-8 code")
    iterator = LAX_CODES if argcheck.get(args, 1).is_truthy() else STRICT_CODES
    return [iterator, W_PlainString(s), w_int(0)]


def install(interp):
    w_utf8 = W_Table()
    for name, fn in [("char", lua_char), ("codepoint", lua_codepoint),
                     ("len", lua_len), ("offset", lua_offset),
                     ("codes", lua_codes)]:
        register(interp, name, fn, w_utf8)
    w_utf8.set_str("charpattern", W_PlainString("[\x00-\x7F\xC2-\xFD][\x80-\xBF]*"))
    interp.w_globals.set_str("utf8", w_utf8)
    interp.w_loaded.set_str("utf8", w_utf8)
