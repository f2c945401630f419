"""Lua values as RPython objects.

Every Lua value is a W_Object.  nil, true and false are singletons
(`w_nil`, `w_true`, `w_false`); integers are W_Integer (a machine int,
arithmetic wraps modulo 2^64 via r_uint), floats W_Float, strings W_String
(abstract: a W_PlainString holds an RPython byte string, a W_StringView
points into a larger one).  Tables live in table.py.  Functions are
W_Closure (a compiled Code plus its upvalue cells) or W_Builtin (an RPython
function `fn(interp, args) -> list of results`).  W_Userdata is the base for
library objects such as files.

`type_name` is what Lua's type() returns; `metatable` is looked up through
`interp.get_metatable`, because strings share one metatable.
"""
from rpython.rlib import jit
from rpython.rlib.rarithmetic import LONG_BIT
from rpython.rlib.objectmodel import compute_hash, compute_identity_hash


class W_Object(object):
    _attrs_ = []
    type_name = "?"

    def is_truthy(self):
        return True

    def repr_for_debug(self):
        return "<%s>" % self.type_name


class W_Nil(W_Object):
    _attrs_ = []
    type_name = "nil"

    def is_truthy(self):
        return False

    def repr_for_debug(self):
        return "nil"


class W_Boolean(W_Object):
    _attrs_ = ["value"]
    _immutable_fields_ = ["value"]
    type_name = "boolean"

    def __init__(self, value):
        self.value = value

    def is_truthy(self):
        return self.value

    def repr_for_debug(self):
        return "true" if self.value else "false"


# the only W_Nil: nil checks compare with it (`w is w_nil`), which a JIT
# trace does without guarding the class of w, as isinstance would
w_nil = W_Nil()
w_true = W_Boolean(True)
w_false = W_Boolean(False)


def w_bool(value):
    if value:
        return w_true
    return w_false


class W_Number(W_Object):
    _attrs_ = []
    type_name = "number"


class W_Integer(W_Number):
    _attrs_ = ["intval"]
    _immutable_fields_ = ["intval"]

    def __init__(self, intval):
        self.intval = intval

    def repr_for_debug(self):
        return str(self.intval)


class W_Float(W_Number):
    _attrs_ = ["floatval"]
    _immutable_fields_ = ["floatval"]

    def __init__(self, floatval):
        self.floatval = floatval

    def repr_for_debug(self):
        from targets.lua.luanumber import format_float
        return format_float(self.floatval)


class W_String(W_Object):
    """A Lua string, read with `as_str()` (an RPython string).  Abstract and
    without fields: a string is a W_PlainString (its bytes in `strval`) or
    a W_StringView (below, the bytes of a larger string, copied out once
    asked).  `isinstance(w, W_String)` means "a Lua string"."""
    _attrs_ = []
    type_name = "string"

    def as_str(self):
        raise NotImplementedError("abstract base class")

    def length(self):
        """len(as_str()), without making a view's copy."""
        raise NotImplementedError("abstract base class")

    def repr_for_debug(self):
        return self.as_str()


class W_PlainString(W_String):
    """A string that holds its bytes: 16 bytes, header and `strval`."""
    _attrs_ = ["strval"]
    # immutable, so a constant string's bytes are constant in JIT traces
    _immutable_fields_ = ["strval"]

    def __init__(self, strval):
        assert strval is not None
        self.strval = strval

    def as_str(self):
        return self.strval

    def length(self):
        return len(self.strval)


# a view packs its start and length into one word: SPAN_BITS bits each
SPAN_BITS = 32
SPAN_LIMIT = 1 << SPAN_BITS if LONG_BIT == 64 else 0


def view_fits(start, stop):
    """Can W_StringView(source, start, stop) be made (64-bit machines,
    offsets below 4 GB)?"""
    return stop < SPAN_LIMIT


