"""String memoization: decode a repeated string once, reuse the host object.

The scanner already computed a hash of every string body while looking for
its end, so a cache probe costs one table index, one hash compare and a
byte compare of the input with the cached text; on a hit nothing is
allocated.  Both caches are direct-mapped (one slot per hash bucket, a
colliding string replaces the old one), so they have a fixed size whatever
the input; correctness never depends on a hit (map transitions compare keys
by their text).

* Keys are always cached (`KeyCache`, CachedStrings: the maps keep them and
  speculation compares them a word at a time): object keys repeat in
  almost every document.
* Value strings of an object field (map) are probed and inserted while the
  field's statistics say caching pays: each field counts its strings and
  its hits; once a field has seen FIELD_SAMPLE strings and less than one in
  FIELD_MIN_HIT_RATIO was a hit, caching is switched off for that field
  (UUIDs, free text) and its strings skip the cache.  (The sample was
  256 until 2026-12-03: the first 256 events of the events corpus hold
  about 7 repeats of 3,000 repositories' names and URLs, and the fields
  were switched off before any later repeat; 512 hold about 40.)
* A field's value strings that the value cache misses are looked up in
  the document's own table of such strings (`DocumentStrings`, exact,
  made for the document and dropped with it) while the field's
  statistics say that pays: repeats too far apart for the fixed slots (an
  actor's login in a log of events) then still give one host string.
  So do the strings the ring below admits.
* Value strings with no field to keep statistics for (array elements,
  values of objects in dict mode) are admitted by a ring of the last
  RECENT_HASHES string hashes: only a string whose hash is in the ring is
  probed or inserted, so a stream of unique strings costs one ring scan
  each and never evicts useful entries.

A value slot holds the hash, the length and the text's first bytes packed
in words, the text (only when longer than INLINE_BYTES: a shorter one is
all in the words) and the host object (ValueCache), so inserting
allocates nothing: the text is the host string's own UTF-8, which equals
the raw input bytes because only bodies without escapes are cached.
A string of at most INLINE_BYTES seen for the first time gets a slot
without host object, and the host's ordinary string (a host may store
that more compactly: the Lua host keeps a view of a record unboxed); its
second sighting makes the *shared* host object, which the host may make
a view into the document (JSONBuilder.new_shared_string_in), as it does
for strings that are not cached, so a repeated value the cache could not
keep costs no more than a unique one; the slots holding such strings are
remembered (`shared_slots`) and settled when the document is done, so
that the cache never keeps a document alive (decoder.py).  (Until
2026-12-03 the first sighting made the shared object: each of Yelp's
business names the cache missed was a boxed view in its record.)  (An
earlier version admitted field strings through the ring too;
on corpora whose repeats are far apart it found half the hits or fewer:
jsontool --stats, events corpus 122,765 hits against 227,708 now,
twitter.json 692 against 3,066; the decoded events corpus holds 1.39
million objects instead of 1.60.  A 16K-slot table found 277,905 on events
but ran no faster: its probes miss the CPU caches.)
"""
from rpython.rlib.rarithmetic import r_uint, intmask

from jsondecoder.scanner import BytePattern, WORD_BYTES, low_bytes, word_at

KEY_CACHE_SIZE = 1 << 13
VALUE_CACHE_SIZE = 1 << 12
# a value slot's words: the length, then the first INLINE_BYTES of the text
SLOT_WORDS = 8
INLINE_BYTES = (SLOT_WORDS - 1) * WORD_BYTES
RECENT_HASHES = 16
FIELD_SAMPLE = 512
FIELD_MIN_HIT_RATIO = 32
# a field interns its strings within a document (DocumentStrings) while at
# least INTERN_MIN_HITS of each of its first INTERN_WARM_UP_WINDOWS windows
# of INTERN_WINDOW strings it looked up there were found, and at least
# INTERN_STEADY_HITS of each later one
INTERN_WINDOW = 2048
INTERN_MIN_HITS = INTERN_WINDOW // 8
INTERN_WARM_UP_WINDOWS = 2
INTERN_STEADY_HITS = INTERN_WINDOW // 2
FIRST_INTERNED_SLOTS = 16


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
        self.quoted = None

    def quoted_pattern(self):
        """A key's text as the input has it, quotes included, for key
        speculation: made once per key and shared by the maps whose last
        key it is (varied key sets like Yelp's attributes make thousands
        of maps from a few hundred keys; 112 bytes a map)."""
        pattern = self.quoted
        if pattern is None:
            pattern = self.quoted = BytePattern('"' + self.raw.text + '"')
        return pattern


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


