"""The `json` module (also `require "cjson"`): lua-cjson's API on jsondecoder.

    local json = require "cjson"        -- or "json"
    local value = json.decode(text)      -- objects: map-backed tables
    local text = json.encode(value)

Functions, as lua-cjson 2.1.0 documents them: decode, encode, null, new,
decode_max_depth, encode_max_depth, encode_sparse_array,
encode_number_precision, encode_invalid_numbers, decode_invalid_numbers,
encode_keep_buffer, _NAME, _VERSION.  Every option function sets its
option when given an argument and returns the current setting(s); each
module table (`json.new()` makes another) has its own options.

Decoding goes through one `jsondecoder.JSONDecoder` per interpreter, so the
map tree (the shared key layouts of decoded objects, see table.py) is shared
by every document.  Malformed input raises the decoder's message, which has
the byte offset and line:column ("expected ',' or ']' after an array
element, found end of input ... at byte 5 (line 1, column 6)").

Encoding follows lua-cjson:
* a table is an array when all its keys are positive integers; holes are
  encoded as null.  An array with more than `safe` (10) slots of which more
  than 1/`ratio` (1/2) are holes is "excessively sparse": an error, or an
  object when `encode_sparse_array(true)` was set.  Any other table
  (including the empty one) is an object; its number keys become strings
  and other keys are rejected ("Cannot serialise boolean: table key must be
  a number or string").  Key order is the table's `pairs` order.
* strings: `"`, `\\`, `/`, DEL and control characters are escaped (the
  RFC 8259 escapes, plus `\\/` and `\\u007f` as lua-cjson does); other
  bytes are copied.
* nesting deeper than encode_max_depth (1000) is an error, which is how a
  cycle ends: "Cannot serialise, excessive nesting (1001)".
* NaN and infinities are an error unless `encode_invalid_numbers` is on
  ("nan", "inf") or "null".

Known differences from Debian's lua-cjson 2.1.0 (which sees every number as a
C double): integral JSON numbers that fit 64 bits decode to Lua integers and
integers encode exactly ("%d"); floats encode in the shortest form that reads
back as the same float, with ".0" when integral (so they decode as floats
again).  That is precision 17, the default reported by
`encode_number_precision()`; an explicit precision 1..14 prints "%.<p>g" as
lua-cjson does.  `decode_invalid_numbers` accepts NaN, Infinity and
-Infinity, not hexadecimal numbers.  Decode errors have the decoder's wording
(with line:column) instead of lua-cjson's "... at character N".
"""
import math

from rpython.rlib.rfloat import formatd, DTSF_ADD_DOT_0
from rpython.rlib.rstring import StringBuilder

from jsondecoder import JSONDecoder, DecoderOptions, JSONDecodeError
from targets.lua import arguments as argcheck
from targets.lua.arguments import arg_error
from targets.lua.errors import LuaRuntimeError
from targets.lua.json_builder import LuaJSONBuilder, W_JSONNull, w_json_null
from targets.lua.objects import (W_Builtin, W_Nil, W_Boolean, W_Integer,
                                 W_Float, W_String, W_PlainString, W_Number,
                                 w_nil, w_bool, w_int)
from targets.lua.table import MAP_TREE, W_Table

MODULE_NAME = "cjson"
MODULE_VERSION = "2.1.0"
INT_MAX = 2147483647
ROUND_TRIP_PRECISION = 17

INVALID_NUMBERS_OFF = 0
INVALID_NUMBERS_ON = 1
INVALID_NUMBERS_NULL = 2
BOOL_OPTIONS = ["off", "on"]
INVALID_NUMBER_OPTIONS = ["off", "on", "null"]


class JSONConfig(object):
    """The options of one module table (lua-cjson's defaults)."""

    def __init__(self):
        self.encode_sparse_convert = False
        self.encode_sparse_ratio = 2
        self.encode_sparse_safe = 10
        self.encode_max_depth = 1000
        self.decode_max_depth = 1000
        self.encode_number_precision = ROUND_TRIP_PRECISION
        self.encode_invalid_numbers = INVALID_NUMBERS_OFF
        self.decode_invalid_numbers = True
        self.encode_keep_buffer = True


class JSONState(object):
    """Per interpreter: the decoder (its map tree lives as long as it)."""

    def __init__(self):
        # the tables' map tree: decoded and Lua-built records share maps
        self.decoder = JSONDecoder(LuaJSONBuilder(), DecoderOptions(),
                                   MAP_TREE)


def json_state(interp):
    state = interp.json_state
    if state is None:
        state = JSONState()
        interp.json_state = state
    return state


class W_JSONFunction(W_Builtin):
    """A function of one module table: `fn(interp, config, args)`."""
    _attrs_ = ["config", "json_fn"]
    _immutable_fields_ = ["config", "json_fn"]

    def __init__(self, name, json_fn, config):
        W_Builtin.__init__(self, MODULE_NAME + "." + name, lua_json_dispatch)
        self.config = config
        self.json_fn = json_fn

    def invoke(self, interp, args):
        return self.json_fn(interp, self.config, args)


def lua_json_dispatch(interp, args):
    raise LuaRuntimeError("json function called without its module")


