"""A small host object model: what an interpreter plugs into the decoder.

Used by `jsontool` and the tests, and an example for real hosts.  Objects
have two storage strategies (see W_Object), as PyPy's dicts have several,
behind `jsonmap` and one erased pointer (rlib.rerased):

* map storage: `jsonmap` + the values in key order, no hash table per
  object; `getitem` asks the map for the key's index.  Up to
  MAX_INLINE_VALUES values live in the object's own fields (as PyPy's
  mapdict keeps an instance's first attributes), more in one list;
* dict storage (`DictStorage`): keys and values lists and an index
  {utf8: position} built on the first lookup among many keys; a decoded
  dict (rare or huge key sets) keeps the decoder's lists as given when its
  keys are distinct.  Objects with duplicate keys (the last value wins, at
  the first key's position, as in Python) and map objects that get a new
  key after decoding (`setitem`) move there too.

Strings are W_String (16 bytes) when their code points are their bytes,
W_NonAsciiString (24 bytes, with the count the decoder computed) when not.

Integers from SMALL_INT_MIN to SMALL_INT_MAX are shared prebuilt objects,
as in CPython: they are most of the integers in typical documents.
"""
from rpython.rlib.objectmodel import compute_hash
from rpython.rlib.rerased import new_erasing_pair
from rpython.rlib.unroll import unrolling_iterable
from rpython.rlib.rbigint import rbigint

from jsondecoder.builder import JSONBuilder


class W_Value(object):
    pass


class W_Null(W_Value):
    pass


class W_Bool(W_Value):
    def __init__(self, value):
        self.value = value


class W_Int(W_Value):
    def __init__(self, value):
        self.value = value


class W_BigInt(W_Value):
    """An integer beyond machine size, kept as its decimal text; converted
    to an rbigint on demand (conversion is quadratic in the digit count)."""

    def __init__(self, digits):
        self.digits = digits

    def bigint_value(self):
        return rbigint.fromdecimalstr(self.digits)


class W_Float(W_Value):
    def __init__(self, value):
        self.value = value


class W_String(W_Value):
    """A string whose code points are its bytes (pure ASCII, most strings
    of typical documents): the UTF-8 alone, a header and one word."""

    def __init__(self, utf8):
        self.utf8 = utf8

    def code_point_count(self):
        return len(self.utf8)


class W_NonAsciiString(W_String):
    """A string with multi-byte characters: also its code point count."""

    def __init__(self, utf8, code_points):
        W_String.__init__(self, utf8)
        self.code_points = code_points

    def code_point_count(self):
        return self.code_points


def new_w_string(utf8, code_points):
    if code_points == len(utf8):
        return W_String(utf8)
    return W_NonAsciiString(utf8, code_points)


class W_Array(W_Value):
    def __init__(self, items_w):
        self.items_w = items_w


