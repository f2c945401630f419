"""Lua tables: an array part plus an insertion-ordered hash part, or, for
objects decoded from JSON, a map (shared key layout) plus a values list.

* `array[i]` holds the value of integer key i+1 for i < `array_size`; the
  array is a fixed-size RPython list (one GC array, no list header object)
  whose length is the capacity, doubled when an append finds it full.
  Setting key size+1 appends and then migrates the following integer keys
  from the hash part, so sequences built in any order end up in the array.
  `#t` is array_size unless the last used slot is nil, in which case a
  binary search finds a border (as the manual allows).  The array never
  shrinks, so that clearing fields during a traversal keeps `next` working.
  A table without array part shares the prebuilt EMPTY_ARRAY (capacity 0,
  never written to).
* the hash part (a HashPart, None until the first key arrives; most
  tables never have one) keeps parallel `keys_w`/`values_w` lists and an
  r_dict from key to position.  It is one object, so that a table without
  one (sequences, records in the map strategy) pays one field for it, and
  that field, `keyed_part`, is the map in the map strategy (a table never
  has both; HashPart and JSONMap share the base KeyLayout for it).
  Removing a key only stores nil at its position, so `next` keeps working when fields are cleared during a
  traversal; dead positions are compacted away when a new key is inserted
  and more than half the positions are dead.
* float keys with an integral value are normalized to integers, so 1 and
  1.0 are the same key; nil and NaN keys are rejected.

Map strategy: `jsonmap` (`keyed_part`, read with map_part()) is a
JSONMap of jsondecoder/maps.py, whose keys
never change, and `map_values[i]` (a list sized exactly, kept in the
`array` field: the array part is empty in this strategy, `array_size` is
0) is the value of its key i.  Tables decoded by the `json` module start in it (json_builder.py),
and so does a table the program builds with string keys: an empty table
(no array part, no hash part) that gets a string key enters the map of that
key, and each further new string key moves it to the child map (a new
values list one longer).  All tables share one map tree, MAP_TREE, also the
`json` decoder's, so `{name = n, score = s}` built in Lua and the same
record decoded from JSON have the same map.  While `jsonmap` is set the
table has string keys only, all with non-nil values: the array and hash
parts are empty.  A lookup with a string key promotes the map and asks its
elidable `index_of`, so in a JIT trace `t.name` is a guard on the map and
a read of `map_values[constant]`: no hashing.  Assigning an existing key a
non-nil value stays in the map strategy, and so does a new string key the
tree accepts (maps.py: printable-ASCII keys, at most MAX_HOST_MAP_KEYS);
anything else (another key, nil, a non-string key) first moves the entries,
in map order, into the hash part (`leave_map`), so positions, and with them
`next` and `pairs` in progress, are unchanged.  A table never re-enters the
map strategy once it has a hash or array part.

Pairs strategy: a JSON object the decoder hands over as a dict (a key set
too varied for maps, as Yelp's attributes) with at most
SMALL_HASH_POSITIONS distinct string keys keeps them in one exactly sized
array and no hash part (`array_size` is negative: there is no array part),
in one of two layouts:
  - PAIRS: `array` = [key 0, value 0, key 1, value 1, ...], 56 + 16 bytes
    a key with the W_Table, 72 bytes less than a hash part without index
    (its HashPart and second array);
  - ENTRIES: `array` = [entry 0, entry 1, ...], W_KeyValues (keyvalue.py)
    that the decoder's tables share (keyvalue.PairCache: the same key with
    the same value object is one immutable entry), 56 + 8 bytes a key
    when its entries are shared; a table whose pairs repeat those of
    earlier tables gets this layout.
Lookups scan the keys, as in a small hash part without index.  Assigning a present key a non-nil
value stays in the strategy; any other assignment first moves the pairs,
in order, into a hash part (`leave_pairs`), so `next` keeps its positions.
"""
import math

from rpython.rlib import jit
from rpython.rlib.objectmodel import r_dict, compute_hash
from rpython.rlib.unroll import unrolling_iterable

