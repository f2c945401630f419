"""A small host object model: what an interpreter plugs into the decoder.

Used by `jsontool` and the tests, and an example for real hosts.  Objects
have two storage strategies, as PyPy's dicts do:

* map storage: `jsonmap` + `values_w` in key order, no hash table per
  object; `getitem` asks the map for the key's index;
* dict storage: `keys_w`, `values_w` and an index {utf8: position}; used for
  objects the decoder hands over as dicts (duplicate keys: the last value
  wins, at the first key's position, as in Python) and for map objects that
  get a new key after decoding (`setitem`).
"""
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
    def __init__(self, jsonmap, keys_w, values_w):
        self.jsonmap = jsonmap          # None: dict storage
        self.keys_w = keys_w            # dict storage only
        self.values_w = values_w
        self.index = None               # dict storage: {utf8: position}

    def is_map_storage(self):
        return self.jsonmap is not None

    def length(self):
        return len(self.values_w)

    def key_at(self, position):
        """The key (a W_String) at `position`."""
        if self.jsonmap is not None:
            w_key = self.jsonmap.keys()[position].w_value
        else:
            w_key = self.keys_w[position]
        assert isinstance(w_key, W_String)
        return w_key

    def value_at(self, position):
        return self.values_w[position]

    def position_of(self, utf8):
        if self.jsonmap is not None:
            return self.jsonmap.index_of(utf8)
        return self.index.get(utf8, -1)

    def getitem(self, utf8):
        """The value for key `utf8`, or None."""
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
        if self.jsonmap is not None:
            self.switch_to_dict_storage()
        self.index[w_key.utf8] = len(self.values_w)
        self.keys_w.append(w_key)
        self.values_w.append(w_value)

    def switch_to_dict_storage(self):
        keys = self.jsonmap.keys()
        keys_w = []
        index = {}
        for i in range(len(keys)):
            keys_w.append(keys[i].w_value)
            index[keys[i].utf8] = i
        self.keys_w = keys_w
        self.index = index
        self.jsonmap = None


W_NULL = W_Null()
W_TRUE = W_Bool(True)
W_FALSE = W_Bool(False)


class ReferenceBuilder(JSONBuilder):
    """Builds W_Values."""

    def new_null(self):
        return W_NULL

    def new_true(self):
        return W_TRUE

    def new_false(self):
        return W_FALSE

    def new_int(self, value):
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
        return W_Object(jsonmap, None, values_w)

    def new_dict_object(self, keys_w, values_w):
        w_object = W_Object(None, [], [])
        w_object.index = {}
        for i in range(len(keys_w)):
            w_object.setitem(keys_w[i], values_w[i])
        return w_object