class W_Object(W_Value):
    """A JSON object: `jsonmap` and one erased `storage` pointer (as PyPy's
    dicts: a strategy and its storage), and in the subclasses made by
    `inline_object_class` the values themselves:

    * map storage (`jsonmap` is not None): the values in the map's key
      order.  An object of up to MAX_INLINE_VALUES keys holds them in its
      own fields (a W_InlineObject<n>: one object, a header and n + 2
      words); a larger one keeps them in the fixed-size list the decoder
      made, in `storage`;
    * otherwise `storage` is a DictStorage: the keys and values the decoder
      handed over as a dict (rare or huge key sets) or that the program
      gave it.  An object moves there for good on a new key (`setitem`).
    """

    def __init__(self, jsonmap, storage):
        self.jsonmap = jsonmap
        self.storage = storage

    @staticmethod
    def from_map(jsonmap, values_w):
        count = len(values_w)
        for inline_count, inline_class in INLINE_OBJECT_CLASSES:
            if count == inline_count:
                return inline_class(jsonmap, values_w)
        return W_Object(jsonmap, erase_values(values_w))

    @staticmethod
    def from_dict_storage(dict_storage):
        return W_Object(None, erase_dict(dict_storage))

    def is_map_storage(self):
        return self.jsonmap is not None

    # ---- map storage: overridden by the inline classes ------------------

    def map_value(self, position):
        return unerase_values(self.storage)[position]

    def set_map_value(self, position, w_value):
        unerase_values(self.storage)[position] = w_value

    def forget_map_values(self):
        """Drop the references of map storage (the object left it)."""

    # ---- the object's interface ----------------------------------------

    def map_values(self):
        """A new list of the values of a map-stored object."""
        assert self.jsonmap is not None
        count = self.jsonmap.key_count
        values_w = [None] * count
        for i in range(count):
            values_w[i] = self.map_value(i)
        return values_w

    def dict_storage(self):
        """The DictStorage of an object not in map storage."""
        assert self.jsonmap is None
        return unerase_dict(self.storage)

    def length(self):
        if self.jsonmap is not None:
            return self.jsonmap.key_count
        return self.dict_storage().count

    def key_at(self, position):
        """The key (a W_String) at `position`."""
        if self.jsonmap is not None:
            w_key = self.jsonmap.keys()[position].w_value
        else:
            w_key = self.dict_storage().keys_w[position]
        assert isinstance(w_key, W_String)
        return w_key

    def value_at(self, position):
        if self.jsonmap is not None:
            return self.map_value(position)
        return self.dict_storage().values_w[position]

    def getitem(self, utf8):
        """The value for key `utf8`, or None."""
        if self.jsonmap is not None:
            position = self.jsonmap.index_of(utf8)
            if position < 0:
                return None
            return self.map_value(position)
        return self.dict_storage().getitem(utf8)

    def setitem(self, w_key, w_value):
        assert isinstance(w_key, W_String)
        if self.jsonmap is not None:
            position = self.jsonmap.index_of(w_key.utf8)
            if position >= 0:
                self.set_map_value(position, w_value)
                return
            self.switch_to_dict_storage()
        self.dict_storage().setitem(w_key, w_value)

    def switch_to_dict_storage(self):
        count = self.length()
        keys_w = [None] * count
        for i in range(count):
            keys_w[i] = self.key_at(i)
        dict_storage = DictStorage(keys_w, self.map_values())
        self.forget_map_values()
        self.jsonmap = None
        self.storage = erase_dict(dict_storage)


# objects with up to this many keys keep their values in their own fields:
# one GC object instead of two (the object and its values list), so fewer
# objects to allocate, copy out of the nursery, mark and free (decoding
# time), and no list header and length word (memory)
MAX_INLINE_VALUES = 16


def inline_object_class(count):
    """The W_Object subclass holding `count` values in fields value0..."""
    fields = unrolling_iterable(
        [(i, "value%d" % i) for i in range(count)])

    class W_InlineObject(W_Object):
        def __init__(self, jsonmap, values_w):
            W_Object.__init__(self, jsonmap, erase_dict(None))
            for i, name in fields:
                setattr(self, name, values_w[i])

        def map_value(self, position):
            for i, name in fields:
                if i == position:
                    return getattr(self, name)
            raise IndexError

        def set_map_value(self, position, w_value):
            for i, name in fields:
                if i == position:
                    setattr(self, name, w_value)
                    return
            raise IndexError

        def forget_map_values(self):
            for i, name in fields:
                setattr(self, name, None)

    W_InlineObject.__name__ = "W_InlineObject%d" % count
    return W_InlineObject


INLINE_OBJECT_CLASSES = unrolling_iterable(
    [(count, inline_object_class(count))
     for count in range(MAX_INLINE_VALUES + 1)])


erase_values, unerase_values = new_erasing_pair("map values")
erase_dict, unerase_dict = new_erasing_pair("dict storage")

# dicts up to this many keys are searched without an index
LINEAR_LOOKUP_KEYS = 8


