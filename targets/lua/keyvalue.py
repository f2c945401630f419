"""The entries of a table in the pairs strategy (table.py), and the cache
that lets decoded tables share them.

A JSON object whose key set is too varied for maps (Yelp's `attributes`:
a few of some 400 names per record) is a table in the pairs strategy, an
exactly sized array of entries.  Such objects mostly pair a few keys with a
few values ("WiFi": "False", "Caters": "True"), so an entry is one
immutable W_KeyValue, and `PairCache` hands out the same W_KeyValue for the
same key and an equal value while a document is decoded: a table of such
entries costs 8 bytes a pair instead of 16 (the shared W_KeyValue, 24
bytes, is paid once).  Tables whose pairs do not repeat keep the keys and
values interleaved in their array (table.py has both layouts).  The
decoder's key cache gives equal keys one object, so keys are compared by
identity; values by identity, and strings and integers by value (the
value cache gives a repeated string one object only until a colliding
string takes its slot, and on Yelp's attributes that left five times as
many entries as distinct pairs; the decoder's DocumentStrings now give
it one object within a document, so the bytes are rarely compared).  Strings are hashed and compared where
they lie, so no view is copied out.

The cache is direct-mapped (a colliding pair replaces the slot's entry) and
forgets its entries when the document is done (`forget`), so it never keeps
a document alive: a value may be a view into the document's text until the
decoder settles it (json_builder.py).
"""
from rpython.rlib.objectmodel import compute_hash
from rpython.rlib.rarithmetic import intmask, r_uint

from targets.lua.objects import (W_Object, W_String, W_PlainString,
                                 W_StringView, W_Integer, W_Float, W_Boolean,
                                 SPAN_BITS)

# 256 KB of slots.  Yelp's attributes pair some 400 names with 5 values;
# simulated on the 30 MB corpus, the pairs arrays' 6.7 MB shrink by 1.5 MB
# with 4K slots, 2.7 MB with 16K and 3.0 MB with 32K
PAIR_CACHE_SIZE = 1 << 15


class W_KeyValue(W_Object):
    """A key and its value, never changed (assigning a present key of a
    pairs table stores a new W_KeyValue).  Never a Lua value: only the
    arrays of pairs tables hold these."""
    _attrs_ = ["w_key", "w_value"]
    _immutable_fields_ = ["w_key", "w_value"]
    type_name = "pair"

    def __init__(self, w_key, w_value):
        self.w_key = w_key
        self.w_value = w_value


def string_bytes(w_string):
    """(text, start, length): where a string's bytes lie, without copying
    a view out."""
    if isinstance(w_string, W_StringView):
        span = w_string.span
        return w_string.source, span >> SPAN_BITS, w_string.length()
    assert isinstance(w_string, W_PlainString)
    return w_string.strval, 0, len(w_string.strval)


# bytes_hash reads at most this many bytes (the length is hashed too)
HASHED_BYTES = 8


def bytes_hash(w_string):
    """A hash of a string's length and first bytes: most values of pairs
    tables are short, and equal hashes only cost a comparison."""
    text, start, length = string_bytes(w_string)
    hash_value = r_uint(length)
    for i in range(start, start + min(length, HASHED_BYTES)):
        hash_value = (hash_value * 1000003) ^ r_uint(ord(text[i]))
    return intmask(hash_value)


def same_bytes(w_a, w_b):
    if w_a.length() != w_b.length():
        return False
    text_a, start_a, length = string_bytes(w_a)
    text_b, start_b, _ = string_bytes(w_b)
    for i in range(length):
        if text_a[start_a + i] != text_b[start_b + i]:
            return False
    return True


def same_value(w_a, w_b):
    """May a table hold w_b where it held w_a?  The same object, or equal
    strings or integers (a float is compared by identity: -0.0 == 0.0)."""
    if w_a is w_b:
        return True
    if isinstance(w_a, W_String):
        return isinstance(w_b, W_String) and same_bytes(w_a, w_b)
    if isinstance(w_a, W_Integer):
        return isinstance(w_b, W_Integer) and w_a.intval == w_b.intval
    return False


def fingerprint(w_value):
    """A hash of `w_value`, equal for values that same_value accepts,
    without identity hashes (which cost young objects a shadow copy in
    RPython's GC)."""
    if isinstance(w_value, W_String):
        return bytes_hash(w_value)
    if isinstance(w_value, W_Integer):
        return w_value.intval
    if isinstance(w_value, W_Float):
        return compute_hash(w_value.floatval)
    if isinstance(w_value, W_Boolean):
        return 1 if w_value.value else 2
    return 3


def key_fingerprint(w_key):
    """The decoder's keys are W_PlainStrings, whose text caches its hash."""
    if isinstance(w_key, W_PlainString):
        return compute_hash(w_key.strval)
    return fingerprint(w_key)


class PairCache(object):
    """W_KeyValues by key and value, for one document at a time.

    A table takes shared entries only when at least two thirds of its
    pairs were found in the cache (`entries_for`): an entry missed costs a
    new W_KeyValue, 24 bytes, against the 8 a found one saves, so a table
    of mostly new pairs keeps them interleaved in its array (16 bytes a
    pair), while its new entries wait in the cache for the next tables.
    A document whose pairs rarely repeat (fewer than one in
    MIN_HIT_RATIO found, counted over SAMPLE lookups) stops using the
    cache until it is done."""

    SAMPLE = 4096
    MIN_HIT_RATIO = 8

    def __init__(self, size=PAIR_CACHE_SIZE):
        self.size = size
        self.entries = [None] * size
        self.filled = []        # the slots set since the last forget()
        self.sharing = True
        self.lookups = 0
        self.hits = 0

    def lookup(self, w_key, w_value):
        """A W_KeyValue of the key object `w_key` and a value equal to
        w_value, cached (then the result is found: True) or new (then
        cached, replacing the slot's)."""
        hash_value = r_uint(key_fingerprint(w_key)) ^ (r_uint(fingerprint(w_value)) * 1000003)
        slot = intmask(hash_value & r_uint(self.size - 1))
        entry = self.entries[slot]
        if (entry is not None and entry.w_key is w_key and
                same_value(entry.w_value, w_value)):
            return entry, True
        if entry is None:
            self.filled.append(slot)
        entry = W_KeyValue(w_key, w_value)
        self.entries[slot] = entry
        return entry, False

    def entries_for(self, keys_w, values_w):
        """The entries of a table of these pairs, or None when the table
        should keep them interleaved (see above)."""
        if not self.sharing:
            return None
        count = len(keys_w)
        entries_w = [None] * count
        found = 0
        for i in range(count):
            entry, hit = self.lookup(keys_w[i], values_w[i])
            entries_w[i] = entry
            if hit:
                found += 1
        self.lookups += count
        self.hits += found
        if self.lookups >= self.SAMPLE:
            if self.hits * self.MIN_HIT_RATIO < self.lookups:
                self.sharing = False
            self.lookups = 0
            self.hits = 0
        if 3 * found >= 2 * count:
            return entries_w
        return None

    def forget(self):
        """Drop every entry (the document is done) and start sharing
        again."""
        for slot in self.filled:
            self.entries[slot] = None
        del self.filled[:]
        self.sharing = True
        self.lookups = 0
        self.hits = 0
