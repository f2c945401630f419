"""A probe of everything whose result may depend on the CPU's byte order.

Translated for several architectures (``--arch``), every build must print
the same lines, except those starting with ``native`` (which say what the
CPU's own order is, and must match it).  Each section exercises a part of
RPython that reads a host fact at translation time
(translator_plugins/crossarch/hostfacts.py):

- float: formatting and parsing through rdtoa (dtoa.c compiled with the
  target's double layout), in the r/e/f/g styles, with denormals,
  infinities, NaN and negative zero;
- struct: packing with rstruct's format tables ('<', '>', '!' and native)
  and unpacking with runpack; the fast path is only correct when rstruct
  knows the target's byte order;
- bigint: rbigint arithmetic, conversion to and from text, bytes and
  floats;
- unicode: runicode's UTF-8/16/32, latin-1 and escape codecs;
- hash: siphash-2-4 with the zero key (little-endian word loads);
- regex: rsre with a charset beyond Latin-1 (BIGCHARSET words).

    endianprobe            print every section
    endianprobe SECTION    print one section
"""
import os

from rpython.rlib import rfloat, rsiphash, runicode
from rpython.rlib.mutbuffer import MutableStringBuffer
from rpython.rlib.objectmodel import specialize
from rpython.rlib.rarithmetic import intmask, r_longlong, r_uint, r_ulonglong
from rpython.rlib.rbigint import rbigint
from rpython.rlib.rsre import rsre_core
from rpython.rlib.rsre.rpy import get_code
from rpython.rlib.rstring import ParseStringError
from rpython.rlib.rstruct.error import StructError
from rpython.rlib.rstruct.formatiterator import CalcSizeFormatIterator, FormatIterator
from rpython.rlib.rstruct.runpack import runpack

HEX_DIGITS = '0123456789abcdef'


def write_all(fd, data):
    while data:
        written = os.write(fd, data)
        data = data[written:]


def say(text):
    write_all(1, text + '\n')


def yes(flag):
    return 'yes' if flag else 'no'     # str(bool) is '1' or '0' once translated


def hexbytes(data):
    chars = []
    for c in data:
        chars.append(HEX_DIGITS[ord(c) >> 4])
        chars.append(HEX_DIGITS[ord(c) & 15])
    return ''.join(chars)


# -- float ---------------------------------------------------------------

FLOATS = [0.1, 1.0 / 3.0, -2.5, 1e300, 2.5e-310, 5e-324, 123456789.125, 1e22,
          3.141592653589793, -0.0, 1e16, 9007199254740993.0]
FLOAT_TEXTS = ['0.1', '1e-320', '-inf', 'nan', '2.718281828459045', '1.7976931348623157e308',
               '123456789012345678901234567890', '0x1p-3']


def float_section():
    for x in FLOATS + [rfloat.INFINITY, -rfloat.INFINITY, rfloat.NAN]:
        say('float %s e=%s f=%s g=%s' % (rfloat.formatd(x, 'r', 0),
                                          rfloat.formatd(x, 'e', 12),
                                          rfloat.formatd(x, 'f', 3),
                                          rfloat.formatd(x, 'g', 17)))
    for text in FLOAT_TEXTS:
        try:
            value = rfloat.string_to_float(text)
        except ParseStringError:
            say('parse %s -> invalid' % text)
        else:
            say('parse %s -> %s' % (text, rfloat.formatd(value, 'r', 0)))
    total = 0.0
    for i in range(1, 1001):
        total += 1.0 / (i * i)
    say('sum 1/i^2 = %s' % rfloat.formatd(total, 'r', 0))


# -- struct --------------------------------------------------------------

class Value(object):
    def as_int(self):
        raise StructError('expected an integer')

    def as_float(self):
        raise StructError('expected a float')

    def as_str(self):
        raise StructError('expected a string')


class IntValue(Value):
    def __init__(self, value):
        self.value = value

    def as_int(self):
        return self.value

    def as_float(self):
        return float(self.value)


class FloatValue(Value):
    def __init__(self, value):
        self.value = value

    def as_float(self):
        return self.value


class StrValue(Value):
    def __init__(self, value):
        self.value = value

    def as_str(self):
        return self.value


