"""string.pack / string.unpack / string.packsize (manual 6.4.2).

A format is read one option at a time by `FormatReader` (endianness `<`
`>` `=`, maximum alignment `!n`, integers `b B h H i[n] I[n] l L j J T`,
floats `f d n`, strings `s[n] z c[n]`, padding `x`, alignment `X`).
Integers are packed byte by byte in the chosen order; floats go through
rstruct.ieee.  Native is little-endian with 8-byte maximum alignment, as
on x86-64.
"""
from rpython.rlib.rarithmetic import intmask, r_uint, r_ulonglong
from rpython.rlib.rstruct.ieee import float_pack, float_unpack

from targets.lua import arguments as argcheck
from targets.lua.errors import LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.objects import W_Float, W_PlainString, w_int
from targets.lua import operators

MAX_INT_SIZE = 16
KIND_INT = 0
KIND_UINT = 1
KIND_FLOAT = 2
KIND_STRING = 3       # s[n]: length-prefixed
KIND_FIXED = 4        # c[n]
KIND_ZSTRING = 5      # z
KIND_PADDING = 6      # x
KIND_ALIGN = 7        # X
KIND_NONE = 8         # options without data (endianness, alignment setting, ' ')


class Option(object):
    def __init__(self, kind, size, alignment):
        self.kind = kind
        self.size = size
        self.alignment = alignment


class FormatReader(object):
    def __init__(self, fmt, fname):
        self.fmt = fmt
        self.fname = fname
        self.position = 0
        self.little = True
        self.max_align = 1

    def done(self):
        return self.position >= len(self.fmt)

    def read_number(self, default):
        if self.done() or not ('0' <= self.fmt[self.position] <= '9'):
            return default
        value = 0
        while not self.done() and '0' <= self.fmt[self.position] <= '9' and value < 100000:
            value = value * 10 + ord(self.fmt[self.position]) - ord('0')
            self.position += 1
        return value

    def int_size(self, default):
        size = self.read_number(default)
        if size < 1 or size > MAX_INT_SIZE:
            raise LuaRuntimeError("integral size (%d) out of limits [1,%d]" % (size, MAX_INT_SIZE))
        return size

    def next_option(self):
        c = self.fmt[self.position]
        self.position += 1
        if c == 'b':
            return Option(KIND_INT, 1, 1)
        if c == 'B':
            return Option(KIND_UINT, 1, 1)
        if c == 'h':
            return Option(KIND_INT, 2, 2)
        if c == 'H':
            return Option(KIND_UINT, 2, 2)
        if c == 'i':
            size = self.int_size(4)
            return Option(KIND_INT, size, size)
        if c == 'I':
            size = self.int_size(4)
            return Option(KIND_UINT, size, size)
        if c == 'l' or c == 'j':
            return Option(KIND_INT, 8, 8)
        if c == 'L' or c == 'J' or c == 'T':
            return Option(KIND_UINT, 8, 8)
        if c == 'f':
            return Option(KIND_FLOAT, 4, 4)
        if c == 'd' or c == 'n':
            return Option(KIND_FLOAT, 8, 8)
        if c == 's':
            size = self.int_size(8)
            return Option(KIND_STRING, size, size)
        if c == 'c':
            size = self.read_number(-1)
            if size == -1:
                raise LuaRuntimeError("missing size for format option 'c'")
            return Option(KIND_FIXED, size, 1)
        if c == 'z':
            return Option(KIND_ZSTRING, 0, 1)
        if c == 'x':
            return Option(KIND_PADDING, 1, 1)
        if c == 'X':
            if self.done():
                raise LuaRuntimeError("invalid next option for option 'X'")
            saved_little = self.little
            option = self.next_option()
            self.little = saved_little
            if option.kind == KIND_FIXED or option.alignment <= 1 and option.kind != KIND_INT:
                raise LuaRuntimeError("invalid next option for option 'X'")
            return Option(KIND_ALIGN, 0, option.alignment)
        if c == ' ':
            return Option(KIND_NONE, 0, 1)
        if c == '<' or c == '=':
            self.little = True
            return Option(KIND_NONE, 0, 1)
        if c == '>':
            self.little = False
            return Option(KIND_NONE, 0, 1)
        if c == '!':
            self.max_align = self.int_size(8)
            return Option(KIND_NONE, 0, 1)
        raise LuaRuntimeError("invalid format option '%s'" % c)

    def padding_for(self, option, total):
        """Bytes of alignment padding before `option` at offset `total`."""
        alignment = option.alignment
        if option.kind == KIND_ALIGN or (option.kind != KIND_NONE and alignment > 1):
            if alignment > self.max_align:
                alignment = self.max_align
            if alignment <= 1:
                return 0
            if alignment & (alignment - 1) != 0:
                raise LuaRuntimeError("format asks for alignment not power of 2")
            return (alignment - (total & (alignment - 1))) & (alignment - 1)
        return 0


def substring(s, start, end):
    assert start >= 0 and end >= start
    return s[start:end]


def pack_int(value, size, little):
    data = []
    v = r_uint(value)
    for i in range(size):
        if i < 8:
            data.append(chr(intmask(v & r_uint(0xff))))
            v = v >> 8
        else:
            data.append('\xff' if value < 0 else '\x00')
    if not little:
        data.reverse()
    return "".join(data)


