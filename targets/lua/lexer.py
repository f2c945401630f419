r"""Lexer: Lua 5.4 source text -> tokens.

A token is a `Token(kind, text, line)`:
* kind "name"/"string"/"int"/"float" for identifiers and literals (`text` is
  the identifier, the decoded string contents, or the numeral's source);
  numerals are also decoded into `intval`/`floatval`;
* for keywords and symbols kind is the keyword/symbol itself ("and", "==", ...);
* kind "<eof>" at the end.

Covers short strings with every escape (\a \b \f \n \r \t \v \\ \" \' \newline,
\z, \xXX, \ddd, \u{XXX}), long strings and long comments of any level, and the
numeral forms of luanumber.  Errors are raised as LuaSyntaxError with PUC's
"chunk:line: message near 'token'" wording.
"""
from targets.lua.errors import LuaSyntaxError
from targets.lua import luanumber

KEYWORDS = {}
for _kw in ["and", "break", "do", "else", "elseif", "end", "false", "for",
            "function", "goto", "if", "in", "local", "nil", "not", "or",
            "repeat", "return", "then", "true", "until", "while"]:
    KEYWORDS[_kw] = None


TWO_CHAR_SYMBOLS = {}
for _symbol in ["==", "~=", "<=", ">=", "//", "::", "<<", ">>", ".."]:
    TWO_CHAR_SYMBOLS[_symbol] = None


class Token(object):
    def __init__(self, kind, text, line):
        self.kind = kind
        self.text = text
        self.line = line
        self.source_text = text       # as written in the source (for errors)
        self.intval = 0
        self.floatval = 0.0


def is_alpha(c):
    return ('a' <= c <= 'z') or ('A' <= c <= 'Z') or c == '_'


def is_alnum(c):
    return is_alpha(c) or ('0' <= c <= '9')


def utf8_encode(code):
    """Lua's \\u{XXX} escape: UTF-8 extended to 31 bits (up to 6 bytes)."""
    if code < 0x80:
        return chr(code)
    if code < 0x800:
        return chr(0xC0 | (code >> 6)) + chr(0x80 | (code & 0x3F))
    if code < 0x10000:
        return (chr(0xE0 | (code >> 12)) + chr(0x80 | ((code >> 6) & 0x3F)) +
                chr(0x80 | (code & 0x3F)))
    if code < 0x200000:
        return (chr(0xF0 | (code >> 18)) + chr(0x80 | ((code >> 12) & 0x3F)) +
                chr(0x80 | ((code >> 6) & 0x3F)) + chr(0x80 | (code & 0x3F)))
    if code < 0x4000000:
        return (chr(0xF8 | (code >> 24)) + chr(0x80 | ((code >> 18) & 0x3F)) +
                chr(0x80 | ((code >> 12) & 0x3F)) +
                chr(0x80 | ((code >> 6) & 0x3F)) + chr(0x80 | (code & 0x3F)))
    return (chr(0xFC | (code >> 30)) + chr(0x80 | ((code >> 24) & 0x3F)) +
            chr(0x80 | ((code >> 18) & 0x3F)) +
            chr(0x80 | ((code >> 12) & 0x3F)) +
            chr(0x80 | ((code >> 6) & 0x3F)) + chr(0x80 | (code & 0x3F)))