# ------------------------------------------------------------------ decode

def json_decode(interp, config, args):
    if len(args) != 1:
        raise arg_error(0, "cjson.decode", "expected 1 argument")
    text = argcheck.check_string(args, 0, "cjson.decode")
    decoder = json_state(interp).decoder
    decoder.options.max_depth = config.decode_max_depth
    decoder.options.allow_nonfinite = config.decode_invalid_numbers
    try:
        w_value = decoder.decode(text)
    except JSONDecodeError as e:
        raise LuaRuntimeError(e.format())
    return [w_value]


# ------------------------------------------------------------------ encode

ESCAPES = {'"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f',
           '\n': '\\n', '\r': '\\r', '\t': '\\t'}
HEX = "0123456789abcdef"


def needs_escape(c):
    return c < ' ' or c == '"' or c == '\\' or c == '/' or c == '\x7f'


def append_string(builder, text):
    builder.append('"')
    start = 0
    for i in range(len(text)):
        c = text[i]
        if needs_escape(c):
            builder.append_slice(text, start, i)
            escape = ESCAPES.get(c, None)
            if escape is None:
                code = ord(c)
                builder.append("\\u00")
                builder.append(HEX[code >> 4])
                builder.append(HEX[code & 0xF])
            else:
                builder.append(escape)
            start = i + 1
    builder.append_slice(text, start, len(text))
    builder.append('"')


def format_number(config, w_number):
    """The JSON text of a number (errors for NaN and infinities unless
    encode_invalid_numbers allows them)."""
    if isinstance(w_number, W_Integer):
        return str(w_number.intval)
    assert isinstance(w_number, W_Float)
    value = w_number.floatval
    if math.isnan(value) or math.isinf(value):
        setting = config.encode_invalid_numbers
        if setting == INVALID_NUMBERS_OFF:
            raise LuaRuntimeError("Cannot serialise number: must not be NaN "
                                  "or Inf")
        if setting == INVALID_NUMBERS_NULL:
            return "null"
        if math.isnan(value):
            return "nan"
        if value > 0.0:
            return "inf"
        return "-inf"
    if config.encode_number_precision == ROUND_TRIP_PRECISION:
        return formatd(value, 'r', 0, DTSF_ADD_DOT_0)
    return formatd(value, 'g', config.encode_number_precision)


def serialise_error(w_value, reason):
    return LuaRuntimeError("Cannot serialise %s: %s" % (w_value.type_name,
                                                         reason))


def array_length(config, w_table):
    """lua-cjson's rule: the largest key if all keys are positive integers
    and the array is not excessively sparse; 0 for the empty table; -1 for
    an object."""
    largest = 0
    items = 0
    position = w_table.entry_at_or_after(0)
    while position >= 0:
        w_key = w_table.key_at(position)
        if not isinstance(w_key, W_Integer) or w_key.intval < 1:
            return -1
        if w_key.intval > largest:
            largest = w_key.intval
        items += 1
        position = w_table.entry_at_or_after(position + 1)
    ratio = config.encode_sparse_ratio
    if (ratio > 0 and largest > items * ratio and
            largest > config.encode_sparse_safe):
        if not config.encode_sparse_convert:
            raise serialise_error(w_table, "excessively sparse array")
        return -1
    return largest


class Encoder(object):
    def __init__(self, config):
        self.config = config
        self.builder = StringBuilder()

    def encode(self, w_value, depth):
        builder = self.builder
        if isinstance(w_value, W_String):
            append_string(builder, w_value.as_str())
        elif isinstance(w_value, W_Number):
            builder.append(format_number(self.config, w_value))
        elif isinstance(w_value, W_Table):
            self.encode_table(w_value, depth + 1)
        elif isinstance(w_value, W_Boolean):
            builder.append("true" if w_value.value else "false")
        elif isinstance(w_value, W_Nil) or isinstance(w_value, W_JSONNull):
            builder.append("null")
        else:
            raise serialise_error(w_value, "type not supported")

    def encode_table(self, w_table, depth):
        if depth > self.config.encode_max_depth:
            raise LuaRuntimeError("Cannot serialise, excessive nesting (%d)"
                                  % depth)
        length = array_length(self.config, w_table)
        builder = self.builder
        if length > 0:
            builder.append("[")
            for index in range(1, length + 1):
                if index > 1:
                    builder.append(",")
                self.encode(w_table.get_int(index), depth)
            builder.append("]")
            return
        builder.append("{")
        first = True
        position = w_table.entry_at_or_after(0)
        while position >= 0:
            w_key = w_table.key_at(position)
            if not first:
                builder.append(",")
            first = False
            if isinstance(w_key, W_String):
                append_string(builder, w_key.as_str())
            elif isinstance(w_key, W_Number):
                builder.append('"')
                builder.append(format_number(self.config, w_key))
                builder.append('"')
            else:
                raise serialise_error(w_key, "table key must be a number or "
                                      "string")
            builder.append(":")
            self.encode(w_table.value_at(position), depth)
            position = w_table.entry_at_or_after(position + 1)
        builder.append("}")