from jsondecoder.maps import MapTree, JSONMap, KeyLayout, existing_host_child
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Object, W_Integer, W_Float, W_String,
                                 W_PlainString, W_Nil, w_nil, w_int, key_eq,
                                 key_hash)
from targets.lua.luanumber import float_fits_int
from targets.lua.keyvalue import W_KeyValue

# the shared array part of tables that have none (never mutated)
EMPTY_ARRAY = []
# the capacity of an array part made by appending to an empty table
FIRST_ARRAY_CAPACITY = 4

# the maps of every table in map strategy, and of the json decoder
MAP_TREE = MapTree()


def normalize_key(w_key):
    if isinstance(w_key, W_Float):
        value = w_key.floatval
        if math.floor(value) == value and float_fits_int(value):
            return w_int(int(value))
    return w_key


# the arrays of a hash part that has none (never written: grow copies)
EMPTY_KEYS = []
# the capacity of a hash part's arrays made by appending
FIRST_HASH_CAPACITY = 4
# a hash part made from string keys (a decoded JSON object with varied
# keys: 64,000 in yelp, with up to 12 keys) has no index while it has at
# most this many positions and string keys only: a lookup compares the keys
# in order (identity first), much less memory than a dict (an r_dict of 9
# to 16 entries takes about 500 bytes).  Hash parts a Lua program builds
# have an index from the start: their integer keys (`count[r]` in
# fannkuch) are found faster by hashing than by a scan.
SMALL_HASH_POSITIONS = 16
# the array_size of a table in the pairs strategy, by layout (see above)
PAIRS = -1
ENTRIES = -2


class HashPart(KeyLayout):
    """Keys and values by position (the first `used` slots of two arrays
    that double when full: fixed-size GC arrays, 48 bytes less than two
    resizable lists), an `index` from key to position (None while a hash
    part made from string keys stays `scannable`: see SMALL_HASH_POSITIONS),
    and how many positions hold a non-nil value (`live`).

    `next_hint` is the position of the key a traversal returned last
    (entry_at_or_after): `next` called with that very key object finds its
    position there, without a lookup.  It is only a hint: a key is never
    moved nor stored twice in one HashPart (compaction makes a new one), so
    `keys_w[next_hint] is w_key` proves the position."""
    _attrs_ = ["keys_w", "values_w", "used", "index", "live", "next_hint"]

    def __init__(self, keys_w=None, values_w=None):
        """Empty, or holding keys_w[i] = values_w[i] (distinct normalized
        keys, no nil value; the lists become the hash part's, full)."""
        indexed = keys_w is None
        if keys_w is None:
            keys_w = EMPTY_KEYS
            values_w = EMPTY_KEYS
        assert values_w is not None and len(values_w) == len(keys_w)
        self.keys_w = keys_w
        self.values_w = values_w
        self.used = len(keys_w)
        self.index = None
        self.live = len(keys_w)
        self.next_hint = -1
        if indexed or not self.scannable():
            self.build_index()

    def scannable(self):
        """Few positions, all string keys: lookups may scan (see above)."""
        if self.used > SMALL_HASH_POSITIONS:
            return False
        for i in range(self.used):
            if not isinstance(self.keys_w[i], W_String):
                return False
        return True

    def build_index(self):
        index = r_dict(key_eq, key_hash)
        for i in range(self.used):
            index[self.keys_w[i]] = i
        self.index = index

    def lookup(self, w_key):
        """The position of `w_key` (normalized), or -1."""
        index = self.index
        if index is not None:
            return index.get(w_key, -1)
        return self.scan_for(w_key)

    @jit.dont_look_inside
    def scan_for(self, w_key):
        """lookup without an index: a residual call in a trace, as a dict
        lookup is (its loop would be unrolled into the trace)."""
        keys_w = self.keys_w
        for i in range(self.used):
            w_candidate = keys_w[i]
            if w_candidate is w_key or key_eq(w_candidate, w_key):
                return i
        return -1

    def has_duplicate_keys(self):
        if self.index is not None:
            return len(self.index) < self.used
        keys_w = self.keys_w
        for i in range(self.used):
            for j in range(i):
                if key_eq(keys_w[j], keys_w[i]):
                    return True
        return False

    def position_of(self, w_key):
        """lookup, first trying the position `next` returned last."""
        hint = self.next_hint
        if 0 <= hint < self.used and self.keys_w[hint] is w_key:
            return hint
        return self.lookup(w_key)

    def append(self, w_key, w_value):
        position = self.used
        if position == len(self.keys_w):
            self.grow()
        self.keys_w[position] = w_key
        self.values_w[position] = w_value
        self.used = position + 1
        self.live += 1
        if self.index is not None:
            self.index[w_key] = position
        elif position + 1 > SMALL_HASH_POSITIONS or not isinstance(w_key, W_String):
            self.build_index()

    def grow(self):
        """Double the arrays (at least FIRST_HASH_CAPACITY slots)."""
        extra = max(len(self.keys_w), FIRST_HASH_CAPACITY)
        self.keys_w = self.keys_w + [None] * extra
        self.values_w = self.values_w + [None] * extra

    def compacted(self):
        """A copy without the dead (nil-valued) positions."""
        compact = HashPart()
        for i in range(self.used):
            w_value = self.values_w[i]
            if w_value is not w_nil:
                compact.append(self.keys_w[i], w_value)
        return compact


