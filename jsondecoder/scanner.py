"""The input buffer and word-at-a-time ("SWAR") scanning for string ends.

The decoder reads the document from raw memory with two invariants, which
the rest of the decoder relies on:

* the byte at offset `length` is NUL, and a raw NUL is invalid everywhere in
  JSON, so loops stop at the end of the input without a bounds check;
* a machine word (8 bytes on 64-bit) can be read at any offset < `length`
  + 8 without a fault, so scanning and key comparison read whole words,
  unaligned (x86-64 and AArch64 allow this).  What the bytes after the NUL
  hold does not matter: every loop stops at the NUL, and a word that
  reaches past it is masked down to the bytes before it.

Small documents are copied into a raw buffer followed by PADDING zero bytes.
A large document is read in place, from the RPython string's own bytes, when
that is safe (`InputBuffer.read_in_place`), as simdjson reads an unpadded
input whose padding stays on the last byte's page: a 30 MB document then
costs no second 30 MB of memory.  A translated RPython string is allocated
with one extra byte after its characters (rstr's `extra_item_after_alloc`),
which rffi.get_raw_address_of_string sets to NUL; an old-generation string
never moves; and reading past the allocation's end cannot fault while the
bytes read stay on the page of the NUL, because memory is mapped a whole
page at a time.

Finding the end of a string: each word of input is tested for three kinds of
byte at once, with the classic has-zero-byte trick

    haszero(x) = (x - 0x0101..01) & ~x & 0x8080..80

applied to `word ^ '""""""""'` (a quote), `word ^ '\\\\\\\\'` (a backslash),
and `(word - 0x2020..20) & ~word` (a control byte < 0x20).  The lowest
flagged byte is always a true match: a false positive needs a borrow, and a
borrow only starts at a byte that matched.  Words are read little-endian, so
the lowest flagged byte is the first in the input.  While scanning, the
string's hash is computed one word at a time (for the string caches) and the
words are OR-ed together, so that one test of the high bits tells whether
the string was pure ASCII (then it needs no UTF-8 validation).

`word_at` assembles words byte by byte on big-endian machines, so every
function here computes the same values everywhere; `scan_string_bytewise`
is the plain one-byte-at-a-time loop, kept to measure the word loop against
(`jsontool --bytewise-scan`).
"""
import sys

from rpython.rlib import rgc
from rpython.rlib.objectmodel import always_inline, specialize, we_are_translated
from rpython.rlib.rarithmetic import r_uint, intmask, LONG_BIT
from rpython.rlib.rawstorage import (RAW_STORAGE, alloc_raw_storage,
                                     free_raw_storage,
                                     raw_storage_getitem_unaligned)
from rpython.rtyper.lltypesystem import lltype, rffi

from translator_plugins.sandbox.review import trusted

WORD_BYTES = LONG_BIT // 8
WORD_BITS = LONG_BIT
PADDING = 2 * WORD_BYTES
# read in place from this size on; smaller ones are copied: cheap, and
# incminimark keeps strings below ~132 KB (its large_object) in the nursery,
# where they move
IN_PLACE_MIN_BYTES = 1 << 17
# the smallest page size of the supported machines (a page of a bigger size
# is made of whole 4 KB ones, so the test below stays safe there)
PAGE_BYTES = 4096
LITTLE_ENDIAN = sys.byteorder == 'little'

EVERY_BYTE_01 = r_uint(-1) // r_uint(255)
EVERY_BYTE_80 = EVERY_BYTE_01 * r_uint(0x80)
EVERY_BYTE_QUOTE = EVERY_BYTE_01 * r_uint(ord('"'))
EVERY_BYTE_BACKSLASH = EVERY_BYTE_01 * r_uint(ord('\\'))
EVERY_BYTE_20 = EVERY_BYTE_01 * r_uint(0x20)
# (1 << 8k) * BYTE_INDEX_MAGIC has k + 1 in its top byte, for k < WORD_BYTES
BYTE_INDEX_MAGIC = r_uint(0)
for _i in range(WORD_BYTES):
    BYTE_INDEX_MAGIC |= r_uint(WORD_BYTES - _i) << (8 * _i)
del _i

HASH_SEED = r_uint(0x9E3779B97F4A7C15 & ((1 << LONG_BIT) - 1))
HASH_MULTIPLIER = r_uint(0x100000001B3 if LONG_BIT == 64 else 0x01000193)
HASH_FINAL_MULTIPLIER = r_uint(0xFF51AFD7ED558CCD if LONG_BIT == 64
                               else 0x85EBCA6B)


