"""String bodies: UTF-8 validation, escape sequences, the surrogate policy.

The fast path (in decoder.py) handles strings without escapes: the word
scanner finds the closing quote, and only if some byte had its high bit set
is the body validated here.  Strings with a backslash go through
`decode_escaped`, which copies the raw runs between escapes (each found by the
word scanner and validated on its own) and appends the decoded escapes.

Validation is strict RFC 3629 UTF-8: no overlong forms, no encoded surrogates
(ED A0..ED BF), nothing above U+10FFFF.  A run between escapes always ends at
an ASCII byte ('\\\\' or '"'), so a valid multi-byte character never spans
two runs and validating runs one by one is the same as validating the whole.

Lone surrogates.  RFC 8259 allows `\\uD800` without its pair but says the
result is unpredictable; the policy is an option:

* SURROGATES_REJECT (the default): a high surrogate escape not followed by a
  low surrogate escape, or a low one not preceded by a high one, is an error;
* SURROGATES_REPLACE: each lone surrogate becomes U+FFFD;
* SURROGATES_WTF8: each lone surrogate is encoded like any other code point
  in 3 bytes (generalised UTF-8, "WTF-8"), as PyPy's strings can hold them.

A correctly paired `\\uD83D\\uDE00` is always one code point (U+1F600).
"""
from rpython.rlib.rstring import StringBuilder

from jsondecoder.errors import make_error, describe_byte
from jsondecoder.scanner import (ScanResult, scan_string, word_at, WORD_BYTES,
                                 EVERY_BYTE_80, first_flagged_byte)

SURROGATES_REJECT = 0
SURROGATES_REPLACE = 1
SURROGATES_WTF8 = 2

SIMPLE_ESCAPES = {'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f',
                  'n': '\n', 'r': '\r', 't': '\t'}
CONTROL_ESCAPE_HINTS = {'\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b',
                        '\f': '\\f'}


def _hex4(value):
    digits = "0123456789ABCDEF"
    return (digits[(value >> 12) & 0xF] + digits[(value >> 8) & 0xF] +
            digits[(value >> 4) & 0xF] + digits[value & 0xF])


def utf8_error(buf, offset):
    lead = describe_byte(buf.text, offset)
    return make_error(buf.text, "invalid UTF-8: %s does not start a valid "
                      "sequence (the input must be UTF-8 encoded)" % lead,
                      offset)


def validate_utf8(buf, start, end):
    """Check that bytes [start, end) are UTF-8; return the code point count."""
    storage = buf.storage
    count = 0
    i = start
    while i < end:
        if i + WORD_BYTES <= end:
            high_bits = word_at(storage, i) & EVERY_BYTE_80
            if not high_bits:
                i += WORD_BYTES
                count += WORD_BYTES
                continue
            # skip the ASCII bytes before the word's first non-ASCII byte
            ascii_prefix = first_flagged_byte(high_bits)
            i += ascii_prefix
            count += ascii_prefix
        lead = ord(storage[i])
        if lead < 0x80:
            i += 1
            count += 1
            continue
        if 0xC2 <= lead <= 0xDF:
            size = 2
            low, high = 0x80, 0xBF
        elif 0xE0 <= lead <= 0xEF:
            size = 3
            if lead == 0xE0:
                low, high = 0xA0, 0xBF
            elif lead == 0xED:
                low, high = 0x80, 0x9F        # no UTF-8 encoded surrogates
            else:
                low, high = 0x80, 0xBF
        elif 0xF0 <= lead <= 0xF4:
            size = 4
            if lead == 0xF0:
                low, high = 0x90, 0xBF
            elif lead == 0xF4:
                low, high = 0x80, 0x8F        # nothing above U+10FFFF
            else:
                low, high = 0x80, 0xBF
        else:
            raise utf8_error(buf, i)
        if i + size > end:
            raise utf8_error(buf, i)
        second = ord(storage[i + 1])
        if second < low or second > high:
            raise utf8_error(buf, i)
        j = 2
        while j < size:
            if ord(storage[i + j]) & 0xC0 != 0x80:
                raise utf8_error(buf, i)
            j += 1
        i += size
        count += 1
    return count


def append_code_point(builder, code_point):
    if code_point < 0x80:
        builder.append(chr(code_point))
    elif code_point < 0x800:
        builder.append(chr(0xC0 | (code_point >> 6)))
        builder.append(chr(0x80 | (code_point & 0x3F)))
    elif code_point < 0x10000:
        builder.append(chr(0xE0 | (code_point >> 12)))
        builder.append(chr(0x80 | ((code_point >> 6) & 0x3F)))
        builder.append(chr(0x80 | (code_point & 0x3F)))
    else:
        builder.append(chr(0xF0 | (code_point >> 18)))
        builder.append(chr(0x80 | ((code_point >> 12) & 0x3F)))
        builder.append(chr(0x80 | ((code_point >> 6) & 0x3F)))
        builder.append(chr(0x80 | (code_point & 0x3F)))