def grow_array(w_table):
    """Double the capacity of w_table's array part (at least
    FIRST_ARRAY_CAPACITY)."""
    size = w_table.array_size
    if size == 0:
        w_table.array = [w_nil] * FIRST_ARRAY_CAPACITY
        return
    old = w_table.array
    assert len(old) == size     # called when full
    # one new array, filled by memcpy (a list concatenation), not item by
    # item: a large array is fresh memory from the OS, so every temporary
    # copy costs page faults; the second half is then cleared
    array = old + old
    for i in range(size, 2 * size):
        array[i] = w_nil
    w_table.array = array


@jit.dont_look_inside
def new_map_child(jsonmap, w_key):
    """The child of `jsonmap` for `w_key` in its tree, made if need be, or
    None (see MapTree.host_transition)."""
    return jsonmap.tree.host_transition(jsonmap, w_key.as_str(), w_key)


def map_position(jsonmap, w_key):
    """The position of string key `w_key` in `jsonmap`, or -1: first at
    the map's traversal_hint (set by entry_at_or_after), where the key
    object `next` returned last is found by identity (a map holds each of
    its key objects once), then by index_of."""
    hint = jsonmap.traversal_hint
    keys = jsonmap.keys()
    if 0 <= hint < len(keys) and keys[hint].w_value is w_key:
        return hint
    return jsonmap.index_of(w_key.as_str())


def entry_at(entries_w, position):
    """Entry `position` of an ENTRIES layout array."""
    entry = entries_w[position]
    assert isinstance(entry, W_KeyValue)
    return entry


@jit.dont_look_inside
def pair_position(w_table, w_key):
    """The position of `w_key` among the keys of a table in the pairs
    strategy, or -1 (a residual call).  The keys are first compared by
    identity alone: `next` is given the key object it returned last, so
    a traversal costs no string comparison."""
    count = w_table.pair_count()
    for i in range(count):
        if w_table.pair_key(i) is w_key:
            return i
    for i in range(count):
        if key_eq(w_table.pair_key(i), w_key):
            return i
    return -1


def distinct_string_keys(keys_w):
    """Are keys_w all W_Strings, no two equal?  Their hashes are compared
    first (a string caches its hash, and decoded keys live in the key
    cache): Yelp's attribute names share long prefixes and lengths."""
    count = len(keys_w)
    hashes = [0] * count
    for i in range(count):
        w_key = keys_w[i]
        if not isinstance(w_key, W_String):
            return False
        hash_value = compute_hash(w_key.as_str())
        for j in range(i):
            if hashes[j] == hash_value and key_eq(keys_w[j], w_key):
                return False
        hashes[i] = hash_value
    return True