def padding_stays_on_page(nul_address):
    """True iff the PADDING bytes from `nul_address` (the document's final
    NUL, which is allocated) lie on that byte's page, so reading them
    cannot fault."""
    page = ~r_uint(PAGE_BYTES - 1)
    return (nul_address & page) == ((nul_address + r_uint(PADDING - 1)) & page)


class InputBuffer(object):
    """The document as raw bytes that keep the invariants above: the
    string's own bytes (`in_place`) or a copy in a raw, zero-padded
    buffer; `close()` frees the copy's buffer.

    A decoder keeps its buffer between documents and `load`s the next one
    into it: the raw memory is only reallocated when a document does not
    fit, so decoding many documents (or one many times) neither mallocs
    nor page-faults a fresh buffer each time."""

    def __init__(self, text):
        self.text = ""
        self.length = 0
        self.capacity = 0
        self.in_place = False
        self.own_storage = lltype.nullptr(RAW_STORAGE)
        self.storage = lltype.nullptr(RAW_STORAGE)
        self.load(text)

    def load(self, text):
        self.text = text
        self.length = len(text)
        if len(text) >= IN_PLACE_MIN_BYTES:
            storage = self.read_in_place(text)
            if storage:
                self.storage = storage
                self.in_place = True
                return
        self.in_place = False
        self.storage = self.copy_padded(text)

    @staticmethod
    def read_in_place(text):
        """The address of `text`'s bytes if they keep the invariants, else
        NULL.  Only translated: before translation strings are Python's."""
        if not we_are_translated() or rgc.can_move(text):
            return lltype.nullptr(RAW_STORAGE)
        # writes the NUL into the extra byte after the characters
        chars = rffi.get_raw_address_of_string(text)
        nul_address = rffi.cast(lltype.Unsigned, chars) + r_uint(len(text))
        if not padding_stays_on_page(nul_address):
            return lltype.nullptr(RAW_STORAGE)
        return chars

    @trusted("writes only the buffer it owns, within its capacity: the "
             "document's length + PADDING bytes")
    def copy_padded(self, text):
        length = len(text)
        needed = length + PADDING
        if needed > self.capacity:
            self.close()
            # untracked: the buffer lives as long as its decoder
            self.own_storage = alloc_raw_storage(needed,
                                                 track_allocation=False,
                                                 zero=False)
            self.capacity = needed
        storage = self.own_storage
        rffi.str2rawmem(text, storage, 0, length)
        for i in range(length, needed):
            storage[i] = '\x00'
        return storage

    def forget_text(self):
        """Drop the reference to the document (a raw copy stays)."""
        self.text = ""
        self.length = 0
        self.in_place = False
        self.storage = self.own_storage

    def close(self):
        if self.own_storage:
            free_raw_storage(self.own_storage, track_allocation=False)
            self.own_storage = lltype.nullptr(RAW_STORAGE)
        self.storage = self.own_storage
        self.capacity = 0


@always_inline
def text_slice(text, start, end):
    """text[start:end], with the bounds RPython wants proven."""
    assert start >= 0
    assert end >= start
    return text[start:end]


@always_inline
def word_at(storage, offset):
    """The WORD_BYTES bytes at `offset`, first byte in the lowest bits."""
    if LITTLE_ENDIAN:
        return raw_storage_getitem_unaligned(lltype.Unsigned, storage, offset)
    word = r_uint(0)
    for i in range(WORD_BYTES - 1, -1, -1):
        word = (word << 8) | r_uint(ord(storage[offset + i]))
    return word


@always_inline
def string_enders(word):
    """Nonzero iff `word` holds '"', '\\\\' or a byte < 0x20; the lowest
    set bit (always bit 7 of some byte) marks the first such byte.

    Each of the three has-zero tests masks with the complement of the word
    it tests; '"' and '\\\\' have bit 7 clear, so `quote`, `backslash` and
    `word` have the same bit 7 in every byte and one `~word` masks all
    three (four operations fewer per word)."""
    quote = word ^ EVERY_BYTE_QUOTE
    backslash = word ^ EVERY_BYTE_BACKSLASH
    flagged = ((quote - EVERY_BYTE_01) | (backslash - EVERY_BYTE_01) |
               (word - EVERY_BYTE_20))
    return flagged & ~word & EVERY_BYTE_80


@always_inline
def first_flagged_byte(flagged):
    """Index of the lowest byte whose bit 7 is set in `flagged` (nonzero)."""
    lowest = flagged & (~flagged + r_uint(1))
    return intmask(((lowest >> 7) * BYTE_INDEX_MAGIC) >> (WORD_BITS - 8)) - 1


@always_inline
def low_bytes(word, count):
    """The lowest `count` bytes of `word` (0 <= count < WORD_BYTES)."""
    return word & ((r_uint(1) << (8 * count)) - r_uint(1))


