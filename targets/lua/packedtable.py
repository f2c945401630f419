"""Decoded records with their numbers and strings stored unboxed.

A JSON record's values are mostly numbers and strings seen once: yelp's
latitude and longitude, its business_id, name, address and categories.
In a W_InlineTable (table.py) each costs a field plus its box: 8 + 16
bytes for a number (W_Integer, W_Float), 8 + 24 for a string that is a
view into the document (W_StringView).  A W_PackedTable keeps such values
as one raw word each: the integer, the float's bits, or the view's span
(start << SPAN_BITS | length), with the document itself in one `source`
field shared by the table's views.  A yelp record then takes 144 bytes
instead of 256.  This is the unboxing PyPy's map dicts do for ints and
floats, and V8's for double fields, applied to string slices as well.

Which value is where is the table's `layout`, a RecordLayout interned by
its kinds (one per key: KIND_OBJECT, _INT, _FLOAT, _VIEW), so records of
the same shape share it and a JIT trace promotes it: `t.name` is then a
guard on the class, the map and the layout, a field read, and a box the
trace usually keeps virtual.  Only values whose identity nobody else
holds are unboxed: numbers (a Lua number has no identity) and the views
the decoder makes for one occurrence (exactly W_StringView; the value
cache's shared strings are W_SharedStringView objects and stay boxed).

Each read of a view slot makes a new view, and a use of its bytes copies
them out of that view (`as_str`), so the table keeps no copy: a record
whose strings a script never looks into costs nothing more.  Assigning a
raw slot a value of its kind stays unboxed; any other value first
`spill`s the table: every value is boxed into `array`, the layout becomes
SPILLED (all values in `array`, as a W_Table of more than
MAX_INLINE_VALUES keys) and the table forgets its source.
"""
from rpython.rlib import jit
from rpython.rlib.longlong2float import float2longlong, longlong2float
from rpython.rlib.rarithmetic import intmask, r_int64
from rpython.rlib.unroll import unrolling_iterable

from targets.lua.objects import (W_Integer, W_Float, W_StringView, w_int,
                                 view_fits)
from targets.lua.table import W_Table, MAX_INLINE_VALUES

KIND_OBJECT = 0
KIND_INT = 1
KIND_FLOAT = 2
KIND_VIEW = 3
KIND_BITS = 2
# a record unboxes at most this many values (the rest stay boxed): one
# table class per count of boxed and unboxed fields
MAX_RAW_VALUES = 8
# unboxing pays for the layout and source fields from this many values
MIN_RAW_VALUES = 2


class RecordLayout(object):
    """Where each value of a packed table is: kinds[i] is value i's kind,
    slots[i] its field among the boxed (KIND_OBJECT) or the raw ones."""
    _immutable_fields_ = ["kinds[*]", "slots[*]", "spilled"]

    def __init__(self, kinds, spilled=False):
        self.kinds = kinds[:]       # (a copy: the caller's list changes)
        self.spilled = spilled
        slots = [0] * len(kinds)
        boxed = raw = 0
        for i in range(len(kinds)):
            if kinds[i] == KIND_OBJECT:
                slots[i] = boxed
                boxed += 1
            else:
                slots[i] = raw
                raw += 1
        self.slots = slots[:]
        self.boxed_count = boxed
        self.raw_count = raw


# the layout of a table whose values were all moved into `array`
SPILLED = RecordLayout([], spilled=True)


class LayoutCache(object):
    """The RecordLayouts by code (kinds, KIND_BITS each, and the count)."""

    def __init__(self):
        self.layouts = {}
        # the last one asked for: the records of an array mostly repeat it
        self.last_code = -1
        self.last_layout = SPILLED

    def layout_for(self, kinds):
        code = len(kinds)
        for kind in kinds:
            code = (code << KIND_BITS) | kind
        if code == self.last_code:
            return self.last_layout
        layout = self.layouts.get(code, None)
        if layout is None:
            layout = self.layouts[code] = RecordLayout(kinds)
        self.last_code = code
        self.last_layout = layout
        return layout


LAYOUTS = LayoutCache()