def unpack_int(data, offset, size, little, signed):
    result = r_uint(0)
    for i in range(size):
        index = offset + (size - 1 - i if little else i)
        byte = ord(data[index])
        if size - 1 - i >= 8:
            continue
        result = (result << 8) | r_uint(byte)
    if size < 8 and signed:
        sign_bit = r_uint(1) << (size * 8 - 1)
        if result & sign_bit:
            result = result - (r_uint(1) << (size * 8))
    return intmask(result)


def lua_pack(interp, args):
    fmt = argcheck.check_string(args, 0, "string.pack")
    reader = FormatReader(fmt, "string.pack")
    out = []
    total = 0
    arg = 1
    while not reader.done():
        option = reader.next_option()
        padding = reader.padding_for(option, total)
        out.append("\x00" * padding)
        total += padding
        kind = option.kind
        if kind == KIND_INT or kind == KIND_UINT:
            value = argcheck.check_int(args, arg, "string.pack")
            if option.size < 8:
                limit = 1 << (option.size * 8 - 1)
                if kind == KIND_INT and not (-limit <= value < limit):
                    raise argcheck.arg_error(arg, "string.pack", "integer overflow")
                if kind == KIND_UINT and not (0 <= value < 2 * limit):
                    raise argcheck.arg_error(arg, "string.pack", "unsigned overflow")
            out.append(pack_int(value, option.size, reader.little))
            arg += 1
        elif kind == KIND_FLOAT:
            value = argcheck.check_float(args, arg, "string.pack")
            bits = float_pack(value, option.size)
            out.append(pack_int(intmask(bits), option.size, reader.little))
            arg += 1
        elif kind == KIND_STRING:
            s = argcheck.check_string(args, arg, "string.pack")
            if option.size < 8 and len(s) >= (1 << (option.size * 8)):
                raise argcheck.arg_error(arg, "string.pack", "string length does not fit in given size")
            out.append(pack_int(len(s), option.size, reader.little))
            out.append(s)
            total += len(s)
            arg += 1
        elif kind == KIND_FIXED:
            s = argcheck.check_string(args, arg, "string.pack")
            if len(s) > option.size:
                raise argcheck.arg_error(arg, "string.pack", "string longer than given size")
            out.append(s)
            out.append("\x00" * (option.size - len(s)))
            arg += 1
        elif kind == KIND_ZSTRING:
            s = argcheck.check_string(args, arg, "string.pack")
            if s.find("\x00") >= 0:
                raise argcheck.arg_error(arg, "string.pack", "string contains zeros")
            out.append(s + "\x00")
            total += len(s) + 1
            arg += 1
        elif kind == KIND_PADDING:
            out.append("\x00")
        total += option.size
    return [W_PlainString("".join(out))]


def lua_packsize(interp, args):
    fmt = argcheck.check_string(args, 0, "string.packsize")
    reader = FormatReader(fmt, "string.packsize")
    total = 0
    while not reader.done():
        option = reader.next_option()
        total += reader.padding_for(option, total)
        if option.kind == KIND_STRING or option.kind == KIND_ZSTRING:
            raise argcheck.arg_error(0, "string.packsize", "variable-length format")
        total += option.size
    return [w_int(total)]


def lua_unpack(interp, args):
    fmt = argcheck.check_string(args, 0, "string.unpack")
    data = argcheck.check_string(args, 1, "string.unpack")
    position = argcheck.opt_int(args, 2, "string.unpack", 1)
    if position < 0:
        position = len(data) + position + 1
    offset = position - 1
    if offset < 0 or offset > len(data):
        raise argcheck.arg_error(2, "string.unpack", "initial position out of string")
    reader = FormatReader(fmt, "string.unpack")
    results = []
    while not reader.done():
        option = reader.next_option()
        padding = reader.padding_for(option, offset)
        if offset + padding + option.size > len(data):
            raise argcheck.arg_error(1, "string.unpack", "data string too short")
        offset += padding
        kind = option.kind
        if kind == KIND_INT or kind == KIND_UINT:
            results.append(w_int(unpack_int(data, offset, option.size, reader.little,
                                            kind == KIND_INT)))
        elif kind == KIND_FLOAT:
            bits = unpack_int(data, offset, option.size, reader.little, False)
            results.append(W_Float(float_unpack(r_ulonglong(r_uint(bits)), option.size)))
        elif kind == KIND_STRING:
            length = unpack_int(data, offset, option.size, reader.little, False)
            start = offset + option.size
            if length < 0 or start + length > len(data):
                raise argcheck.arg_error(1, "string.unpack", "data string too short")
            results.append(W_PlainString(substring(data, start, start + length)))
            offset = start + length - option.size
        elif kind == KIND_FIXED:
            results.append(W_PlainString(substring(data, offset, offset + option.size)))
        elif kind == KIND_ZSTRING:
            assert offset >= 0
            end = data.find("\x00", offset)
            if end < 0:
                raise argcheck.arg_error(1, "string.unpack", "unfinished string for format 'z'")
            results.append(W_PlainString(substring(data, offset, end)))
            offset = end + 1
        offset += option.size
    results.append(w_int(offset + 1))
    return results


def install(interp, w_string):
    register(interp, "pack", lua_pack, w_string)
    register(interp, "unpack", lua_unpack, w_string)
    register(interp, "packsize", lua_packsize, w_string)