class W_Table(W_Object):
    # in the map strategy the array part is empty, so `array` holds the
    # map's values while `array_size` stays 0; `keyed_part` is the map in
    # the map strategy, else the hash part or None (a table never has
    # both): a table is 40 bytes
    _attrs_ = ["array", "array_size", "keyed_part", "w_metatable"]
    type_name = "table"

    def __init__(self):
        self.array = EMPTY_ARRAY
        self.array_size = 0
        self.keyed_part = None
        self.w_metatable = None

    def map_part(self):
        """The JSONMap of a table in the map strategy, else None."""
        part = self.keyed_part
        if isinstance(part, JSONMap):
            return part
        return None

    def hash_part(self):
        """The HashPart of the table, or None (in the map strategy too)."""
        part = self.keyed_part
        if isinstance(part, HashPart):
            return part
        return None

    @staticmethod
    def from_array(items_w):
        """A sequence table of `items_w` (no nil in it), which becomes its
        array part: an exactly sized list nothing else resizes or keeps
        (the json decoder's, as the values of from_map)."""
        w_table = W_Table()
        if len(items_w) > 0:
            w_table.array = items_w
            w_table.array_size = len(items_w)
        return w_table

    @staticmethod
    def from_map(jsonmap, values_w):
        """A table in the map strategy: key i of `jsonmap` (whose keys'
        `w_value`s are W_Strings) has value values_w[i] (none is nil).
        Up to MAX_INLINE_VALUES values are kept in the table itself; an
        empty object shares EMPTY_ARRAY (Yelp's empty attributes: 5,400
        empty lists less)."""
        count = len(values_w)
        if 0 < count <= MAX_INLINE_VALUES:
            w_table = INLINE_MAKERS[count - 1](values_w)
        else:
            w_table = W_Table()
            if count > 0:
                w_table.array = values_w
        w_table.keyed_part = jsonmap
        return w_table

    # ------------------------------------- map values (see W_InlineTable)

    def inline_count(self):
        """How many map values the table keeps in fields of its own."""
        return 0

    def map_value(self, index):
        """The value of key `index` of the map (the map strategy)."""
        return self.array[index]

    def set_map_value(self, index, w_value):
        self.array[index] = w_value

    def clear_inline_values(self):
        """The table left the map strategy: drop the inline values."""

    @staticmethod
    def from_pairs(keys_w, values_w, pair_cache=None):
        """A table with only a hash part holding keys_w[i] = values_w[i]
        (no nil value; for a repeated key the last value wins, at the
        first one's position): JSON objects the decoder found too varied
        for maps, kept out of the map tree.  A few distinct string keys
        take the pairs strategy, whose entries come from `pair_cache` (a
        keyvalue.PairCache) when given."""
        w_table = W_Table()
        count = len(keys_w)
        if 0 < count <= SMALL_HASH_POSITIONS and distinct_string_keys(keys_w):
            if pair_cache is not None:
                entries_w = pair_cache.entries_for(keys_w, values_w)
                if entries_w is not None:
                    w_table.array = entries_w
                    w_table.array_size = ENTRIES
                    return w_table
            pairs_w = [None] * (2 * count)
            for i in range(count):
                pairs_w[2 * i] = keys_w[i]
                pairs_w[2 * i + 1] = values_w[i]
            w_table.array = pairs_w
            w_table.array_size = PAIRS
            return w_table
        w_table._fill_hash_part(keys_w, values_w)
        return w_table

    def in_pairs_strategy(self):
        return self.array_size < 0

    def pair_count(self):
        """How many pairs a table in the pairs strategy has."""
        if self.array_size == ENTRIES:
            return len(self.array)
        return len(self.array) // 2

    def pair_key(self, position):
        if self.array_size == ENTRIES:
            return entry_at(self.array, position).w_key
        return self.array[2 * position]

    def pair_value(self, position):
        if self.array_size == ENTRIES:
            return entry_at(self.array, position).w_value
        return self.array[2 * position + 1]

    def set_pair_value(self, position, w_value):
        """Pair `position` gets the value w_value (not nil); a shared
        entry is replaced, never changed."""
        if self.array_size == ENTRIES:
            w_key = entry_at(self.array, position).w_key
            self.array[position] = W_KeyValue(w_key, w_value)
        else:
            self.array[2 * position + 1] = w_value

    @jit.dont_look_inside
    def leave_pairs(self):
        """Move the pairs, in order, into a hash part (without index)."""
        count = self.pair_count()
        keys_w = [None] * count
        values_w = [None] * count
        for i in range(count):
            keys_w[i] = self.pair_key(i)
            values_w[i] = self.pair_value(i)
        self.keyed_part = HashPart(keys_w, values_w)
        self.array = EMPTY_ARRAY
        self.array_size = 0

    def _fill_hash_part(self, keys_w, values_w):
        """Make keys_w[i] = values_w[i] (none nil) the whole hash part:
        exactly sized copies of the lists when the keys are distinct."""
        hash = HashPart(keys_w[:], values_w[:])
        if not hash.has_duplicate_keys():
            self.keyed_part = hash
            return
        hash = HashPart()
        for i in range(len(keys_w)):
            w_key = keys_w[i]
            position = hash.lookup(w_key)
            if position >= 0:
                hash.values_w[position] = values_w[i]
            else:
                hash.append(w_key, values_w[i])
        self.keyed_part = hash

    def has_hash_entries(self):
        hash = self.hash_part()
        return hash is not None and hash.live > 0

    def is_map_backed(self):
        return self.map_part() is not None

    # -------------------------------------------------------------- reading

    def get(self, w_key):
        if isinstance(w_key, W_Integer):
            return self.get_int(w_key.intval)
        if isinstance(w_key, W_String):
            return self.get_hashed(w_key)
        if isinstance(w_key, W_Float):
            w_key = normalize_key(w_key)
            if isinstance(w_key, W_Integer):
                return self.get_int(w_key.intval)
        return self.get_hashed(w_key)

    def get_int(self, index):
        if 1 <= index <= self.array_size:
            return self.array[index - 1]
        if not self.has_hash_entries():
            return w_nil
        return self.get_hashed(w_int(index))

    def get_str(self, key):
        return self.get_hashed(W_PlainString(key))

    def get_hashed(self, w_key):
        jsonmap = self.map_part()
        if jsonmap is not None:
            if isinstance(w_key, W_String):
                jsonmap = jit.promote(jsonmap)
                index = jsonmap.index_of(w_key.as_str())
                if index < 0:
                    return w_nil
                return self.map_value(index)
            return w_nil
        if not self.has_hash_entries():
            if self.in_pairs_strategy():
                position = pair_position(self, w_key)
                if position >= 0:
                    return self.pair_value(position)
            return w_nil
        hash = self.hash_part()
        position = hash.lookup(w_key)
        if position < 0:
            return w_nil
        return hash.values_w[position]

    # -------------------------------------------------------------- writing

    def set(self, w_key, w_value):
        """Raw assignment t[k] = v (errors for nil and NaN keys)."""
        if isinstance(w_key, W_Integer):
            self.set_int(w_key.intval, w_value)
            return
        if isinstance(w_key, W_Float):
            if math.isnan(w_key.floatval):
                raise LuaRuntimeError("table index is NaN")
            w_key = normalize_key(w_key)
            if isinstance(w_key, W_Integer):
                self.set_int(w_key.intval, w_value)
                return
        elif w_key is w_nil:
            raise LuaRuntimeError("table index is nil")
        self.set_hashed(w_key, w_value)

    def set_int(self, index, w_value):
        if self.map_part() is not None:
            if w_value is w_nil:
                return      # the key is absent: nothing to remove
            self.leave_map()
        elif self.in_pairs_strategy():
            if w_value is w_nil:
                return
            self.leave_pairs()
        length = self.array_size
        if 1 <= index <= length:
            # no shrinking here, even for a trailing nil: `next` must keep
            # finding keys that are cleared during a traversal
            self.array[index - 1] = w_value
            return
        if index == length + 1:
            if w_value is w_nil:
                self.set_hashed(w_int(index), w_value)
                return
            self._append(w_value)
            if self.has_hash_entries():
                self._migrate_from_hash()
            return
        self.set_hashed(w_int(index), w_value)

    def _append(self, w_value):
        """Store w_value at key array_size + 1 (the array part grows)."""
        size = self.array_size
        # a full array doubles (a call the JIT makes only then, no bridge)
        jit.conditional_call(size == len(self.array), grow_array, self)
        self.array[size] = w_value
        self.array_size = size + 1

    @jit.unroll_safe
    def set_list(self, start, items_w):
        """t[start + i] = items_w[i] for a constructor ({a, b, c}): a new
        table gets an array part of exactly these items (no appends)."""
        count = len(items_w)
        if (start == 1 and self.array_size == 0 and self.keyed_part is None
                and count > 0):
            for w_item in items_w:
                if w_item is w_nil:
                    break
            else:
                array = [w_nil] * count
                for i in range(count):
                    array[i] = items_w[i]
                self.array = array
                self.array_size = count
                return
        for i in range(len(items_w)):
            self.set_int(start + i, items_w[i])

    def set_str(self, key, w_value):
        self.set_hashed(W_PlainString(key), w_value)

    def set_hashed(self, w_key, w_value):
        jsonmap = self.map_part()
        if jsonmap is not None:
            if isinstance(w_key, W_String):
                jsonmap = jit.promote(jsonmap)
                index = jsonmap.index_of(w_key.as_str())
                if index >= 0:
                    if w_value is not w_nil:
                        self.set_map_value(index, w_value)
                        return
                elif w_value is w_nil:
                    return      # absent key set to nil: no change
                elif self._grow_map(jsonmap, w_key, w_value):
                    return
            elif w_value is w_nil:
                return
            self.leave_map()
        elif self.in_pairs_strategy():
            position = pair_position(self, w_key)
            if position >= 0 and w_value is not w_nil:
                self.set_pair_value(position, w_value)
                return
            if position < 0 and w_value is w_nil:
                return
            self.leave_pairs()
        hash = self.hash_part()
        if hash is None:
            if w_value is w_nil:
                return
            if (isinstance(w_key, W_String) and self.array_size == 0 and
                    self._grow_map(MAP_TREE.root, w_key, w_value)):
                return
            hash = HashPart()
            self.keyed_part = hash
        position = hash.lookup(w_key)
        if position >= 0:
            w_old = hash.values_w[position]
            hash.values_w[position] = w_value
            if w_old is w_nil:
                if w_value is not w_nil:
                    hash.live += 1
            elif w_value is w_nil:
                hash.live -= 1
            return
        if w_value is w_nil:
            return
        if hash.used >= 8 and hash.live * 2 < hash.used:
            # more than half the positions are dead
            hash = hash.compacted()
            self.keyed_part = hash
        hash.append(w_key, w_value)

    @jit.unroll_safe
    def _grow_map(self, jsonmap, w_key, w_value):
        """Add string key `w_key` (not in `jsonmap`) with non-nil `w_value`
        in the map strategy; False if the map tree refuses the key."""
        child = existing_host_child(jsonmap, w_key.as_str())
        if child is None:
            child = new_map_child(jsonmap, w_key)
            if child is None:
                return False
        count = jsonmap.key_count
        # the values past the inline ones are in `array`, sized exactly
        overflow = count - self.inline_count()
        assert overflow >= 0        # an inline table is made full
        values_w = [w_nil] * (overflow + 1)
        if overflow > 0:
            old_values_w = self.array
            for i in range(overflow):
                values_w[i] = old_values_w[i]
        values_w[overflow] = w_value
        self.keyed_part = child
        self.array = values_w
        return True

    @jit.dont_look_inside
    def leave_map(self):
        """Move the map entries, in map order, into the hash part; the
        table is an ordinary table from then on."""
        jsonmap = self.map_part()
        assert jsonmap is not None
        keys = jsonmap.keys()
        keys_w = [None] * len(keys)
        values_w = [None] * len(keys)
        for i in range(len(keys)):
            keys_w[i] = keys[i].w_value
            values_w[i] = self.map_value(i)
        self._fill_hash_part(keys_w, values_w)     # replaces the map
        self.array = EMPTY_ARRAY
        self.clear_inline_values()

    def _migrate_from_hash(self):
        hash = self.hash_part()
        while hash.live > 0:
            w_key = w_int(self.array_size + 1)
            position = hash.lookup(w_key)
            if position < 0:
                return
            w_value = hash.values_w[position]
            if w_value is w_nil:
                return
            hash.values_w[position] = w_nil
            hash.live -= 1
            self._append(w_value)

    # ------------------------------------------------------------ sequences

    def length(self):
        """A border of the table (the `#` operator without __len)."""
        n = self.array_size     # negative in the pairs strategy
        if (n >= 0 and (n == 0 or self.array[n - 1] is not w_nil) and
                not self.has_hash_entries()):
            # a sequence: no loop, so a JIT trace reads the length inline
            return n
        return self._border()

    def _border(self):
        n = self.array_size
        if n < 0:
            return 0        # the pairs strategy: string keys only
        if n > 0 and self.array[n - 1] is w_nil:
            # binary search for a border inside the array part
            low = 0
            high = n
            while high - low > 1:
                middle = (low + high) // 2
                if self.array[middle - 1] is w_nil:
                    high = middle
                else:
                    low = middle
            return low
        if not self.has_hash_entries():
            return n
        while self.get_hashed(w_int(n + 1)) is not w_nil:
            n += 1
        return n

    def append(self, w_value):
        self.set_int(self.length() + 1, w_value)

    # ------------------------------------------------------------ traversal

    def hash_size(self):
        """Positions after the array part: map entries or hash slots."""
        jsonmap = self.map_part()
        if jsonmap is not None:
            return jsonmap.key_count
        if self.in_pairs_strategy():
            return self.pair_count()
        hash = self.hash_part()
        if hash is None:
            return 0
        return hash.used

    def next_position(self, w_key):
        """Position after w_key for `next` (-1: the key is not in the table).

        Positions 0..len(array)-1 are array slots, then hash positions
        (map entries in the map strategy, in the same order)."""
        if w_key is w_nil:
            return 0
        if self.in_pairs_strategy():
            position = pair_position(self, w_key)
            if position < 0:
                return -1
            return position + 1
        w_key = normalize_key(w_key)
        if isinstance(w_key, W_Integer):
            index = w_key.intval
            if 1 <= index <= self.array_size:
                return index
        part = self.keyed_part
        if isinstance(part, JSONMap):
            if not isinstance(w_key, W_String):
                return -1
            position = map_position(part, w_key)
        elif isinstance(part, HashPart):
            position = part.position_of(w_key)
        else:
            return -1
        if position < 0:
            return -1
        return self.array_size + position + 1

    def entry_at_or_after(self, position):
        """First position >= `position` holding a non-nil value, or -1;
        a hash or map position found becomes the hint of next_position
        (`next` called with its key finds it without a lookup)."""
        found = self.filled_position_from(position)
        if found < 0 or self.in_pairs_strategy():
            return found
        hash_position = found - self.array_size
        if hash_position >= 0:
            part = self.keyed_part
            if isinstance(part, JSONMap):
                part.traversal_hint = hash_position
            elif isinstance(part, HashPart):
                part.next_hint = hash_position
        return found

    def filled_position_from(self, position):
        """entry_at_or_after without the hints: the step of a traversal
        that keeps its position itself (traversal.py).  A step in the map
        or pairs strategy, or onto the next slot of the array or hash part
        when it is not nil, has no loop, so a JIT trace runs it inline;
        skipping nils calls scan_from."""
        if self.in_pairs_strategy():
            if position < self.pair_count():
                return position
            return -1
        part = self.keyed_part
        if isinstance(part, JSONMap):       # no array part: array_size is 0
            if position < part.key_count:
                return position
            return -1
        array_size = self.array_size
        if position < array_size:
            if self.array[position] is not w_nil:
                return position
        elif isinstance(part, HashPart):
            hash_position = position - array_size
            if (hash_position < part.used and
                    part.values_w[hash_position] is not w_nil):
                return position
        return self.scan_from(position)

    def scan_from(self, position):
        """The first position >= `position` with a non-nil value in the
        array or hash part, or -1 (the loops of filled_position_from)."""
        array_length = self.array_size
        while position < array_length:
            if self.array[position] is not w_nil:
                return position
            position += 1
        hash = self.hash_part()
        if hash is None:
            return -1
        hash_position = position - array_length
        values_w = hash.values_w
        used = hash.used
        while hash_position < used:
            if values_w[hash_position] is not w_nil:
                return hash_position + array_length
            hash_position += 1
        return -1

    def key_at(self, position):
        if self.in_pairs_strategy():
            return self.pair_key(position)
        if position < self.array_size:
            return w_int(position + 1)
        position -= self.array_size
        part = self.keyed_part
        if isinstance(part, JSONMap):
            w_key = part.read_keys()[position].w_value
            assert isinstance(w_key, W_String)
            return w_key
        assert isinstance(part, HashPart)
        return part.keys_w[position]

    def value_at(self, position):
        if self.in_pairs_strategy():
            return self.pair_value(position)
        if position < self.array_size:
            return self.array[position]
        position -= self.array_size
        part = self.keyed_part
        if isinstance(part, JSONMap):
            return map_value_at(self, position)
        assert isinstance(part, HashPart)
        return part.values_w[position]