class W_StringView(W_String):
    """A string that is the bytes source[start:stop] of a larger string
    kept alive anyway, copied out on first use (as_str): the strings of a
    decoded JSON document (json_builder.py) are such views into the
    document, so decoding costs no second copy of its text, and a string
    the script never looks into is never copied (the walk of a 30 MB
    document of records reads their numbers, not their bodies).  24 bytes:
    header, source and `span` = start << SPAN_BITS | length (no strval
    slot).  The copy replaces the source (start 0, the whole of it), so
    later uses find it there and the document is no longer kept alive by
    this view.
    As with V8's sliced strings, a view keeps its whole source alive until
    it is copied out."""
    _attrs_ = ["source", "span"]

    def __init__(self, source, start, stop):
        assert 0 <= start <= stop <= len(source) and view_fits(start, stop)
        self.source = source
        self.span = (start << SPAN_BITS) | (stop - start)

    @staticmethod
    def from_span(source, span):
        """The view of `source` whose `span` another view had."""
        assert source is not None
        w_view = W_StringView(source, 0, 0)
        w_view.span = span
        return w_view

    def length(self):
        return self.span & (SPAN_LIMIT - 1)

    def as_str(self):
        source = self.source
        span = self.span
        if span == len(source):         # start 0, the whole source
            return source
        return self.copy_out()

    @jit.dont_look_inside
    def copy_out(self):
        start = self.span >> SPAN_BITS
        stop = start + self.length()
        assert start >= 0 and stop >= start
        copy = self.source[start:stop]
        self.source = copy
        self.span = len(copy)
        return copy


class W_SharedStringView(W_StringView):
    """A view that the json decoder's value cache hands out for every
    occurrence of its string: tables keep it boxed, where a W_StringView
    made for one occurrence is a raw word of a W_PackedTable (the table
    makes a new view at each read)."""
    _attrs_ = []


class W_Function(W_Object):
    _attrs_ = []
    type_name = "function"

    def function_name(self):
        return "?"


class Cell(W_Object):
    """A captured local variable, shared by the frame and its closures.

    It is a W_Object only so that it can sit in a frame slot; Lua code
    never sees a Cell as a value."""
    _attrs_ = ["w_value"]
    type_name = "cell"

    def __init__(self, w_value):
        self.w_value = w_value


class W_Closure(W_Function):
    _attrs_ = ["code", "upvalues"]
    _immutable_fields_ = ["code", "upvalues[*]"]

    def __init__(self, code, upvalues):
        self.code = code
        self.upvalues = upvalues

    def function_name(self):
        return self.code.name


class W_Builtin(W_Function):
    """A function implemented in RPython: fn(interp, args) -> list."""
    _attrs_ = ["name", "fn"]
    _immutable_fields_ = ["name", "fn"]
    # Subclasses with state of their own (the iterators of gmatch, lines,
    # coroutine.wrap) override `invoke`; they still pass some builtin
    # function as `fn`, so that `fn` is always a function of one family.

    def __init__(self, name, fn):
        self.name = name
        self.fn = fn

    def invoke(self, interp, args):
        """Run the builtin; subclasses with state (iterators) override it."""
        return self.fn(interp, args)

    def function_name(self):
        return self.name


class W_Userdata(W_Object):
    _attrs_ = ["w_metatable"]
    type_name = "userdata"

    def __init__(self):
        self.w_metatable = None


def strings_equal(w_a, w_b):
    """Is w_b a string with w_a's bytes?  Lengths first: inline in a JIT
    trace (no call to compare the bytes of `key == "id"` for keys of other
    lengths), and a view of another length is not copied out."""
    return (isinstance(w_b, W_String) and w_a.length() == w_b.length() and
            w_a.as_str() == w_b.as_str())


def key_eq(w_a, w_b):
    """Raw equality of table keys (floats with integer values are
    normalized to integers before they become keys)."""
    if isinstance(w_a, W_String):
        return strings_equal(w_a, w_b)
    if isinstance(w_a, W_Integer):
        return isinstance(w_b, W_Integer) and w_a.intval == w_b.intval
    if isinstance(w_a, W_Float):
        return isinstance(w_b, W_Float) and w_a.floatval == w_b.floatval
    return w_a is w_b


def key_hash(w_a):
    if isinstance(w_a, W_String):
        return compute_hash(w_a.as_str())
    if isinstance(w_a, W_Integer):
        return compute_hash(w_a.intval)
    if isinstance(w_a, W_Float):
        return compute_hash(w_a.floatval)
    if isinstance(w_a, W_Boolean):
        return 1 if w_a.value else 0
    return compute_identity_hash(w_a)


# small integers are preallocated: loops and table indexing create many
_SMALL_INTS = [W_Integer(i) for i in range(-16, 1024)]


def w_int(value):
    # in a trace the cache would cost a guard and a memory read, and the
    # result could not stay virtual: allocate (the JIT removes the box)
    if not jit.we_are_jitted() and -16 <= value < 1024:
        return _SMALL_INTS[value + 16]
    return W_Integer(value)


def w_float(value):
    return W_Float(value)


def w_str(value):
    return W_PlainString(value)
