"""Lua pattern matching (manual 6.4.1).

A backtracking matcher working directly on the pattern text: `match_here`
walks pattern items left to right; a single-character item followed by
`*`, `+`, `-` or `?` expands greedily (or lazily for `-`) and retries the
rest of the pattern at each length.  Captures are kept in a MatchState as
(start, length) pairs, with length CAP_UNFINISHED while the capture is open
and CAP_POSITION for `()` position captures.  Supports character classes
(%a %c %d %g %l %p %s %u %w %x and their upper-case complements), sets
`[...]` with ranges, anchors `^`/`$`, `%bxy` balanced matches, `%f[set]`
frontiers and back-references `%1`..`%9`.

Recursion is bounded by MAX_MATCH_DEPTH ("pattern too complex"), and plain
single-character steps loop instead of recursing.
"""
from targets.lua.errors import LuaRuntimeError

CAP_UNFINISHED = -1
CAP_POSITION = -2
MAX_CAPTURES = 32
MAX_MATCH_DEPTH = 200
SPECIALS = "^$*+?.([%-"


def has_specials(pattern):
    for c in pattern:
        if SPECIALS.find(c) >= 0:
            return True
    return False


def class_matches(c, class_char):
    """Does character c belong to the class %<class_char>?"""
    code = ord(c)
    lower = class_char.lower()
    if lower == 'a':
        result = ('a' <= c <= 'z') or ('A' <= c <= 'Z')
    elif lower == 'c':
        result = code < 32 or code == 127
    elif lower == 'd':
        result = '0' <= c <= '9'
    elif lower == 'g':
        result = 33 <= code <= 126
    elif lower == 'l':
        result = 'a' <= c <= 'z'
    elif lower == 'p':
        result = (33 <= code <= 126 and not ('a' <= c <= 'z') and
                  not ('A' <= c <= 'Z') and not ('0' <= c <= '9'))
    elif lower == 's':
        result = c == ' ' or (9 <= code <= 13)
    elif lower == 'u':
        result = 'A' <= c <= 'Z'
    elif lower == 'w':
        result = ('a' <= c <= 'z') or ('A' <= c <= 'Z') or ('0' <= c <= '9')
    elif lower == 'x':
        result = ('0' <= c <= '9') or ('a' <= c <= 'f') or ('A' <= c <= 'F')
    else:
        return class_char == c
    if 'A' <= class_char <= 'Z':
        return not result
    return result