class ValueCache(object):
    """Value strings.  Slot i's hash is hashes[i]; its length in bytes and
    the first INLINE_BYTES of its text, packed as the scanner reads the
    input (`word_at`, the last word zero-filled), are the SLOT_WORDS words
    of `words` from i * SLOT_WORDS; texts[i] is the whole text and
    values_w[i] the host object.

    A probe that misses (most of them, for strings seen once) reads one
    word of `hashes`, so many slots cost little cache; a hash match then
    compares the input with the slot's words a word at a time, in one or
    two cache lines of one array; only a text longer than INLINE_BYTES is
    read from its string for the rest.  (Comparing with the cached
    string's bytes instead, one at a time, was a cache miss on a string
    somewhere in the old heap for nearly every hit: 9% of the events
    corpus's decoding time, measured with perf.)"""

    def __init__(self, size=VALUE_CACHE_SIZE):
        self.size = size
        self.hashes = [r_uint(0)] * size
        self.words = [r_uint(0)] * (size * SLOT_WORDS)
        self.texts = [""] * size
        self.values_w = [None] * size
        self.recent_hashes = [r_uint(0)] * RECENT_HASHES
        self.recent_index = 0
        # the slots given a shared string during this document, once each
        self.is_shared = [False] * size
        self.shared_slots = []

    def find(self, storage, start, end, hash_value):
        """The slot holding the input bytes [start, end), or -1.  Its host
        object is None while these bytes were seen once: the decoder makes
        the shared object at the second sighting (share), so a string seen
        once is the host's ordinary string, which a host may store more
        compactly (the Lua host's records keep a view unboxed)."""
        slot = bucket_of(hash_value, self.size)
        if self.hashes[slot] != hash_value:
            return -1
        words = self.words
        base = slot * SLOT_WORDS
        length = end - start
        if words[base] != r_uint(length):
            return -1
        inline = min(length, INLINE_BYTES)
        index = base + 1
        offset = start
        stop = start + inline - WORD_BYTES
        while offset <= stop:
            if word_at(storage, offset) != words[index]:
                return -1
            offset += WORD_BYTES
            index += 1
        rest = start + inline - offset
        if rest > 0 and low_bytes(word_at(storage, offset),
                                  rest) != words[index]:
            return -1
        if length > INLINE_BYTES:
            text = self.texts[slot]
            for i in range(INLINE_BYTES, length):
                if storage[start + i] != text[i]:
                    return -1
        return slot

    def insert(self, storage, start, end, hash_value, utf8, w_value,
               shared=False):
        """Cache `w_value` for the input bytes [start, end) (a body without
        escapes).  `utf8` is their text, needed (and kept) only when longer
        than INLINE_BYTES.  `shared`: w_value came from new_shared_string_in
        (see above)."""
        slot = bucket_of(hash_value, self.size)
        self.hashes[slot] = hash_value
        words = self.words
        base = slot * SLOT_WORDS
        length = end - start
        words[base] = r_uint(length)
        inline = min(length, INLINE_BYTES)
        index = base + 1
        offset = start
        stop = start + inline - WORD_BYTES
        while offset <= stop:
            words[index] = word_at(storage, offset)
            offset += WORD_BYTES
            index += 1
        rest = start + inline - offset
        if rest > 0:
            words[index] = low_bytes(word_at(storage, offset), rest)
        if length > INLINE_BYTES:
            assert utf8 is not None and len(utf8) == length
            self.texts[slot] = utf8
        else:
            self.texts[slot] = ""
        self.values_w[slot] = w_value
        if shared:
            self.share(slot, w_value)

    def share(self, slot, w_value):
        """Give the slot that find() returned the shared host object
        w_value (from JSONBuilder.new_shared_string_in)."""
        self.values_w[slot] = w_value
        if not self.is_shared[slot]:
            self.is_shared[slot] = True
            self.shared_slots.append(slot)

    def forget_shared(self):
        """The shared strings were settled: forget which slots hold them."""
        for slot in self.shared_slots:
            self.is_shared[slot] = False
        del self.shared_slots[:]

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
        for i in range(self.size * SLOT_WORDS):
            self.words[i] = r_uint(0)
        for i in range(self.size):
            self.hashes[i] = r_uint(0)
            self.texts[i] = ""
            self.values_w[i] = None
        for i in range(RECENT_HASHES):
            self.recent_hashes[i] = r_uint(0)
        self.forget_shared()


