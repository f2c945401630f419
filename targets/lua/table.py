"""Lua tables: an array part plus an insertion-ordered hash part.

* `array[i]` holds the value of integer key i+1.  Setting key len+1 appends
  and then migrates the following integer keys from the hash part, so
  sequences built in any order end up in the array.  `#t` is len(array) unless the
  last slot is nil, in which case a binary search finds a border (as the
  manual allows).  The array never shrinks, so that clearing fields during
  a traversal keeps `next` working.
* the hash part keeps parallel `hash_keys`/`hash_values` lists and an
  r_dict from key to position.  Removing a key only stores nil at its
  position, so `next` keeps working when fields are cleared during a
  traversal; dead positions are compacted away when a new key is inserted
  and more than half the positions are dead.
* float keys with an integral value are normalized to integers, so 1 and
  1.0 are the same key; nil and NaN keys are rejected.
"""
import math

from rpython.rlib.objectmodel import r_dict

from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import (W_Object, W_Integer, W_Float, W_String, W_Nil,
                                 w_nil, w_int, key_eq, key_hash)
from targets.lua.luanumber import float_fits_int


def normalize_key(w_key):
    if isinstance(w_key, W_Float):
        value = w_key.floatval
        if math.floor(value) == value and float_fits_int(value):
            return w_int(int(value))
    return w_key


class W_Table(W_Object):
    _attrs_ = ["array", "hash_keys", "hash_values", "hash_index", "hash_live",
               "w_metatable"]
    type_name = "table"

    def __init__(self):
        self.array = []
        self.hash_keys = []
        self.hash_values = []
        self.hash_index = r_dict(key_eq, key_hash)
        self.hash_live = 0
        self.w_metatable = None

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
        if 1 <= index <= len(self.array):
            return self.array[index - 1]
        if self.hash_live == 0:
            return w_nil
        return self.get_hashed(w_int(index))

    def get_str(self, key):
        if self.hash_live == 0:
            return w_nil
        return self.get_hashed(W_String(key))

    def get_hashed(self, w_key):
        position = self.hash_index.get(w_key, -1)
        if position < 0:
            return w_nil
        return self.hash_values[position]

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
        elif isinstance(w_key, W_Nil):
            raise LuaRuntimeError("table index is nil")
        self.set_hashed(w_key, w_value)

    def set_int(self, index, w_value):
        length = len(self.array)
        if 1 <= index <= length:
            # no shrinking here, even for a trailing nil: `next` must keep
            # finding keys that are cleared during a traversal
            self.array[index - 1] = w_value
            return
        if index == length + 1:
            if isinstance(w_value, W_Nil):
                self.set_hashed(w_int(index), w_value)
                return
            self.array.append(w_value)
            if self.hash_live > 0:
                self._migrate_from_hash()
            return
        self.set_hashed(w_int(index), w_value)

    def set_str(self, key, w_value):
        self.set_hashed(W_String(key), w_value)

    def set_hashed(self, w_key, w_value):
        position = self.hash_index.get(w_key, -1)
        if position >= 0:
            w_old = self.hash_values[position]
            self.hash_values[position] = w_value
            if isinstance(w_old, W_Nil):
                if not isinstance(w_value, W_Nil):
                    self.hash_live += 1
            elif isinstance(w_value, W_Nil):
                self.hash_live -= 1
            return
        if isinstance(w_value, W_Nil):
            return
        if len(self.hash_keys) >= 8 and self.hash_live * 2 < len(self.hash_keys):
            self._compact_hash()
        self.hash_index[w_key] = len(self.hash_keys)
        self.hash_keys.append(w_key)
        self.hash_values.append(w_value)
        self.hash_live += 1

    def _migrate_from_hash(self):
        while self.hash_live > 0:
            w_key = w_int(len(self.array) + 1)
            position = self.hash_index.get(w_key, -1)
            if position < 0:
                return
            w_value = self.hash_values[position]
            if isinstance(w_value, W_Nil):
                return
            self.hash_values[position] = w_nil
            self.hash_live -= 1
            self.array.append(w_value)

    def _compact_hash(self):
        keys = []
        values = []
        index = r_dict(key_eq, key_hash)
        for i in range(len(self.hash_keys)):
            w_value = self.hash_values[i]
            if not isinstance(w_value, W_Nil):
                index[self.hash_keys[i]] = len(keys)
                keys.append(self.hash_keys[i])
                values.append(w_value)
        self.hash_keys = keys
        self.hash_values = values
        self.hash_index = index
        self.hash_live = len(keys)

    # ------------------------------------------------------------ sequences

    def length(self):
        """A border of the table (the `#` operator without __len)."""
        n = len(self.array)
        if n > 0 and isinstance(self.array[n - 1], W_Nil):
            # binary search for a border inside the array part
            low = 0
            high = n
            while high - low > 1:
                middle = (low + high) // 2
                if isinstance(self.array[middle - 1], W_Nil):
                    high = middle
                else:
                    low = middle
            return low
        if self.hash_live == 0:
            return n
        while not isinstance(self.get_hashed(w_int(n + 1)), W_Nil):
            n += 1
        return n

    def append(self, w_value):
        self.set_int(self.length() + 1, w_value)

    # ------------------------------------------------------------ traversal

    def next_position(self, w_key):
        """Position after w_key for `next` (-1: the key is not in the table).

        Positions 0..len(array)-1 are array slots, then hash positions."""
        if isinstance(w_key, W_Nil):
            return 0
        w_key = normalize_key(w_key)
        if isinstance(w_key, W_Integer):
            index = w_key.intval
            if 1 <= index <= len(self.array):
                return index
        position = self.hash_index.get(w_key, -1)
        if position < 0:
            return -1
        return len(self.array) + position + 1

    def entry_at_or_after(self, position):
        """First position >= `position` holding a non-nil value, or -1."""
        array_length = len(self.array)
        while position < array_length:
            if not isinstance(self.array[position], W_Nil):
                return position
            position += 1
        hash_position = position - array_length
        while hash_position < len(self.hash_keys):
            if not isinstance(self.hash_values[hash_position], W_Nil):
                return hash_position + array_length
            hash_position += 1
        return -1

    def key_at(self, position):
        if position < len(self.array):
            return w_int(position + 1)
        return self.hash_keys[position - len(self.array)]

    def value_at(self, position):
        if position < len(self.array):
            return self.array[position]
        return self.hash_values[position - len(self.array)]