class MatchState(object):
    def __init__(self, src, pattern):
        self.src = src
        self.pattern = pattern
        self.level = 0
        self.capture_start = [0] * MAX_CAPTURES
        self.capture_len = [0] * MAX_CAPTURES
        self.depth = 0

    def reset(self):
        self.level = 0
        self.depth = 0

    # ----------------------------------------------------------- pattern items

    def class_end(self, p):
        pattern = self.pattern
        if p >= len(pattern):
            raise LuaRuntimeError("malformed pattern (ends with '%')")
        c = pattern[p]
        p += 1
        if c == '%':
            if p >= len(pattern):
                raise LuaRuntimeError("malformed pattern (ends with '%')")
            return p + 1
        if c == '[':
            if p < len(pattern) and pattern[p] == '^':
                p += 1
            # the first character of a set may be ']'
            while True:
                if p >= len(pattern):
                    raise LuaRuntimeError("malformed pattern (missing ']')")
                c = pattern[p]
                p += 1
                if c == '%':
                    if p >= len(pattern):
                        raise LuaRuntimeError("malformed pattern (missing ']')")
                    p += 1
                elif c == ']' and p > 0:
                    if self._set_may_close(p - 1):
                        return p
        return p

    def _set_may_close(self, index):
        """A ']' right after '[' or '[^' is a literal member of the set."""
        pattern = self.pattern
        if pattern[index - 1] == '[':
            return False
        if pattern[index - 1] == '^' and index >= 2 and pattern[index - 2] == '[':
            # '[^]' : the ']' is a member unless the '^' was itself escaped
            return index >= 3 and pattern[index - 3] == '%'
        return True

    def match_set(self, c, p, end):
        """c against the set pattern[p..end] where pattern[p] == '[' and
        pattern[end] == ']'."""
        pattern = self.pattern
        negate = False
        p += 1
        if pattern[p] == '^':
            negate = True
            p += 1
        first = True
        while p < end or (first and p == end):
            first = False
            pc = pattern[p]
            if pc == '%' and p + 1 < end:
                p += 1
                if class_matches(c, pattern[p]):
                    return not negate
                p += 1
            elif p + 2 < end and pattern[p + 1] == '-':
                if pattern[p] <= c <= pattern[p + 2]:
                    return not negate
                p += 3
            else:
                if pc == c:
                    return not negate
                p += 1
        return negate

    def single_match(self, s, p, ep):
        if s >= len(self.src):
            return False
        c = self.src[s]
        pc = self.pattern[p]
        if pc == '.':
            return True
        if pc == '%':
            return class_matches(c, self.pattern[p + 1])
        if pc == '[':
            return self.match_set(c, p, ep - 1)
        return pc == c

    # --------------------------------------------------------------- matching

    def match(self, s, p):
        """End index of a match of pattern[p:] at src[s:], or -1."""
        self.depth += 1
        if self.depth > MAX_MATCH_DEPTH:
            raise LuaRuntimeError("pattern too complex")
        try:
            return self._match(s, p)
        finally:
            self.depth -= 1

    def _match(self, s, p):
        pattern = self.pattern
        plen = len(pattern)
        while True:
            if p >= plen:
                return s
            c = pattern[p]
            if c == '(':
                if p + 1 < plen and pattern[p + 1] == ')':
                    return self.start_capture(s, p + 2, CAP_POSITION)
                return self.start_capture(s, p + 1, CAP_UNFINISHED)
            if c == ')':
                return self.end_capture(s, p + 1)
            if c == '$' and p + 1 == plen:
                if s == len(self.src):
                    return s
                return -1
            if c == '%' and p + 1 < plen:
                nc = pattern[p + 1]
                if nc == 'b':
                    s = self.match_balance(s, p + 2)
                    if s == -1:
                        return -1
                    p += 4
                    continue
                if nc == 'f':
                    p += 2
                    if p >= plen or pattern[p] != '[':
                        raise LuaRuntimeError("missing '[' after '%f' in pattern")
                    ep = self.class_end(p)
                    previous = self.src[s - 1] if s > 0 else '\0'
                    current = self.src[s] if s < len(self.src) else '\0'
                    if (not self.match_set(previous, p, ep - 1) and
                            self.match_set(current, p, ep - 1)):
                        p = ep
                        continue
                    return -1
                if '0' <= nc <= '9':
                    s = self.match_capture(s, nc)
                    if s == -1:
                        return -1
                    p += 2
                    continue
            ep = self.class_end(p)
            quantifier = pattern[ep] if ep < plen else '\0'
            if not self.single_match(s, p, ep):
                if quantifier == '*' or quantifier == '?' or quantifier == '-':
                    p = ep + 1
                    continue
                return -1
            if quantifier == '?':
                result = self.match(s + 1, ep + 1)
                if result != -1:
                    return result
                p = ep + 1
                continue
            if quantifier == '+':
                return self.max_expand(s + 1, p, ep)
            if quantifier == '*':
                return self.max_expand(s, p, ep)
            if quantifier == '-':
                return self.min_expand(s, p, ep)
            s += 1
            p = ep

    def max_expand(self, s, p, ep):
        count = 0
        while self.single_match(s + count, p, ep):
            count += 1
        while count >= 0:
            result = self.match(s + count, ep + 1)
            if result != -1:
                return result
            count -= 1
        return -1

    def min_expand(self, s, p, ep):
        while True:
            result = self.match(s, ep + 1)
            if result != -1:
                return result
            if self.single_match(s, p, ep):
                s += 1
            else:
                return -1

    def start_capture(self, s, p, what):
        level = self.level
        if level >= MAX_CAPTURES:
            raise LuaRuntimeError("too many captures")
        self.capture_start[level] = s
        self.capture_len[level] = what
        self.level = level + 1
        result = self.match(s, p)
        if result == -1:
            self.level -= 1
        return result

    def end_capture(self, s, p):
        level = self.capture_to_close()
        self.capture_len[level] = s - self.capture_start[level]
        result = self.match(s, p)
        if result == -1:
            self.capture_len[level] = CAP_UNFINISHED
        return result

    def capture_to_close(self):
        level = self.level - 1
        while level >= 0:
            if self.capture_len[level] == CAP_UNFINISHED:
                return level
            level -= 1
        raise LuaRuntimeError("invalid pattern capture")

    def match_balance(self, s, p):
        if p + 1 >= len(self.pattern):
            raise LuaRuntimeError("malformed pattern (missing arguments to '%b')")
        src = self.src
        if s >= len(src) or src[s] != self.pattern[p]:
            return -1
        open_char = self.pattern[p]
        close_char = self.pattern[p + 1]
        depth = 1
        s += 1
        while s < len(src):
            c = src[s]
            if c == close_char:
                depth -= 1
                if depth == 0:
                    return s + 1
            elif c == open_char:
                depth += 1
            s += 1
        return -1

    def check_capture(self, digit):
        level = ord(digit) - ord('1')
        if level < 0 or level >= self.level or self.capture_len[level] == CAP_UNFINISHED:
            raise LuaRuntimeError("invalid capture index %%%d" % (level + 1))
        return level

    def match_capture(self, s, digit):
        level = self.check_capture(digit)
        length = self.capture_len[level]
        start = self.capture_start[level]
        assert length >= 0 and start >= 0 and s >= 0
        if (len(self.src) - s >= length and
                self.src[start:start + length] == self.src[s:s + length]):
            return s + length
        return -1

    # --------------------------------------------------------------- results

    def capture_count(self, whole_if_none):
        if self.level == 0 and whole_if_none:
            return 1
        return self.level

    def capture_is_position(self, i):
        return i < self.level and self.capture_len[i] == CAP_POSITION

    def capture_position(self, i):
        return self.capture_start[i] + 1

    def capture_string(self, i, s, e):
        """Capture i (0-based) as a string; capture 0 with no explicit
        captures is the whole match src[s:e]."""
        if i >= self.level:
            if i == 0:
                assert s >= 0 and e >= s
                return self.src[s:e]
            raise LuaRuntimeError("invalid capture index %%%d" % (i + 1))
        length = self.capture_len[i]
        if length == CAP_UNFINISHED:
            raise LuaRuntimeError("unfinished capture")
        start = self.capture_start[i]
        assert length >= 0 and start >= 0
        return self.src[start:start + length]
