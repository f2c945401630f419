"""String memoization: decode a repeated string once, reuse the host object.

The scanner already computed a hash of every string body while looking for
its end, so a cache probe costs one table index and one word-wise compare of
the raw bytes with the input; on a hit nothing is allocated.

* Keys are always cached (`KeyCache`): object keys repeat in almost every
  document.  The table is direct-mapped (one slot per hash bucket, a
  colliding key replaces the old one), so it has a fixed size whatever the
  input.  An evicted key is simply decoded again; correctness never depends
  on a hit, because map transitions compare keys by their text.
* Values are cached only when it is likely to pay (`ValueCache`): a string
  is looked up or inserted only if its hash occurred among the last
  RECENT_HASHES string hashes (a ring buffer), so a stream of unique strings
  never fills the cache.  Each object field (map) counts its strings and its
  hits; when a field has seen FIELD_SAMPLE strings and less than one in
  FIELD_MIN_HIT_RATIO was a hit, caching is switched off for that field
  (UUIDs, free text) and its strings skip the cache, ring included.

Only bodies without escapes are cached; the raw bytes of the body are the
cache key, so equal raw bytes always decode to the same string.
"""
from rpython.rlib.rarithmetic import r_uint, intmask

from jsondecoder.scanner import BytePattern

KEY_CACHE_SIZE = 1 << 13
VALUE_CACHE_SIZE = 1 << 12
RECENT_HASHES = 16
FIELD_SAMPLE = 256
FIELD_MIN_HIT_RATIO = 8


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


class ValueCache(DirectMappedCache):
    """Value strings, admitted by the ring of recent hashes."""

    def __init__(self):
        DirectMappedCache.__init__(self, VALUE_CACHE_SIZE)
        self.recent_hashes = [r_uint(0)] * RECENT_HASHES
        self.recent_index = 0

    def seen_recently(self, hash_value):
        """True iff `hash_value` is in the ring; otherwise it is added."""
        recent = self.recent_hashes
        for i in range(RECENT_HASHES):
            if recent[i] == hash_value:
                return True
        index = self.recent_index
        recent[index] = hash_value
        self.recent_index = (index + 1) & (RECENT_HASHES - 1)
        return False

    def clear(self):
        DirectMappedCache.clear(self)
        for i in range(RECENT_HASHES):
            self.recent_hashes[i] = r_uint(0)


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