@jit.dont_look_inside
def table_or_none(w_value):
    """w_value if it is a table, else None, as a call: where tables of
    many classes pass (a traversal's first step, `pairs`), a JIT trace
    then checks none of them (isinstance would guard the exact class, and
    each other class would be a bridge: traversal.py)."""
    if isinstance(w_value, W_Table):
        return w_value
    return None


@jit.dont_look_inside
def map_value_at(w_table, index):
    """w_table.map_value(index) as one call whatever the table's class: a
    traversal reads positions its trace does not know, where the method
    would be a call anyway, and calling it through the class would guard
    the class (traversal.py)."""
    return w_table.map_value(index)


# decoded objects with at most this many keys keep their values inline
MAX_INLINE_VALUES = 16


def make_inline_table_class(count):
    """W_Table with `count` fields for map values (W_InlineTable<count>)."""
    names = ["value%d" % i for i in range(count)]
    indexed_names = unrolling_iterable(list(enumerate(names)))

    class W_InlineTable(W_Table):
        """A table decoded from a JSON object of `count` keys: the map
        strategy with the values in fields of the table, not in an array
        of their own (16 + 8 bytes less: the array's header and pointer).
        Value i < count is field i; a key the program adds later goes to
        `array` at i - count.  In a JIT trace `t.name` is then a guard on
        the class and one on the map, and a field read; a read at a
        position the trace does not know (`next`) is a residual call, not a
        chain of guards."""
        _attrs_ = names

        def __init__(self, values_w):
            W_Table.__init__(self)
            for i, name in indexed_names:
                setattr(self, name, values_w[i])

        def inline_count(self):
            return count

        @jit.look_inside_iff(lambda self, index: jit.isconstant(index))
        def map_value(self, index):
            if index >= count:
                return self.array[index - count]
            for i, name in indexed_names:
                if i == index:
                    return getattr(self, name)
            raise AssertionError("no inline value %d" % index)

        @jit.look_inside_iff(lambda self, index, w_value: jit.isconstant(index))
        def set_map_value(self, index, w_value):
            if index >= count:
                self.array[index - count] = w_value
                return
            for i, name in indexed_names:
                if i == index:
                    setattr(self, name, w_value)
                    return
            raise AssertionError("no inline value %d" % index)

        def clear_inline_values(self):
            for i, name in indexed_names:
                setattr(self, name, None)

    W_InlineTable.__name__ = "W_InlineTable%d" % count

    def make(values_w):
        return W_InlineTable(values_w)
    return make


# INLINE_MAKERS[n - 1](values_w): a W_InlineTable of n values
INLINE_MAKERS = [make_inline_table_class(_count)
                 for _count in range(1, MAX_INLINE_VALUES + 1)]