def hex_digit_value(ch):
    if '0' <= ch <= '9':
        return ord(ch) - ord('0')
    if 'a' <= ch <= 'f':
        return ord(ch) - ord('a') + 10
    if 'A' <= ch <= 'F':
        return ord(ch) - ord('A') + 10
    return -1


def read_hex4(buf, offset):
    """The value of the 4 hex digits at `offset` (just after '\\\\u')."""
    storage = buf.storage
    value = 0
    for i in range(4):
        digit = hex_digit_value(storage[offset + i])
        if digit < 0:
            raise make_error(buf.text, "invalid \\u escape: expected 4 hex "
                             "digits, found %s" % describe_byte(
                                 buf.text, offset + i), offset + i)
        value = (value << 4) | digit
    return value


def string_end_error(buf, offset, string_start):
    """The error for the control byte or end of input at `offset`."""
    if offset >= buf.length:
        return make_error(buf.text, "unterminated string: expected '\"' "
                          "before end of input (the string starts at byte %d)"
                          % string_start, offset)
    ch = buf.storage[offset]
    hint = CONTROL_ESCAPE_HINTS.get(ch, "\\u" + _hex4(ord(ch)))
    return make_error(buf.text, "control character U+%s in string: escape "
                      "it as %s" % (_hex4(ord(ch)), hint), offset)


class DecodedString(object):
    """An escaped string body after decoding: UTF-8 text, its length in
    code points, and the offset just after the closing quote."""

    def __init__(self, utf8, code_points, end):
        self.utf8 = utf8
        self.code_points = code_points
        self.end = end


def decode_escaped(buf, start, first_stop, first_run_non_ascii,
                   surrogate_policy):
    """Decode the body starting at `start` whose first '\\\\' (or control
    byte) is at `first_stop`; [start, first_stop) is already scanned."""
    storage = buf.storage
    builder = StringBuilder(2 * (first_stop - start) + 16)
    code_points = 0
    run_start = start
    stop = first_stop
    run_non_ascii = first_run_non_ascii
    scan = ScanResult()
    while True:
        if run_non_ascii:
            code_points += validate_utf8(buf, run_start, stop)
        else:
            code_points += stop - run_start
        assert 0 <= run_start <= stop
        builder.append_slice(buf.text, run_start, stop)
        ch = storage[stop]
        if ch == '"':
            return DecodedString(builder.build(), code_points, stop + 1)
        if ch != '\\':
            raise string_end_error(buf, stop, start - 1)
        stop = decode_escape(buf, stop, builder, surrogate_policy)
        code_points += 1
        run_start = stop
        stop = scan_string(storage, run_start, scan)
        run_non_ascii = scan.has_non_ascii


def decode_escape(buf, offset, builder, surrogate_policy):
    """Append the escape at `offset` (a backslash) to `builder`; return the
    offset after it.  Appends exactly one code point."""
    storage = buf.storage
    ch = storage[offset + 1]
    if ch != 'u':
        simple = SIMPLE_ESCAPES.get(ch, '')
        if not simple:
            raise make_error(buf.text, "invalid escape: expected one of "
                             "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after "
                             "'\\', found %s" % describe_byte(buf.text,
                                                              offset + 1),
                             offset)
        builder.append(simple)
        return offset + 2
    code_point = read_hex4(buf, offset + 2)
    end = offset + 6
    if 0xD800 <= code_point <= 0xDBFF:
        if storage[end] == '\\' and storage[end + 1] == 'u':
            low = read_hex4(buf, end + 2)
            if 0xDC00 <= low <= 0xDFFF:
                code_point = 0x10000 + ((code_point - 0xD800) << 10) + (
                    low - 0xDC00)
                append_code_point(builder, code_point)
                return end + 6
        return lone_surrogate(buf, offset, code_point, builder,
                              surrogate_policy, "high", end)
    if 0xDC00 <= code_point <= 0xDFFF:
        return lone_surrogate(buf, offset, code_point, builder,
                              surrogate_policy, "low", end)
    append_code_point(builder, code_point)
    return end


def lone_surrogate(buf, offset, code_point, builder, surrogate_policy,
                   which, end):
    if surrogate_policy == SURROGATES_REPLACE:
        append_code_point(builder, 0xFFFD)
    elif surrogate_policy == SURROGATES_WTF8:
        append_code_point(builder, code_point)
    else:
        if which == "high":
            partner = "followed by a low surrogate \\uDC00-\\uDFFF"
        else:
            partner = "preceded by a high surrogate \\uD800-\\uDBFF"
        raise make_error(buf.text, "lone surrogate \\u%s: a %s surrogate "
                         "must be %s (lone surrogates are rejected by "
                         "default; see the surrogate policy option)" % (
                             _hex4(code_point), which, partner), offset)
    return end