class DictStorage(object):
    """Keys and values in insertion order: `keys_w[:count]` and
    `values_w[:count]`, and an index {utf8: position} built on the first
    lookup among more than LINEAR_LOOKUP_KEYS keys.

    A decoded dict keeps the decoder's exactly sized lists (count is their
    length) and gets no index: most decoded objects are only walked in
    order, and a hash table per object would be most of their memory and
    decoding time.  The lists grow by doubling on `setitem` of a new key
    (they are fixed-size lists, the same kind as the decoder's, so that no
    list of a decoded document needs a separate resizable header).  Keys
    are distinct (the builder resolves duplicates before)."""

    def __init__(self, keys_w, values_w):
        assert len(keys_w) == len(values_w)
        self.keys_w = keys_w
        self.values_w = values_w
        self.count = len(keys_w)
        self.index = None

    def get_index(self):
        index = self.index
        if index is None:
            index = {}
            for i in range(self.count):
                w_key = self.keys_w[i]
                assert isinstance(w_key, W_String)
                index[w_key.utf8] = i
            self.index = index
        return index

    def position_of(self, utf8):
        if self.index is None and self.count <= LINEAR_LOOKUP_KEYS:
            keys_w = self.keys_w
            for i in range(self.count):
                w_key = keys_w[i]
                assert isinstance(w_key, W_String)
                if w_key.utf8 == utf8:
                    return i
            return -1
        return self.get_index().get(utf8, -1)

    def getitem(self, utf8):
        position = self.position_of(utf8)
        if position < 0:
            return None
        return self.values_w[position]

    def setitem(self, w_key, w_value):
        assert isinstance(w_key, W_String)
        position = self.position_of(w_key.utf8)
        if position >= 0:
            self.values_w[position] = w_value
            return
        count = self.count
        if count == len(self.keys_w):
            self.grow()
        self.keys_w[count] = w_key
        self.values_w[count] = w_value
        self.count = count + 1
        if self.index is not None:
            self.index[w_key.utf8] = count

    def grow(self):
        capacity = 2 * self.count + 4
        keys_w = [None] * capacity
        values_w = [None] * capacity
        for i in range(self.count):
            keys_w[i] = self.keys_w[i]
            values_w[i] = self.values_w[i]
        self.keys_w = keys_w
        self.values_w = values_w


class DuplicateKeyFinder(object):
    """Tells whether a decoded dict's keys (W_Strings) repeat, in time
    linear in their number: an open-addressing table of the keys' hashes
    (which RPython caches in each string, and the key objects are shared
    by many objects), reused for every object.  A slot belongs to the
    current object iff its stamp is the current one, so nothing is cleared
    between objects; equal hashes are confirmed by comparing the text."""

    def __init__(self):
        self.stamp = 0
        self.size = 0
        self.stamps = []
        self.slots_w = []

    def has_duplicate(self, keys_w):
        count = len(keys_w)
        if 4 * count > self.size:
            self.grow(count)
        self.stamp += 1
        stamp = self.stamp
        stamps = self.stamps
        slots_w = self.slots_w
        mask = self.size - 1
        for i in range(count):
            w_key = keys_w[i]
            assert isinstance(w_key, W_String)
            index = compute_hash(w_key.utf8) & mask
            while stamps[index] == stamp:
                w_other = slots_w[index]
                if w_other is w_key or w_other.utf8 == w_key.utf8:
                    return True
                index = (index + 1) & mask
            stamps[index] = stamp
            slots_w[index] = w_key
        return False

    def grow(self, count):
        size = 64
        while size < 4 * count:
            size *= 2
        self.size = size
        self.stamps = [0] * size
        self.slots_w = [None] * size


SMALL_INT_MIN = -16
SMALL_INT_MAX = 1023
SMALL_INTS = [W_Int(value) for value in range(SMALL_INT_MIN, SMALL_INT_MAX + 1)]
W_NULL = W_Null()
W_TRUE = W_Bool(True)
W_FALSE = W_Bool(False)


class ReferenceBuilder(JSONBuilder):
    """Builds W_Values."""

    def __init__(self):
        self.duplicates = DuplicateKeyFinder()

    def new_null(self):
        return W_NULL

    def new_true(self):
        return W_TRUE

    def new_false(self):
        return W_FALSE

    def new_int(self, value):
        if SMALL_INT_MIN <= value <= SMALL_INT_MAX:
            return SMALL_INTS[value - SMALL_INT_MIN]
        return W_Int(value)

    def new_bigint(self, digits):
        return W_BigInt(digits)

    def new_float(self, value):
        return W_Float(value)

    def new_string(self, utf8, code_points):
        return new_w_string(utf8, code_points)

    def new_key(self, utf8, code_points):
        return new_w_string(utf8, code_points)

    def new_array(self, items_w):
        return W_Array(items_w)

    def new_map_object(self, jsonmap, values_w):
        return W_Object.from_map(jsonmap, values_w)

    def new_dict_object(self, keys_w, values_w):
        if not self.duplicates.has_duplicate(keys_w):
            return W_Object.from_dict_storage(DictStorage(keys_w, values_w))
        # the last value wins, at the first key's position
        storage = DictStorage([], [])
        for i in range(len(keys_w)):
            storage.setitem(keys_w[i], values_w[i])
        return W_Object.from_dict_storage(storage)