@always_inline
def hash_word(hash_value, word):
    return (hash_value ^ word) * HASH_MULTIPLIER


@always_inline
def finish_hash(hash_value, length):
    """Mix the length in, then every bit into every other: the word steps
    only multiply, which leaves the low bits depending on the low bytes of
    each word alone, and the caches index by the low bits."""
    hash_value ^= r_uint(length)
    hash_value ^= hash_value >> (WORD_BITS // 2 + 1)
    hash_value *= HASH_FINAL_MULTIPLIER
    hash_value ^= hash_value >> (WORD_BITS // 2 + 1)
    return hash_value


class ScanResult(object):
    """Where the last scanned string run stopped, and what it contained."""

    def __init__(self):
        self.hash_value = r_uint(0)
        self.has_non_ascii = False


@specialize.arg(3)
def _scan_words(storage, start, result, with_hash):
    """Scan from `start` (just after the opening quote) to the first '"',
    '\\\\' or control byte; return its offset.  Stores whether any byte in
    between is non-ASCII into `result`, and their hash if `with_hash` (a
    constant: two copies of this loop are translated)."""
    offset = start
    hash_value = HASH_SEED
    seen_bits = r_uint(0)
    while True:
        word = word_at(storage, offset)
        flagged = string_enders(word)
        if flagged:
            break
        if with_hash:
            hash_value = hash_word(hash_value, word)
        seen_bits |= word
        offset += WORD_BYTES
    index = first_flagged_byte(flagged)
    if index:
        tail = low_bytes(word, index)
        if with_hash:
            hash_value = hash_word(hash_value, tail)
        seen_bits |= tail
    end = offset + index
    if with_hash:
        result.hash_value = finish_hash(hash_value, end - start)
    result.has_non_ascii = bool(seen_bits & EVERY_BYTE_80)
    return end


def scan_string(storage, start, result):
    """The end of the string body at `start`, with its hash (`_scan_words`)."""
    return _scan_words(storage, start, result, True)


def scan_string_unhashed(storage, start, result):
    """`scan_string` without the hash, for strings no cache will look up
    (values of a field whose caching is switched off): the same end and
    `has_non_ascii`; `result.hash_value` is left as it was."""
    return _scan_words(storage, start, result, False)


def scan_string_bytewise(storage, start, result):
    """The same as `scan_string`, one byte at a time (the same hash)."""
    offset = start
    hash_value = HASH_SEED
    word = r_uint(0)
    filled = 0
    seen_bits = 0
    while True:
        ch = storage[offset]
        if ch == '"' or ch == '\\' or ch < ' ':
            break
        seen_bits |= ord(ch)
        word |= r_uint(ord(ch)) << (8 * filled)
        filled += 1
        if filled == WORD_BYTES:
            hash_value = hash_word(hash_value, word)
            word = r_uint(0)
            filled = 0
        offset += 1
    if filled:
        hash_value = hash_word(hash_value, word)
    result.hash_value = finish_hash(hash_value, offset - start)
    result.has_non_ascii = bool(seen_bits & 0x80)
    return offset


def word_of_string(text, start):
    """Up to WORD_BYTES bytes of `text` from `start` as a word (the same
    byte order as `word_at`), and how many bytes it holds."""
    word = r_uint(0)
    count = 0
    while count < WORD_BYTES and start + count < len(text):
        word |= r_uint(ord(text[start + count])) << (8 * count)
        count += 1
    return word, count


class BytePattern(object):
    """A byte string prepared for word-at-a-time comparison with the input.

    `words` are the pattern's bytes in words; the last one is masked with
    `last_mask` before comparing, so only the pattern's own bytes count.
    """
    _immutable_fields_ = ['text', 'length', 'words[*]', 'last_mask']

    def __init__(self, text):
        self.text = text
        self.length = len(text)
        words = []
        last_mask = r_uint(0)
        position = 0
        while position < len(text):
            word, count = word_of_string(text, position)
            words.append(word)
            if count == WORD_BYTES:
                last_mask = ~r_uint(0)
            else:
                last_mask = (r_uint(1) << (8 * count)) - r_uint(1)
            position += WORD_BYTES
        self.words = words[:]
        self.last_mask = last_mask

    @always_inline
    def matches_at(self, storage, offset):
        """True iff the input at `offset` starts with this pattern.  Safe
        near the end of input: a word is only read if all bytes before it
        matched, and pattern bytes are never NUL (the padding)."""
        words = self.words
        last = len(words) - 1
        if last < 0:
            return True
        i = 0
        while i < last:
            if word_at(storage, offset) != words[i]:
                return False
            offset += WORD_BYTES
            i += 1
        return (word_at(storage, offset) & self.last_mask) == words[last]