class Lexer(object):
    def __init__(self, source, chunkname):
        self.source = source
        self.chunkname = chunkname
        self.pos = 0
        self.line = 1
        # skip a first line starting with '#' (shebang), as lua does
        if source.startswith("#"):
            while self.pos < len(source) and source[self.pos] != '\n':
                self.pos += 1

    def error(self, message, near):
        if near == "<eof>":
            message = "%s near <eof>" % message
        elif near:
            message = "%s near '%s'" % (message, near)
        raise LuaSyntaxError("%s:%d: %s" % (self.chunkname, self.line, message))

    def peek(self, offset=0):
        index = self.pos + offset
        if index < len(self.source):
            return self.source[index]
        return '\0'

    def at_end(self):
        return self.pos >= len(self.source)

    def newline(self):
        """Consume \\n, \\r, \\r\\n or \\n\\r as one line break."""
        c = self.source[self.pos]
        self.pos += 1
        if not self.at_end():
            d = self.source[self.pos]
            if (d == '\n' or d == '\r') and d != c:
                self.pos += 1
        self.line += 1

    def tokenize(self):
        tokens = []
        while True:
            token = self.next_token()
            tokens.append(token)
            if token.kind == "<eof>":
                return tokens

    def next_token(self):
        source = self.source
        while not self.at_end():
            c = source[self.pos]
            if c == '\n' or c == '\r':
                self.newline()
            elif c == ' ' or c == '\t' or c == '\f' or c == '\v':
                self.pos += 1
            elif c == '-' and self.peek(1) == '-':
                self.pos += 2
                self.skip_comment()
            else:
                break
        if self.at_end():
            return Token("<eof>", "<eof>", self.line)
        line = self.line
        c = source[self.pos]
        if is_alpha(c):
            start = self.pos
            while not self.at_end() and is_alnum(source[self.pos]):
                self.pos += 1
            word = source[start:self.pos]
            if word in KEYWORDS:
                return Token(word, word, line)
            return Token("name", word, line)
        if '0' <= c <= '9' or (c == '.' and '0' <= self.peek(1) <= '9'):
            return self.read_numeral()
        if c == '"' or c == "'":
            start = self.pos
            token = Token("string", self.read_string(c), line)
            token.source_text = self.source[start:self.pos]
            return token
        if c == '[':
            level = self.long_bracket_level()
            if level >= 0:
                start = self.pos
                token = Token("string", self.read_long_string(level), line)
                token.source_text = self.source[start:self.pos]
                return token
            if level == -2:
                self.error("invalid long string delimiter", "[=")
            self.pos += 1
            return Token("[", "[", line)
        three = source[self.pos:self.pos + 3]
        if three == "...":
            self.pos += 3
            return Token("...", "...", line)
        two = source[self.pos:self.pos + 2]
        if two in TWO_CHAR_SYMBOLS:
            self.pos += 2
            return Token(two, two, line)
        if c in "+-*/%^#&~|<>=(){}];:,.":
            self.pos += 1
            return Token(c, c, line)
        self.pos += 1
        self.error("unexpected symbol", c)
        return Token("<eof>", "<eof>", line)   # not reached

    def skip_comment(self):
        if self.peek() == '[':
            level = self.long_bracket_level()
            if level >= 0:
                self.read_long_string(level)
                return
        while not self.at_end() and self.source[self.pos] not in '\r\n':
            self.pos += 1

    def long_bracket_level(self):
        """At '[': level of a long bracket `[==[`, -1 if not one, -2 if
        malformed (`[=` not followed by `[`).  Does not consume."""
        i = self.pos + 1
        level = 0
        while i < len(self.source) and self.source[i] == '=':
            level += 1
            i += 1
        if i < len(self.source) and self.source[i] == '[':
            return level
        if level > 0:
            return -2
        return -1

    def read_long_string(self, level):
        start_line = self.line
        self.pos += level + 2
        # a newline right after the opening bracket is skipped
        if not self.at_end() and self.source[self.pos] in '\r\n':
            self.newline()
        parts = []
        chunk_start = self.pos
        while True:
            if self.at_end():
                self.error("unfinished long string (starting at line %d)" %
                           start_line, "<eof>")
            c = self.source[self.pos]
            if c == ']':
                i = self.pos + 1
                count = 0
                while i < len(self.source) and self.source[i] == '=':
                    count += 1
                    i += 1
                if count == level and i < len(self.source) and self.source[i] == ']':
                    parts.append(self.source[chunk_start:self.pos])
                    self.pos = i + 1
                    return "".join(parts)
                self.pos += 1
            elif c == '\n' or c == '\r':
                parts.append(self.source[chunk_start:self.pos])
                parts.append("\n")
                self.newline()
                chunk_start = self.pos
            else:
                self.pos += 1

    def read_string(self, quote):
        start = self.pos
        self.pos += 1
        parts = []
        source = self.source
        while True:
            if self.at_end():
                self.error("unfinished string", source[start:self.pos])
            c = source[self.pos]
            if c == quote:
                self.pos += 1
                return "".join(parts)
            if c == '\n' or c == '\r':
                self.error("unfinished string", source[start:self.pos])
            if c != '\\':
                parts.append(c)
                self.pos += 1
                continue
            self.pos += 1
            e = self.peek()
            if e == 'n':
                parts.append('\n')
                self.pos += 1
            elif e == 't':
                parts.append('\t')
                self.pos += 1
            elif e == 'r':
                parts.append('\r')
                self.pos += 1
            elif e == 'a':
                parts.append('\a')
                self.pos += 1
            elif e == 'b':
                parts.append('\b')
                self.pos += 1
            elif e == 'f':
                parts.append('\f')
                self.pos += 1
            elif e == 'v':
                parts.append('\v')
                self.pos += 1
            elif e == '\\' or e == '"' or e == "'":
                parts.append(e)
                self.pos += 1
            elif e == '\n' or e == '\r':
                parts.append('\n')
                self.newline()
            elif e == 'x':
                self.pos += 1
                value = 0
                for _ in range(2):
                    digit = luanumber.hex_value(self.peek())
                    if digit < 0:
                        self.error("hexadecimal digit expected",
                                   source[start:self.pos + 1])
                    value = value * 16 + digit
                    self.pos += 1
                parts.append(chr(value))
            elif e == 'z':
                self.pos += 1
                while not self.at_end():
                    d = source[self.pos]
                    if d == '\n' or d == '\r':
                        self.newline()
                    elif d in ' \t\f\v':
                        self.pos += 1
                    else:
                        break
            elif e == 'u':
                parts.append(self.read_utf8_escape(start))
            elif '0' <= e <= '9':
                value = 0
                count = 0
                while count < 3 and '0' <= self.peek() <= '9':
                    value = value * 10 + ord(self.peek()) - ord('0')
                    self.pos += 1
                    count += 1
                if value > 255:
                    self.error("decimal escape too large", source[start:self.pos + 1])
                parts.append(chr(value))
            else:
                if self.at_end():
                    self.error("unfinished string", source[start:self.pos])
                self.error("invalid escape sequence", source[start:self.pos + 1])

    def read_utf8_escape(self, start):
        self.pos += 1
        if self.peek() != '{':
            self.error("missing '{' in \\u{xxxx}", self.source[start:self.pos + 1])
        self.pos += 1
        value = 0
        digits = 0
        while luanumber.hex_value(self.peek()) >= 0:
            value = value * 16 + luanumber.hex_value(self.peek())
            digits += 1
            if value > 0x7FFFFFFF:
                self.error("UTF-8 value too large", self.source[start:self.pos + 1])
            self.pos += 1
        if digits == 0:
            self.error("hexadecimal digit expected", self.source[start:self.pos + 1])
        if self.peek() != '}':
            self.error("missing '}' in \\u{xxxx}", self.source[start:self.pos + 1])
        self.pos += 1
        return utf8_encode(value)

    def read_numeral(self):
        line = self.line
        start = self.pos
        source = self.source
        exponent_chars = "Ee"
        if source[self.pos] == '0' and self.peek(1) in 'xX':
            exponent_chars = "Pp"
            self.pos += 2
        while not self.at_end():
            c = source[self.pos]
            if c in exponent_chars and self.peek(1) in '+-':
                self.pos += 2
            elif is_alnum(c) or c == '.':
                self.pos += 1
            else:
                break
        text = source[start:self.pos]
        parsed = luanumber.parse_number(text)
        if parsed.kind == luanumber.NOT_A_NUMBER:
            self.error("malformed number", text)
        if parsed.kind == luanumber.INTEGER:
            token = Token("int", text, line)
            token.intval = parsed.intval
        else:
            token = Token("float", text, line)
            token.floatval = parsed.floatval
        return token