def make_packed_table_class(boxed_count, raw_count):
    """W_Table with `boxed_count` W_Object fields and `raw_count` raw
    words for the values of a map (W_PackedTable<boxed>_<raw>)."""
    count = boxed_count + raw_count
    boxed_names = unrolling_iterable(
        list(enumerate(["boxed%d" % i for i in range(boxed_count)])))
    raw_names = unrolling_iterable(
        list(enumerate(["raw%d" % i for i in range(raw_count)])))

    class W_PackedTable(W_Table):
        _attrs_ = (["boxed%d" % i for i in range(boxed_count)] +
                   ["raw%d" % i for i in range(raw_count)] +
                   ["layout", "source"])

        def __init__(self, layout, source, values_w):
            W_Table.__init__(self)
            self.layout = layout
            self.source = source
            for i in range(count):
                self.store(layout.kinds[i], layout.slots[i], values_w[i])

        def store(self, kind, slot, w_value):
            """Put w_value (of `kind`) in its field `slot`."""
            if kind == KIND_OBJECT:
                self.set_boxed(slot, w_value)
            elif kind == KIND_INT:
                assert isinstance(w_value, W_Integer)
                self.set_raw(slot, w_value.intval)
            elif kind == KIND_FLOAT:
                assert isinstance(w_value, W_Float)
                self.set_raw(slot, intmask(float2longlong(w_value.floatval)))
            else:
                assert isinstance(w_value, W_StringView)
                self.set_raw(slot, w_value.span)

        def get_boxed(self, slot):
            for i, name in boxed_names:
                if i == slot:
                    return getattr(self, name)
            raise AssertionError("no boxed field %d" % slot)

        def set_boxed(self, slot, w_value):
            for i, name in boxed_names:
                if i == slot:
                    setattr(self, name, w_value)
                    return
            raise AssertionError("no boxed field %d" % slot)

        def get_raw(self, slot):
            for i, name in raw_names:
                if i == slot:
                    return getattr(self, name)
            raise AssertionError("no raw field %d" % slot)

        def set_raw(self, slot, word):
            for i, name in raw_names:
                if i == slot:
                    setattr(self, name, word)
                    return
            raise AssertionError("no raw field %d" % slot)

        def inline_count(self):
            if jit.promote(self.layout).spilled:
                return 0
            return count

        @jit.look_inside_iff(lambda self, index: jit.isconstant(index))
        def map_value(self, index):
            layout = jit.promote(self.layout)
            if layout.spilled:
                return self.array[index]
            if index >= count:
                return self.array[index - count]
            kind = layout.kinds[index]
            slot = layout.slots[index]
            if kind == KIND_OBJECT:
                return self.get_boxed(slot)
            word = self.get_raw(slot)
            if kind == KIND_INT:
                return w_int(word)
            if kind == KIND_FLOAT:
                return W_Float(longlong2float(r_int64(word)))
            return W_StringView.from_span(self.source, word)

        @jit.look_inside_iff(lambda self, index, w_value: jit.isconstant(index))
        def set_map_value(self, index, w_value):
            layout = jit.promote(self.layout)
            if layout.spilled:
                self.array[index] = w_value
                return
            if index >= count:
                self.array[index - count] = w_value
                return
            kind = layout.kinds[index]
            if (kind == KIND_OBJECT or
                    (kind == KIND_INT and isinstance(w_value, W_Integer)) or
                    (kind == KIND_FLOAT and isinstance(w_value, W_Float))):
                self.store(kind, layout.slots[index], w_value)
                return
            self.spill()
            self.array[index] = w_value

        @jit.dont_look_inside
        def spill(self):
            """Box every value into `array` (the map's values in order)."""
            overflow_w = self.array
            values_w = [None] * (count + len(overflow_w))
            for i in range(count):
                values_w[i] = self.map_value(i)
            for i in range(len(overflow_w)):
                values_w[count + i] = overflow_w[i]
            self.array = values_w
            self.clear_inline_values()

        def clear_inline_values(self):
            for i, name in boxed_names:
                setattr(self, name, None)
            self.layout = SPILLED
            self.source = None

    W_PackedTable.__name__ = "W_PackedTable%d_%d" % (boxed_count, raw_count)

    def make(layout, source, values_w):
        return W_PackedTable(layout, source, values_w)
    return make


def packed_makers():
    """PACKED_MAKERS[raw - 1][boxed](layout, source, values_w)."""
    makers = []
    for raw in range(1, MAX_RAW_VALUES + 1):
        makers.append([make_packed_table_class(boxed, raw)
                       for boxed in range(MAX_INLINE_VALUES - raw + 1)])
    return makers


PACKED_MAKERS = packed_makers()


def value_kind(w_value, source):
    """The kind value w_value is stored as in a table whose views are into
    `source` (None: no view seen yet)."""
    if isinstance(w_value, W_Integer):
        return KIND_INT
    if isinstance(w_value, W_Float):
        return KIND_FLOAT
    if (type(w_value) is W_StringView and
            (source is None or w_value.source is source)):
        return KIND_VIEW
    return KIND_OBJECT


@jit.dont_look_inside
def new_record(jsonmap, values_w):
    """The table of a decoded JSON object: a W_PackedTable when at least
    MIN_RAW_VALUES of its values can be unboxed, else W_Table.from_map."""
    count = len(values_w)
    if count > MAX_INLINE_VALUES:
        return W_Table.from_map(jsonmap, values_w)
    kinds = [KIND_OBJECT] * count
    source = None
    raw = 0
    for i in range(count):
        if raw == MAX_RAW_VALUES:
            break
        w_value = values_w[i]
        kind = value_kind(w_value, source)
        if kind == KIND_VIEW:
            assert isinstance(w_value, W_StringView)
            source = w_value.source
        if kind != KIND_OBJECT:
            kinds[i] = kind
            raw += 1
    if raw < MIN_RAW_VALUES:
        return W_Table.from_map(jsonmap, values_w)
    layout = LAYOUTS.layout_for(kinds)
    w_table = PACKED_MAKERS[raw - 1][count - raw](layout, source, values_w)
    w_table.keyed_part = jsonmap
    return w_table
