"""Decode errors: what was expected, the byte offset, and line:column.

Every error the decoder raises is a `JSONDecodeError`.  The decoder only
knows the byte offset where it stopped; the line and column are computed from
the input when the error is created (errors are rare, so this costs nothing on
the fast path).  Lines count '\\n' bytes and start at 1; columns count code
points (UTF-8 continuation bytes do not advance the column) and start at 1,
so they match what an editor shows for a UTF-8 file.
"""


class JSONDecodeError(Exception):
    """The input is not the JSON the decoder accepts.

    `reason` says what was expected and what was found; `offset` is the
    0-based byte offset, `line` and `column` are 1-based.
    """

    def __init__(self, reason, offset, line, column):
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column

    def format(self):
        return "%s at byte %d (line %d, column %d)" % (
            self.reason, self.offset, self.line, self.column)

    def __str__(self):
        return self.format()


def line_and_column(text, offset):
    """1-based (line, column) of byte `offset` in the UTF-8 `text`."""
    line = 1
    column = 1
    stop = min(offset, len(text))
    i = 0
    while i < stop:
        byte = ord(text[i])
        if byte == 0x0A:
            line += 1
            column = 1
        elif byte & 0xC0 != 0x80:
            column += 1
        i += 1
    return line, column


def make_error(text, reason, offset):
    line, column = line_and_column(text, offset)
    return JSONDecodeError(reason, offset, line, column)


def describe_byte(text, offset):
    """How an error message names the byte at `offset`."""
    if offset >= len(text):
        return "end of input"
    ch = text[offset]
    if ' ' <= ch <= '~':
        if ch == "'":
            return '"\'"'
        return "'%s'" % ch
    return "byte 0x%s" % _hex2(ord(ch))


HEX_DIGITS = "0123456789abcdef"


def _hex2(value):
    return HEX_DIGITS[(value >> 4) & 0xF] + HEX_DIGITS[value & 0xF]
