"""String memoization: decode a repeated string once, reuse the host object.

The scanner already computed a hash of every string body while looking for
its end, so a cache probe costs one table index and one word-wise compare of
the raw bytes with the input; on a hit nothing is allocated.

* Keys are always cached (`KeyCache`): object keys repeat in almost every
  document.  The table is direct-mapped (one slot per hash bucket, a
  colliding key replaces the old one), so it has a fixed size whatever the
  input.  An evicted key is simply decoded again; correctness never depends
  on a hit, because map transitions compare keys by their text.
* Values (`ValueCache`) are direct-mapped too.  A missed string is stored
  with its hash and where its body lies in the current document, so a later
  probe in the same document compares raw bytes with raw bytes, a word at a
  time; an entry from an earlier document is compared with its UTF-8 text
  and then moved to the current document.  Every string value of an object
  field (map) is probed, and of dict-mode objects and arrays too, each
  kind with its own counts: when one of them has seen FIELD_SAMPLE strings
  and less than one in FIELD_MIN_HIT_RATIO was a hit, caching is switched
  off for it (UUIDs, free text), so unique strings stop evicting useful
  ones.  The sample is long enough for values drawn from a few thousand
  (user names, URLs of a repository) to show their repeats.

Only bodies without escapes are cached; the raw bytes of the body are the
cache key, so equal raw bytes always decode to the same string.
"""
from rpython.rlib.rarithmetic import r_uint, intmask

from jsondecoder.scanner import (BytePattern, word_at, low_bytes,
                                 WORD_BYTES)

KEY_CACHE_SIZE = 1 << 13
VALUE_CACHE_SIZE = 1 << 15
FIELD_SAMPLE = 1024
FIELD_MIN_HIT_RATIO = 16


class CachedString(object):
    """A decoded string: the raw bytes of its body as they appear in the
    input (`raw`, ready for word-wise comparison), its UTF-8 text, length in
    code points, and the host's object for it.  Object keys are
    CachedStrings too (see maps.py); those with escapes have hash_value 0
    and are never put in a cache."""
    _immutable_fields_ = ['hash_value', 'raw', 'utf8', 'code_points',
                          'w_value']

    def __init__(self, hash_value, raw, utf8, code_points, w_value):
        self.hash_value = hash_value
        self.raw = BytePattern(raw)
        self.utf8 = utf8
        self.code_points = code_points
        self.w_value = w_value


def bucket_of(hash_value, size):
    return intmask(hash_value & r_uint(size - 1))


class DirectMappedCache(object):
    """A fixed number of slots; a string lives in the slot of its hash."""

    def __init__(self, size):
        self.size = size
        self.slots = [None] * size

    def lookup(self, storage, start, end, hash_value):
        entry = self.slots[bucket_of(hash_value, self.size)]
        if (entry is not None and entry.hash_value == hash_value and
                entry.raw.length == end - start and
                entry.raw.matches_at(storage, start)):
            return entry
        return None

    def insert(self, entry):
        self.slots[bucket_of(entry.hash_value, self.size)] = entry

    def clear(self):
        for i in range(self.size):
            self.slots[i] = None


class KeyCache(DirectMappedCache):
    def __init__(self):
        DirectMappedCache.__init__(self, KEY_CACHE_SIZE)


def same_raw_bytes(storage, first, second, length):
    """True iff the `length` bytes at `first` and at `second` are equal
    (both inside the document, so a word read stays in the padding)."""
    while length >= WORD_BYTES:
        if word_at(storage, first) != word_at(storage, second):
            return False
        first += WORD_BYTES
        second += WORD_BYTES
        length -= WORD_BYTES
    if length == 0:
        return True
    return low_bytes(word_at(storage, first) ^ word_at(storage, second),
                     length) == 0


def same_text(storage, start, text):
    """True iff the input at `start` begins with the bytes of `text`."""
    for i in range(len(text)):
        if storage[start + i] != text[i]:
            return False
    return True


class CachedValue(object):
    """A value string in the ValueCache: the host's object, its UTF-8 text,
    its hash, where its body was last seen (at `offset` in document number
    `document`), and whether it was hit since it was put in its slot."""

    def __init__(self, hash_value, offset, document, utf8, w_string):
        self.hash_value = hash_value
        self.offset = offset
        self.document = document
        self.utf8 = utf8
        self.w_string = w_string
        self.hit = False


class ValueCache(object):
    """Value strings by hash, direct-mapped (see the module docstring).  A
    missed string replaces its slot's entry only if that entry was not hit
    since it came: two strings fighting for a slot leave the one that
    repeats more in it, and a burst of unique strings leaves the useful
    entries alone after the first."""

    def __init__(self, size=VALUE_CACHE_SIZE):
        self.size = size
        self.slots = [None] * size

    def lookup(self, storage, start, end, hash_value, document):
        """The host string cached for the body [start, end) of document
        number `document`, or None."""
        entry = self.slots[bucket_of(hash_value, self.size)]
        if entry is None or entry.hash_value != hash_value:
            return None
        length = end - start
        if len(entry.utf8) != length:
            return None
        if entry.document == document:
            if not same_raw_bytes(storage, entry.offset, start, length):
                return None
        else:
            if not same_text(storage, start, entry.utf8):
                return None
            entry.document = document
            entry.offset = start
        entry.hit = True
        return entry.w_string

    def insert(self, hash_value, start, utf8, w_string, document):
        """Offer `w_string`, whose body `utf8` starts at `start` in document
        number `document`, after a missed lookup."""
        slot = bucket_of(hash_value, self.size)
        entry = self.slots[slot]
        if entry is not None and entry.hit:
            entry.hit = False       # a second chance
            return
        self.slots[slot] = CachedValue(hash_value, start, document, utf8,
                                       w_string)

    def clear(self):
        for i in range(self.size):
            self.slots[i] = None


class FieldCacheStats(object):
    """Per object field: is caching its string values still worth it?"""

    def __init__(self):
        self.strings_seen = 0
        self.cache_hits = 0
        self.caching_enabled = True

    def record(self, hit):
        """Count one string of this field; returns True iff caching was just
        switched off for it."""
        self.strings_seen += 1
        if hit:
            self.cache_hits += 1
        if self.strings_seen >= FIELD_SAMPLE:
            if self.cache_hits * FIELD_MIN_HIT_RATIO < self.strings_seen:
                self.caching_enabled = False
                return True
            self.strings_seen = 0
            self.cache_hits = 0
        return False
