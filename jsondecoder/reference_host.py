"""A small host object model: what an interpreter plugs into the decoder.

Used by `jsontool` and the tests, and an example for real hosts.  Objects
have three storage strategies (see W_Object), as PyPy's dicts have several:

* map storage: `jsonmap` + `values_w` in key order, no hash table per
  object; `getitem` asks the map for the key's index;
* decoded-dict storage: the keys and values the decoder handed over as a
  dict (rare or huge key sets), kept as given when the keys are distinct;
* dict storage (`DictStorage`): growable keys and values lists and an
  index {utf8: position}, built on the first lookup; used for objects with
  duplicate keys (the last value wins, at the first key's position, as in
  Python) and for objects that get a new key after decoding (`setitem`).

Integers from SMALL_INT_MIN to SMALL_INT_MAX are shared prebuilt objects,
as in CPython: they are most of the integers in typical documents.
"""
from rpython.rlib.objectmodel import compute_hash
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
    def __init__(self, utf8, code_points):
        self.utf8 = utf8
        self.code_points = code_points


class W_Array(W_Value):
    def __init__(self, items_w):
        self.items_w = items_w


class W_Object(W_Value):
    """A JSON object in one of three storages; the unused fields are None.

    * map storage: `jsonmap` + `values_w` (fixed size), keys in the map;
    * decoded-dict storage: `keys_w` + `values_w`, both exactly as the
      decoder sized them, keys distinct, no index: most objects are only
      walked in order, and a per-object table (or growable lists) would be
      most of their memory and of the time spent building them;
    * `dict_storage` (DictStorage): growable, indexed; an object moves there
      for good on its first lookup of a decoded dict with many keys or on a
      new key (`setitem`)."""

    def __init__(self, jsonmap, keys_w, values_w, dict_storage):
        self.jsonmap = jsonmap
        self.keys_w = keys_w
        self.values_w = values_w
        self.dict_storage = dict_storage

    def is_map_storage(self):
        return self.jsonmap is not None

    def length(self):
        if self.dict_storage is not None:
            return len(self.dict_storage.values_w)
        return len(self.values_w)

    def key_at(self, position):
        """The key (a W_String) at `position`."""
        if self.jsonmap is not None:
            w_key = self.jsonmap.keys()[position].w_value
        elif self.dict_storage is not None:
            w_key = self.dict_storage.keys_w[position]
        else:
            w_key = self.keys_w[position]
        assert isinstance(w_key, W_String)
        return w_key

    def value_at(self, position):
        if self.dict_storage is not None:
            return self.dict_storage.values_w[position]
        return self.values_w[position]

    def getitem(self, utf8):
        """The value for key `utf8`, or None."""
        if self.jsonmap is not None:
            position = self.jsonmap.index_of(utf8)
            if position < 0:
                return None
            return self.values_w[position]
        if self.dict_storage is None:
            keys_w = self.keys_w
            if len(keys_w) <= LINEAR_LOOKUP_KEYS:
                for i in range(len(keys_w)):
                    w_key = keys_w[i]
                    assert isinstance(w_key, W_String)
                    if w_key.utf8 == utf8:
                        return self.values_w[i]
                return None
            self.switch_to_dict_storage()
        return self.dict_storage.getitem(utf8)

    def setitem(self, w_key, w_value):
        assert isinstance(w_key, W_String)
        if self.jsonmap is not None:
            position = self.jsonmap.index_of(w_key.utf8)
            if position >= 0:
                self.values_w[position] = w_value
                return
        if self.dict_storage is None:
            self.switch_to_dict_storage()
        self.dict_storage.setitem(w_key, w_value)

    def switch_to_dict_storage(self):
        storage = DictStorage([], [])
        for i in range(self.length()):
            storage.setitem(self.key_at(i), self.values_w[i])
        self.dict_storage = storage
        self.jsonmap = None
        self.keys_w = None
        self.values_w = None


# decoded dicts up to this many keys are searched without an index
LINEAR_LOOKUP_KEYS = 8


class DictStorage(object):
    """Keys and values in insertion order, and an index {utf8: position}.

    The index is built on the first lookup, not when the decoder hands the
    object over: most decoded objects are only walked in order, and a hash
    table per object would be most of their memory and decoding time."""

    def __init__(self, keys_w, values_w):
        self.keys_w = keys_w
        self.values_w = values_w
        self.index = None

    def get_index(self):
        index = self.index
        if index is None:
            index = {}
            for i in range(len(self.keys_w)):
                w_key = self.keys_w[i]
                assert isinstance(w_key, W_String)
                index[w_key.utf8] = i
            self.index = index
        return index

    def getitem(self, utf8):
        position = self.get_index().get(utf8, -1)
        if position < 0:
            return None
        return self.values_w[position]

    def setitem(self, w_key, w_value):
        assert isinstance(w_key, W_String)
        index = self.get_index()
        position = index.get(w_key.utf8, -1)
        if position >= 0:
            self.values_w[position] = w_value
            return
        index[w_key.utf8] = len(self.values_w)
        self.keys_w.append(w_key)
        self.values_w.append(w_value)


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
        return W_String(utf8, code_points)

    def new_key(self, utf8, code_points):
        return W_String(utf8, code_points)

    def new_array(self, items_w):
        return W_Array(items_w)

    def new_map_object(self, jsonmap, values_w):
        return W_Object(jsonmap, None, values_w, None)

    def new_dict_object(self, keys_w, values_w):
        if not self.duplicates.has_duplicate(keys_w):
            return W_Object(None, keys_w, values_w, None)
        # the last value wins, at the first key's position
        storage = DictStorage([], [])
        for i in range(len(keys_w)):
            storage.setitem(keys_w[i], values_w[i])
        return W_Object(None, None, None, storage)