class PackIterator(FormatIterator):
    """Packs a list of Values into a string, like struct.pack."""
    _operate_is_specialized_ = True

    def __init__(self, values, size):
        self.values = values
        self.index = 0
        self.wbuf = MutableStringBuffer(size)
        self.pos = 0

    @specialize.arg(1)
    def operate(self, fmtdesc, repetitions):
        if fmtdesc.needcount:
            fmtdesc.pack(self, repetitions)
        else:
            for i in range(repetitions):
                fmtdesc.pack(self)

    def align(self, mask):
        pad = (-self.pos) & mask
        self.wbuf.setzeros(self.pos, pad)
        self.advance(pad)

    def advance(self, count):
        self.pos += count

    def finished(self):
        if self.index != len(self.values):
            raise StructError('too many arguments for the format')

    def next_value(self):
        if self.index >= len(self.values):
            raise StructError('not enough arguments for the format')
        value = self.values[self.index]
        self.index += 1
        return value

    def accept_int_arg(self):
        return self.next_value().as_int()

    def accept_uint_arg(self):
        return r_uint(self.next_value().as_int())

    def accept_longlong_arg(self):
        return r_longlong(self.next_value().as_int())

    def accept_ulonglong_arg(self):
        return r_ulonglong(self.next_value().as_int())

    def accept_bool_arg(self):
        return self.next_value().as_int() != 0

    def accept_float_arg(self):
        return self.next_value().as_float()

    def accept_str_arg(self):
        return self.next_value().as_str()

    def accept_unicode_arg(self):
        return self.next_value().as_str().decode('latin-1')


def pack(fmt, values):
    size_iterator = CalcSizeFormatIterator()
    size_iterator.interpret(fmt)
    packer = PackIterator(values, size_iterator.totalsize)
    packer.interpret(fmt)
    return packer.wbuf.finish()


def struct_values():
    return [IntValue(-2), IntValue(0x1234), IntValue(-0x123456789ab), FloatValue(1.5),
            FloatValue(-0.1), StrValue('ab'), IntValue(0xFEDCBA98), IntValue(200)]


STRUCT_FORMATS = ['<hiqdf2sIB', '>hiqdf2sIB', '!hiqdf2sIB']


def show_unpacked(label, values):
    say('%s %s' % (label, ' '.join(values)))


def struct_section():
    for fmt in STRUCT_FORMATS:
        say('pack %s %s' % (fmt, hexbytes(pack(fmt, struct_values()))))
    # '=': standard sizes in the CPU's own byte order
    say('native pack =hiqdf2sIB %s' % hexbytes(pack('=hiqdf2sIB', struct_values())))
    little = pack('<hiqdf2sIB', struct_values())
    big = pack('>hiqdf2sIB', struct_values())
    a, b, c, d, e, f, g, h = runpack('<hiqdf2sIB', little)
    show_unpacked('unpack <', [str(a), str(b), str(c), rfloat.formatd(d, 'r', 0),
                               rfloat.formatd(e, 'r', 0), f, str(g), str(h)])
    a, b, c, d, e, f, g, h = runpack('>hiqdf2sIB', big)
    show_unpacked('unpack >', [str(a), str(b), str(c), rfloat.formatd(d, 'r', 0),
                               rfloat.formatd(e, 'r', 0), f, str(g), str(h)])
    # runpack mishandles native padding, so this format needs none
    native_values = [IntValue(-0x123456789ab), FloatValue(1.5), IntValue(0x1234), IntValue(-2)]
    native = pack('@qdih', native_values)
    a, b, c, d = runpack('@qdih', native)
    show_unpacked('unpack @ roundtrip', [str(a), rfloat.formatd(b, 'r', 0), str(c), str(d)])
    say('size @hiqd = %d, =hiqd = %d' % (len(pack('@hiqd', struct_values()[:4])),
                                         len(pack('=hiqd', struct_values()[:4]))))
    if native[:8] == pack('>q', native_values[:1]):
        say('native struct order: big')
    elif native[:8] == pack('<q', native_values[:1]):
        say('native struct order: little')
    else:
        say('native struct order: broken %s' % hexbytes(native))
    say('native struct bytes %s' % hexbytes(native))


# -- bigint --------------------------------------------------------------

def bigint_section():
    three = rbigint.fromint(3)
    big = three.pow(rbigint.fromint(200))
    say('3**200 = %s' % big.str())
    say('3**200 hex = %s' % big.format(HEX_DIGITS, prefix='0x'))
    factorial = rbigint.fromint(1)
    for i in range(2, 61):
        factorial = factorial.mul(rbigint.fromint(i))
    say('60! = %s' % factorial.str())
    say('60! // 3**30 = %s, mod %s' % (
        factorial.floordiv(three.pow(rbigint.fromint(30))).str(),
        factorial.mod(rbigint.fromint(1000003)).str()))
    parsed = rbigint.fromstr('-123456789012345678901234567890123456789')
    say('parsed = %s, shifted %s' % (parsed.str(), parsed.lshift(77).str()))
    say('bytes big %s' % hexbytes(parsed.tobytes(20, 'big', True)))
    say('bytes little %s' % hexbytes(parsed.tobytes(20, 'little', True)))
    back = rbigint.frombytes('\x01\x02\x03\x04\x05\x06\x07\x08\x09', 'little', False)
    say('frombytes little = %s' % back.str())
    back = rbigint.frombytes('\xff\x02\x03\x04\x05\x06\x07\x08\x09', 'big', True)
    say('frombytes big signed = %s' % back.str())
    say('fromfloat 1e30 = %s; tofloat(60!) = %s' % (
        rbigint.fromfloat(1e30).str(), rfloat.formatd(factorial.tofloat(), 'r', 0)))
    say('bit_length(3**200) = %d' % big.bit_length())