def encode_value(config, w_value):
    """The JSON text of a Lua value (LuaRuntimeError if it has none)."""
    encoder = Encoder(config)
    encoder.encode(w_value, 0)
    return encoder.builder.build()


def json_encode(interp, config, args):
    if len(args) != 1:
        raise arg_error(0, "cjson.encode", "expected 1 argument")
    return [W_PlainString(encode_value(config, args[0]))]


# ----------------------------------------------------------------- options

def integer_option(args, index, fname, current, low, high):
    """lua-cjson's integer option: the new value (or `current`)."""
    if isinstance(argcheck.get(args, index), W_Nil):
        return current
    value = argcheck.check_int(args, index, fname)
    if not (low <= value <= high):
        raise arg_error(index, fname, "expected integer between %d and %d"
                        % (low, high))
    return value


def enum_option(args, index, fname, current, options, boolean_allowed):
    """lua-cjson's enumerated option: booleans (when allowed) are 0 and 1,
    strings name an option; the new setting (or `current`)."""
    w_value = argcheck.get(args, index)
    if isinstance(w_value, W_Nil):
        return current
    if boolean_allowed and isinstance(w_value, W_Boolean):
        return 1 if w_value.value else 0
    name = argcheck.check_string(args, index, fname)
    for i in range(len(options)):
        if options[i] == name:
            return i
    raise arg_error(index, fname, "invalid option '%s'" % name)


def enum_result(setting, options):
    if setting == 0 or setting == 1:
        return w_bool(setting == 1)
    return W_PlainString(options[setting])


def json_encode_sparse_array(interp, config, args):
    fname = "cjson.encode_sparse_array"
    convert = enum_option(args, 0, fname, int(config.encode_sparse_convert),
                          BOOL_OPTIONS, True)
    ratio = integer_option(args, 1, fname, config.encode_sparse_ratio, 0,
                           INT_MAX)
    safe = integer_option(args, 2, fname, config.encode_sparse_safe, 0,
                          INT_MAX)
    config.encode_sparse_convert = convert == 1
    config.encode_sparse_ratio = ratio
    config.encode_sparse_safe = safe
    return [w_bool(convert == 1), w_int(ratio), w_int(safe)]


def json_encode_max_depth(interp, config, args):
    config.encode_max_depth = integer_option(
        args, 0, "cjson.encode_max_depth", config.encode_max_depth, 1, INT_MAX)
    return [w_int(config.encode_max_depth)]


def json_decode_max_depth(interp, config, args):
    config.decode_max_depth = integer_option(
        args, 0, "cjson.decode_max_depth", config.decode_max_depth, 1, INT_MAX)
    return [w_int(config.decode_max_depth)]


def json_encode_number_precision(interp, config, args):
    config.encode_number_precision = integer_option(
        args, 0, "cjson.encode_number_precision",
        config.encode_number_precision, 1, ROUND_TRIP_PRECISION)
    return [w_int(config.encode_number_precision)]


def json_encode_invalid_numbers(interp, config, args):
    config.encode_invalid_numbers = enum_option(
        args, 0, "cjson.encode_invalid_numbers", config.encode_invalid_numbers,
        INVALID_NUMBER_OPTIONS, True)
    return [enum_result(config.encode_invalid_numbers, INVALID_NUMBER_OPTIONS)]


def json_decode_invalid_numbers(interp, config, args):
    setting = enum_option(args, 0, "cjson.decode_invalid_numbers",
                          int(config.decode_invalid_numbers), BOOL_OPTIONS,
                          True)
    config.decode_invalid_numbers = setting == 1
    return [w_bool(setting == 1)]


def json_encode_keep_buffer(interp, config, args):
    setting = enum_option(args, 0, "cjson.encode_keep_buffer",
                          int(config.encode_keep_buffer), BOOL_OPTIONS, True)
    config.encode_keep_buffer = setting == 1
    return [w_bool(setting == 1)]


def json_new(interp, config, args):
    return [new_module_table()]


FUNCTIONS = [
    ("decode", json_decode),
    ("encode", json_encode),
    ("new", json_new),
    ("encode_sparse_array", json_encode_sparse_array),
    ("encode_max_depth", json_encode_max_depth),
    ("decode_max_depth", json_decode_max_depth),
    ("encode_number_precision", json_encode_number_precision),
    ("encode_invalid_numbers", json_encode_invalid_numbers),
    ("decode_invalid_numbers", json_decode_invalid_numbers),
    ("encode_keep_buffer", json_encode_keep_buffer),
]


def new_module_table():
    """A module table with its own options (what `json.new()` returns)."""
    config = JSONConfig()
    w_module = W_Table()
    for name, fn in FUNCTIONS:
        w_module.set_str(name, W_JSONFunction(name, fn, config))
    w_module.set_str("null", w_json_null)
    w_module.set_str("_NAME", W_PlainString(MODULE_NAME))
    w_module.set_str("_VERSION", W_PlainString(MODULE_VERSION))
    return w_module


def install(interp):
    """`require "cjson"` and `require "json"` give the same module table."""
    w_module = new_module_table()
    interp.w_loaded.set_str("cjson", w_module)
    interp.w_loaded.set_str("json", w_module)