class DocumentStrings(object):
    """The strings of caching fields in one document, by their bytes: an
    exact table (open addressing, doubled at two thirds full) that catches
    what the value cache's fixed slots cannot, repeats too far apart.  In
    an array of GitHub events each of 2,000 actors comes back every 2,000
    events or so with the same login and URLs: with 12,000 such strings
    in play, the 4,096 slots keep few of them, and every miss is another
    copy of a string the document already has.

    A slot is the string's hash, where its body starts in the document
    and the host's object; the body's length needs no slot of its own: a
    body without escapes ends at a '"', so the bodies at two offsets are
    equal if the first L bytes are and the stored one's byte L is the
    quote.  24 bytes a slot, dropped with the document (the host objects
    may be views into it, as the document's values are anyway)."""

    def __init__(self):
        self.hashes = [r_uint(0)] * FIRST_INTERNED_SLOTS
        self.starts = [0] * FIRST_INTERNED_SLOTS     # 0: an empty slot
        self.values_w = [None] * FIRST_INTERNED_SLOTS
        self.count = 0

    def slot_of(self, storage, start, end, hash_value):
        """The slot holding the body [start, end), or the empty slot where
        it would go (a body starts after a quote: never at 0)."""
        mask = len(self.starts) - 1
        slot = intmask(hash_value & r_uint(mask))
        length = end - start
        while True:
            other = self.starts[slot]
            if other == 0:
                return slot
            if (self.hashes[slot] == hash_value and
                    storage[other + length] == '"' and
                    same_bytes(storage, start, other, length)):
                return slot
            slot = (slot + 1) & mask

    def is_filled(self, slot):
        """Did slot_of find the body (else the slot is empty)?"""
        return self.starts[slot] != 0

    def fill(self, slot, start, hash_value, w_value):
        """Remember w_value for the body at `start`, in the empty slot
        that slot_of just returned for it (no probe again)."""
        self.hashes[slot] = hash_value
        self.starts[slot] = start
        self.values_w[slot] = w_value
        self.count += 1
        if 3 * self.count >= 2 * len(self.starts):
            self.grow()

    def grow(self):
        hashes, starts, values_w = self.hashes, self.starts, self.values_w
        size = 2 * len(starts)
        self.hashes = [r_uint(0)] * size
        self.starts = [0] * size
        self.values_w = [None] * size
        mask = size - 1
        for i in range(len(starts)):
            if starts[i] != 0:
                slot = intmask(hashes[i] & r_uint(mask))
                while self.starts[slot] != 0:
                    slot = (slot + 1) & mask
                self.hashes[slot] = hashes[i]
                self.starts[slot] = starts[i]
                self.values_w[slot] = values_w[i]


def same_bytes(storage, start, other, length):
    """Are the `length` bytes at `start` those at `other`?  A word at a
    time (the input's padding keeps the last word's read inside it): a
    found string is compared whole, and events' URLs are 40 bytes."""
    offset = 0
    while offset + WORD_BYTES <= length:
        if word_at(storage, start + offset) != word_at(storage, other + offset):
            return False
        offset += WORD_BYTES
    rest = length - offset
    if rest > 0:
        return (low_bytes(word_at(storage, start + offset), rest) ==
                low_bytes(word_at(storage, other + offset), rest))
    return True


class FieldCacheStats(object):
    """Per object field: is caching its string values still worth it, and
    interning them within a document (DocumentStrings)?  A string found
    saves the host a string (24 bytes for a view) and a slot costs 24
    bytes (36 to 72 with the free ones), so a field pays when most of its
    strings come back.  The first windows of such a field are mostly
    first sightings, though (an actor's login in a log of events: the
    value cache keeps the early repeats, so what it misses are new actors,
    and 1 in 5 is found), so during INTERN_WARM_UP_WINDOWS windows of
    INTERN_WINDOW lookups a field interns while it finds an eighth (a
    field whose strings never come back, ids and hashes, finds none),
    and after them while it finds half: events' logins are then found
    nine times in ten, Yelp's business names (half of them unique) about
    a third of the time, and the slots of those cost more than the
    repeats save."""

    def __init__(self):
        self.strings_seen = 0
        self.cache_hits = 0
        self.caching_enabled = True
        self.interning = True
        self.intern_lookups = 0
        self.intern_hits = 0
        self.intern_windows = 0

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

    def record_interned(self, found):
        """Count one lookup in the document's strings; returns True iff
        interning was just switched off for this field."""
        self.intern_lookups += 1
        if found:
            self.intern_hits += 1
        if self.intern_lookups >= INTERN_WINDOW:
            if self.intern_windows < INTERN_WARM_UP_WINDOWS:
                enough = self.intern_hits >= INTERN_MIN_HITS
            else:
                enough = self.intern_hits >= INTERN_STEADY_HITS
            self.intern_windows += 1
            self.intern_lookups = 0
            self.intern_hits = 0
            if not enough:
                self.interning = False
                return True
        return False