# -- unicode -------------------------------------------------------------

SAMPLE = u'A\xe9\u20ac\u4e2d\U0001f600z'


def unicode_section():
    utf8 = runicode.unicode_encode_utf_8(SAMPLE, len(SAMPLE), 'strict')
    say('utf-8 %s' % hexbytes(utf8))
    decoded, consumed = runicode.str_decode_utf_8(utf8, len(utf8), 'strict', final=True)
    say('utf-8 roundtrip %s (%d bytes)' % (yes(decoded == SAMPLE), consumed))
    for name in ['utf-16-le', 'utf-16-be', 'utf-32-le', 'utf-32-be']:
        if name == 'utf-16-le':
            data = runicode.unicode_encode_utf_16_le(SAMPLE, len(SAMPLE), 'strict')
            decoded = runicode.str_decode_utf_16_le(data, len(data), 'strict')[0]
        elif name == 'utf-16-be':
            data = runicode.unicode_encode_utf_16_be(SAMPLE, len(SAMPLE), 'strict')
            decoded = runicode.str_decode_utf_16_be(data, len(data), 'strict')[0]
        elif name == 'utf-32-le':
            data = runicode.unicode_encode_utf_32_le(SAMPLE, len(SAMPLE), 'strict')
            decoded = runicode.str_decode_utf_32_le(data, len(data), 'strict')[0]
        else:
            data = runicode.unicode_encode_utf_32_be(SAMPLE, len(SAMPLE), 'strict')
            decoded = runicode.str_decode_utf_32_be(data, len(data), 'strict')[0]
        say('%s %s roundtrip %s' % (name, hexbytes(data), yes(decoded == SAMPLE)))
    for bom in ['\xff\xfeA\x00\xac\x20', '\xfe\xff\x00A\x20\xac']:
        decoded = runicode.str_decode_utf_16(bom, len(bom), 'strict')[0]
        say('utf-16 with BOM %s -> %s' % (hexbytes(bom),
                                          hexbytes(runicode.unicode_encode_utf_8(
                                              decoded, len(decoded), 'strict'))))
    latin = runicode.unicode_encode_latin_1(u'caf\xe9', 4, 'strict')
    say('latin-1 %s' % hexbytes(latin))
    escaped = runicode.unicode_encode_unicode_escape(SAMPLE, len(SAMPLE), 'strict')
    say('unicode-escape %s' % escaped)
    data = runicode.unicode_encode_utf_16(SAMPLE, len(SAMPLE), 'strict')
    say('native utf-16 %s' % hexbytes(data))
    decoded = runicode.str_decode_utf_16(data, len(data), 'strict')[0]
    say('utf-16 with native BOM roundtrip %s' % yes(decoded == SAMPLE))


# -- hash and regex ------------------------------------------------------

# every third code point from U+0100, and U+4E2D: compiled to BIGCHARSET
REGEX = get_code(u'[%s\u4e2d]+' % u''.join([unichr(0x100 + 3 * i) for i in range(120)]))


def hash_section():
    for text in ['', 'a', 'abcdefgh', 'the quick brown fox jumps over the lazy dog']:
        say('siphash24(%s) = %d' % (text, intmask(rsiphash.siphash24(text))))
    subject = u'abc \u0100\u0103\u4e2d\u0106\u0101 xyz \u4e2d'
    match = rsre_core.search(REGEX, subject)
    if match is None:
        say('regex: no match')
    else:
        say('regex: match %d..%d' % (match.match_start, match.match_end))


SECTIONS = ['float', 'struct', 'bigint', 'unicode', 'hash']


def run_section(name):
    if name == 'float':
        float_section()
    elif name == 'struct':
        struct_section()
    elif name == 'bigint':
        bigint_section()
    elif name == 'unicode':
        unicode_section()
    elif name == 'hash':
        hash_section()
    else:
        write_all(2, 'endianprobe: unknown section %s\n' % name)
        return 2
    return 0


def entry_point(argv):
    names = argv[1:] if len(argv) > 1 else SECTIONS
    for name in names:
        status = run_section(name)
        if status:
            return status
    return 0


def target(*args):
    return entry_point, None
