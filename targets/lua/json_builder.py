"""The Lua host of jsondecoder: decoded JSON values as Lua values.

* null -> `W_JSONNull`, the one `json.null` userdata (as lua-cjson's
  lightuserdata NULL, so a null array element keeps its slot);
* true/false -> the Lua booleans;
* numbers without fraction or exponent that fit 64 bits -> Lua integers
  (so that `json.encode` can print them back exactly); larger ones and all
  others -> Lua floats;
* strings and keys -> Lua strings (the UTF-8 bytes; Lua strings are bytes);
  a string of at least VIEW_MIN_BYTES that the document holds verbatim (no
  escapes) is a W_StringView into the document; one the value cache keeps
  (a W_SharedStringView) is copied out when the document is done
  (`settle_shared`);
* arrays -> sequence tables that own the decoder's exactly sized list;
* objects -> tables in the map strategy (`new_record`, packedtable.py, or
  `W_Table.from_map`, table.py): the decoder's JSONMap is the shared key
  layout; numbers and views made for one occurrence are raw words of a
  W_PackedTable, other values fields of the table.  Objects the decoder hands over as dicts (rare or huge key sets,
  duplicate keys) become tables with a hash part only (`W_Table.from_pairs`,
  so their varied key sets stay out of the map tree); for a duplicate key
  the last value wins, as when lua-cjson assigns the fields in order.  A
  few string keys take the pairs strategy, whose entries the builder's
  PairCache shares between the document's tables (keyvalue.py) and forgets
  when the document is done (`end_document`).

Keys are W_Strings created once per distinct key by the decoder's key cache
(`new_key`), so a map's `keys()[i].w_value` is the Lua key of position i.
"""
from rpython.rlib.rfloat import string_to_float

from jsondecoder.builder import JSONBuilder
from jsondecoder.scanner import text_slice
from targets.lua.objects import (W_Userdata, W_String, W_PlainString,
                                 W_StringView, W_SharedStringView, view_fits, W_Float, w_true,
                                 w_false, w_int)
from targets.lua.table import W_Table
from targets.lua.keyvalue import PairCache
from targets.lua.packedtable import new_record


# a shorter string is copied: a view (24 bytes) is smaller than a copy of
# any length (48 bytes from 1 to 7 bytes), but a string of one to three
# bytes is likely a code or flag, compared or made a key (which copies it
# out), so it stays a copy
VIEW_MIN_BYTES = 4


class W_JSONNull(W_Userdata):
    """The type of `json.null` (one instance)."""
    _attrs_ = []


w_json_null = W_JSONNull()


class LuaJSONBuilder(JSONBuilder):
    """Builds Lua values (W_Objects) for the decoder."""

    def __init__(self):
        self.pair_cache = None      # made for the first dict object

    def new_null(self):
        return w_json_null

    def new_true(self):
        return w_true

    def new_false(self):
        return w_false

    def new_int(self, value):
        return w_int(value)

    def new_bigint(self, digits):
        return W_Float(string_to_float(digits))

    def new_float(self, value):
        return W_Float(value)

    def new_string(self, utf8, code_points):
        return W_PlainString(utf8)

    def new_string_in(self, text, start, end, code_points):
        if end - start >= VIEW_MIN_BYTES and view_fits(start, end):
            return W_StringView(text, start, end)
        return W_PlainString(text_slice(text, start, end))

    def new_shared_string_in(self, text, start, end, code_points):
        if end - start >= VIEW_MIN_BYTES and view_fits(start, end):
            return W_SharedStringView(text, start, end)
        return W_PlainString(text_slice(text, start, end))

    def settle_shared(self, w_string):
        # a view copies its bytes out, so the cache keeps no document alive
        assert isinstance(w_string, W_String)
        w_string.as_str()

    def new_key(self, utf8, code_points):
        return W_PlainString(utf8)

    def new_array(self, items_w):
        return W_Table.from_array(items_w)

    def new_map_object(self, jsonmap, values_w):
        return new_record(jsonmap, values_w)

    def new_dict_object(self, keys_w, values_w):
        pair_cache = self.pair_cache
        if pair_cache is None:
            pair_cache = self.pair_cache = PairCache()
        return W_Table.from_pairs(keys_w, values_w, pair_cache)

    def end_document(self):
        if self.pair_cache is not None:
            self.pair_cache.forget()
