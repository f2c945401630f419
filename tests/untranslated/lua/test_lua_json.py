"""The `json` module (lib_json.py), its builder (json_builder.py) and the map
strategy of tables (table.py), untranslated."""
import pytest

from jsondecoder import JSONDecoder
from targets.lua.json_builder import LuaJSONBuilder, w_json_null
from targets.lua.lib_json import JSONConfig, encode_value
from targets.lua.objects import (W_String, W_PlainString, W_StringView,
                                 W_Integer, W_Float, w_int, w_true, w_nil)
from targets.lua.table import W_Table
from targets.lua.errors import LuaRuntimeError

from lua_helpers import output_of, error_of


def decode(text):
    return JSONDecoder(LuaJSONBuilder()).decode(text)


def keys_in_pairs_order(w_table):
    keys = []
    position = w_table.entry_at_or_after(0)
    while position >= 0:
        w_key = w_table.key_at(position)
        keys.append(w_key.as_str() if isinstance(w_key, W_String) else w_key.intval)
        position = w_table.entry_at_or_after(position + 1)
    return keys


# ------------------------------------------------------------------ builder

def test_builder_makes_lua_scalars():
    w_array = decode('[null, true, 7, -0, 2.5, 1e2, 123456789012345678901, "s\\u00e9"]')
    items = [w_array.get_int(i) for i in range(1, 9)]
    assert items[0] is w_json_null
    assert items[1] is w_true
    assert isinstance(items[2], W_Integer) and items[2].intval == 7
    assert isinstance(items[3], W_Integer) and items[3].intval == 0
    assert isinstance(items[4], W_Float) and items[4].floatval == 2.5
    assert isinstance(items[5], W_Float) and items[5].floatval == 100.0
    assert isinstance(items[6], W_Float) and items[6].floatval == 123456789012345678901.0
    assert items[7].as_str() == "s\xc3\xa9"


def test_verbatim_strings_are_views_into_the_document_until_used():
    text = '["a long string here", "abc", "esc\\n ape \\u00e9 string"]'
    w_array = decode(text)
    w_long, w_short, w_escaped = [w_array.get_int(i) for i in (1, 2, 3)]
    assert type(w_long) is W_StringView and w_long.source is text
    assert w_long.source is text            # nothing copied yet
    assert type(w_short) is W_PlainString and w_short.as_str() == "abc"
    assert type(w_escaped) is W_PlainString and w_escaped.as_str() == "esc\n ape \xc3\xa9 string"
    assert w_long.length() == len("a long string here") and w_long.source is text
    assert w_long.as_str() == "a long string here"
    # copied out once, in place of the document
    assert w_long.source == "a long string here" and w_long.source is not text
    assert w_long.as_str() is w_long.source


def instance_fields(cls, entry_point):
    """The fields an instance of `cls` has once rtyped (its class's and
    its bases'), without the type pointer that the GC header replaces."""
    from rpython.translator.translator import TranslationContext
    from rpython.rtyper.rclass import getinstancerepr
    t = TranslationContext()
    t.buildannotator().build_types(entry_point, [int])
    t.buildrtyper().specialize()
    classdef = t.annotator.bookkeeper.getuniqueclassdef(cls)
    STRUCT = getinstancerepr(t.rtyper, classdef).lowleveltype.TO
    fields = []
    while STRUCT is not None:
        fields += [name for name in STRUCT._names
                   if name not in ("super", "typeptr")]
        STRUCT = getattr(STRUCT, "super", None)
    return sorted(fields)


def test_a_view_has_no_strval_slot():
    def make_strings(n):
        w_plain = W_PlainString("plain %d" % n)
        w_view = W_StringView("some document text", 0, n)
        return len(w_plain.as_str()) + len(w_view.as_str()) + w_view.length()
    # 24 bytes with the GC header, a plain string 16
    assert instance_fields(W_StringView, make_strings) == ["inst_source", "inst_span"]
    assert instance_fields(W_PlainString, make_strings) == ["inst_strval"]
    assert W_String._attrs_ == []


def test_a_copied_out_view_stays_equal_to_the_plain_string():
    from targets.lua.objects import key_eq, key_hash
    text = '["a long string here", "a long string here"]'
    w_array = decode(text)
    w_view, w_other = w_array.get_int(1), w_array.get_int(2)
    w_plain = W_PlainString("a long string here")
    assert isinstance(w_view, W_StringView) and isinstance(w_other, W_StringView)
    assert key_eq(w_view, w_plain) and key_eq(w_plain, w_view)
    assert key_hash(w_view) == key_hash(w_plain)
    assert w_view.as_str() == "a long string here"
    assert w_view.as_str() is w_view.as_str()     # copied out once
    assert w_view.source is not text and w_view.length() == 18
    assert key_eq(w_view, w_plain) and key_eq(w_view, w_other)
    assert key_hash(w_view) == key_hash(w_plain) == key_hash(w_other)
    w_table = W_Table()
    w_table.set(w_plain, w_int(1))
    assert w_table.get(w_view).intval == 1 and w_table.get(w_other).intval == 1
    w_table.set(w_other, w_int(2))
    assert w_table.get(w_plain).intval == 2


def test_field_strings_are_views_once_the_value_cache_gives_up_on_the_field():
    text = "[%s]" % ", ".join('{"body": "body number %d"}' % i for i in range(1000))
    w_array = decode(text)
    bodies = [w_array.get_int(i).get_str("body") for i in range(1, 1001)]
    # each body is seen once: while the cache probes the field it keeps
    # their bytes, not a host object, so all are views made for them alone
    assert all(type(w_body) is W_StringView and w_body.source is text for w_body in bodies)
    assert [w_body.as_str() for w_body in bodies] == ["body number %d" % i for i in range(1000)]


def test_cached_field_strings_keep_no_document_alive():
    text = "[%s]" % ", ".join('{"kind": "kind %d"}' % (i % 3) for i in range(30))
    w_array = decode(text)
    kinds = [w_array.get_int(i).get_str("kind") for i in range(1, 31)]
    # first sightings are views of the document; the second makes the
    # shared string, copied out when the document is done
    assert kinds[6] is kinds[3] and kinds[7] is kinds[4] and kinds[3] is not kinds[0]
    assert all(type(w) is W_StringView and w.source is text for w in kinds[:3])
    assert all(isinstance(w, W_StringView) and w.source == w.as_str() for w in kinds[3:])
    assert [w.as_str() for w in kinds] == ["kind %d" % (i % 3) for i in range(30)]


@pytest.mark.parametrize("snippet, expected", [
    ('local json = require("json") local s = json.decode(\'["hello world!"]\')[1] print(#s, s, s:upper())', "12\thello world!\tHELLO WORLD!\n"),
    ('local json = require("json") local s = json.decode(\'["hello world!"]\')[1] print(s == "hello world!", s .. "?", s < "i")', "true\thello world!?\ttrue\n"),
    ('local json = require("json") local t = {} t[json.decode(\'["key of a table"]\')[1]] = 1 print(t["key of a table"])', "1\n"),
    ('local json = require("json") local d = json.decode(\'{"k": "nested value string"}\') print(json.encode(d), d.k:find("value"))', '{"k":"nested value string"}\t8\t12\n'),
])
def test_string_views_behave_as_lua_strings(snippet, expected):
    assert output_of(snippet) == expected


def test_decoded_object_is_map_backed_and_arrays_are_sequences():
    w_value = decode('{"id": 1, "tags": ["a", "b"], "empty": {}}')
    assert w_value.is_map_backed()
    assert w_value.get(W_PlainString("id")).intval == 1
    w_tags = w_value.get(W_PlainString("tags"))
    assert not w_tags.is_map_backed() and w_tags.length() == 2
    assert w_value.get(W_PlainString("missing")) is w_nil
    assert w_value.get(w_int(1)) is w_nil
    assert w_value.length() == 0


def test_records_of_one_shape_share_one_map():
    w_array = decode('[{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5, "b": 6}]')
    maps = [w_array.get_int(i).map_part() for i in range(1, 4)]
    assert maps[0] is maps[1] is maps[2]
    assert maps[0].index_of("b") == 1


def test_duplicate_keys_give_an_ordinary_table_where_the_last_value_wins():
    w_value = decode('{"a": 1, "b": 2, "a": 3}')
    assert not w_value.is_map_backed()
    assert w_value.get(W_PlainString("a")).intval == 3
    assert keys_in_pairs_order(w_value) == ["a", "b"]


# ---------------------------------------------------- table strategy changes

def test_assigning_an_existing_key_stays_in_the_map_strategy():
    w_value = decode('{"a": 1, "b": 2}')
    w_value.set(W_PlainString("b"), w_int(20))
    assert w_value.is_map_backed()
    assert w_value.get(W_PlainString("b")).intval == 20


def test_new_string_key_moves_to_the_child_map_keeping_order():
    w_value = decode('{"a": 1, "b": 2}')
    jsonmap = w_value.map_part()
    w_value.set(W_PlainString("c"), w_int(3))
    assert w_value.is_map_backed()
    assert w_value.map_part().parent is jsonmap
    assert keys_in_pairs_order(w_value) == ["a", "b", "c"]
    assert w_value.get(W_PlainString("a")).intval == 1
    # the shared map is unchanged: other records still use it
    assert jsonmap.index_of("c") == -1


def test_deleting_a_key_leaves_the_map_strategy():
    w_value = decode('{"a": 1, "b": 2, "c": 3}')
    w_value.set(W_PlainString("b"), w_nil)
    assert not w_value.is_map_backed()
    assert keys_in_pairs_order(w_value) == ["a", "c"]
    assert w_value.get(W_PlainString("b")) is w_nil


def test_assigning_nil_to_an_absent_key_changes_nothing():
    w_value = decode('{"a": 1}')
    w_value.set(W_PlainString("zz"), w_nil)
    w_value.set(w_int(1), w_nil)
    assert w_value.is_map_backed()


def test_non_string_key_leaves_the_map_strategy():
    w_value = decode('{"a": 1}')
    w_value.set(w_int(1), W_PlainString("one"))
    assert not w_value.is_map_backed()
    assert w_value.length() == 1
    assert keys_in_pairs_order(w_value) == [1, "a"]
    w_other = decode('{"a": 1}')
    w_other.set(w_true, w_int(2))
    assert not w_other.is_map_backed()
    assert w_other.get(w_true).intval == 2


def test_clearing_fields_during_pairs_keeps_the_traversal_going():
    assert output_of("""
        local json = require("cjson")
        local t = json.decode('{"a": 1, "b": 2, "c": 3, "d": 4}')
        local seen = {}
        for k, v in pairs(t) do
            seen[#seen + 1] = k
            t[k] = nil
        end
        print(table.concat(seen, ","), next(t))
    """) == "a,b,c,d\tnil\n"


def test_pairs_visits_map_keys_in_document_order():
    assert output_of("""
        local json = require("json")
        local t = json.decode('{"z": 1, "y": 2, "x": {"k": true}}')
        for k, v in pairs(t) do io.write(k, " ") end
        t.w = 0
        for k, v in pairs(t) do io.write(k, " ") end
        print(rawlen(t), t.x.k, rawget(t, "y"))
    """) == "z y x z y x w 0\ttrue\t2\n"


def test_metatable_on_a_decoded_table_works():
    assert output_of("""
        local json = require("cjson")
        local t = setmetatable(json.decode('{"a": 1}'), {__index = function(t, k) return k .. "!" end})
        print(t.a, t.b)
    """) == "1\tb!\n"


# ------------------------------------------------------------------- encode

def encode(w_value, config=None):
    return encode_value(config or JSONConfig(), w_value)


def lua_encode(expression):
    return output_of("local json = require('cjson') io.write(json.encode(%s))"
                     % expression)


def test_strings_are_escaped_per_rfc_8259():
    assert encode(W_PlainString('q"b\\s/\x00\x01\x1f\x7f\b\f\n\r\t\xc3\xa9')) == (
        '"q\\"b\\\\s\\/\\u0000\\u0001\\u001f\\u007f\\b\\f\\n\\r\\t\xc3\xa9"')


def test_integers_and_floats_print_so_they_decode_to_the_same_value():
    for text in ["9223372036854775807", "-9223372036854775808", "0", "12"]:
        assert encode(decode(text)) == text
    for value in [0.1, 1.0 / 3, 1e300, 5e-324, 2.0 ** 53, -0.0, 3.0, 1e16,
                  123456789.125]:
        text = encode(W_Float(value))
        w_back = decode(text)
        assert isinstance(w_back, W_Float), text
        assert repr(w_back.floatval) == repr(value), text


def test_explicit_number_precision_prints_floats_like_printf_g():
    # integers stay exact whatever the precision
    assert lua_encode("(function() json.encode_number_precision(3) "
                      "return {1/3, 123456.0, 123456} end)()") == (
        "[0.333,1.23e+05,123456]")


def test_nan_and_infinity_are_rejected_unless_allowed():
    assert "Cannot serialise number: must not be NaN or Inf" in error_of(
        "require('cjson').encode(0/0)")
    assert lua_encode("(function() json.encode_invalid_numbers('null') "
                      "return {1/0, 2} end)()") == "[null,2]"


def test_cycles_end_in_the_nesting_error():
    assert error_of("local t = {} t[1] = t require('cjson').encode(t)") == (
        "(command line):1: Cannot serialise, excessive nesting (1001)")


def test_invalid_keys_are_rejected():
    assert error_of("require('cjson').encode({[true] = 1})") == (
        "(command line):1: Cannot serialise boolean: table key must be a "
        "number or string")
    assert error_of("require('cjson').encode({f = print})") == (
        "(command line):1: Cannot serialise function: type not supported")


def test_sparse_arrays_as_lua_cjson():
    assert lua_encode("{1, 2, nil, 4}") == "[1,2,null,4]"
    assert lua_encode("{[1] = 1, [10] = 10}") == (
        "[1,null,null,null,null,null,null,null,null,10]")
    assert error_of("require('cjson').encode({[1] = 1, [20] = 2})") == (
        "(command line):1: Cannot serialise table: excessively sparse array")
    assert output_of("local json = require('cjson') json.encode_sparse_array(true) "
                     "local t = json.decode(json.encode({[1] = 1, [20] = 2})) "
                     "print(t['1'], t['20'])") == "1\t2\n"


def test_mixed_and_number_keys_make_objects():
    assert lua_encode("{[1] = 1, x = 2}") in ('{"1":1,"x":2}', '{"x":2,"1":1}')
    assert lua_encode("{[1.5] = 'a'}") == '{"1.5":"a"}'
    assert lua_encode("{[0] = 'z'}") == '{"0":"z"}'


def test_empty_table_encodes_as_object_and_null_as_null():
    assert lua_encode("{json.null, true, false, {}}") == "[null,true,false,{}]"
    assert lua_encode("json.decode('[]')") == "{}"
    assert lua_encode("json.decode('{\"a\":[],\"b\":null}')") == '{"a":{},"b":null}'


def test_encode_max_depth_option():
    assert error_of("local json = require('cjson') json.encode_max_depth(2) "
                    "json.encode({{{1}}})") == (
        "(command line):1: Cannot serialise, excessive nesting (3)")


# ------------------------------------------------------------ decode errors

def test_decode_errors_carry_byte_offset_and_line_column():
    message = error_of("require('cjson').decode('{\\n  \"a\": 1,\\n  \"b\" 2}')")
    assert message == ("(command line):1: expected ':' after an object key, "
                       "found '2' at byte 18 (line 3, column 7)")


def test_decode_max_depth_option():
    assert output_of("local json = require('cjson') json.decode_max_depth(2) "
                     "print(pcall(json.decode, '[[1]]')) "
                     "print((select(2, pcall(json.decode, '[[[1]]]')):find('nesting too deep') ~= nil))"
                     ).startswith("true\ttable: ")


def test_argument_errors_name_the_function():
    assert error_of("require('cjson').decode()") == (
        "(command line):1: bad argument #1 to 'decode' (expected 1 argument)")
    assert error_of("require('cjson').decode({})") == (
        "(command line):1: bad argument #1 to 'decode' (string expected, got table)")
    assert output_of("local json = require('cjson') "
                     "print(pcall(json.encode_sparse_array, 5))") == (
        "false\tbad argument #1 to 'cjson.encode_sparse_array' (invalid option '5')\n")


def test_option_functions_return_settings_and_new_has_its_own():
    assert output_of("""
        local json = require('cjson')
        print(json.decode_max_depth(), json.encode_max_depth(), json.encode_sparse_array())
        print(json.encode_invalid_numbers('null'), json.decode_invalid_numbers(false))
        local other = json.new()
        print(other.encode_invalid_numbers(), other.decode_invalid_numbers(), other.null == json.null)
        print(json._NAME, json._VERSION, type(json.null), require('json') == json)
    """) == ("1000\t1000\tfalse\t2\t10\nnull\tfalse\nfalse\ttrue\ttrue\n"
             "cjson\t2.1.0\tuserdata\ttrue\n")


def test_decode_invalid_numbers_option():
    assert output_of("local json = require('cjson') "
                     "print(json.decode('[NaN, -Infinity]')[2]) "
                     "json.decode_invalid_numbers(false) "
                     "print(pcall(json.decode, 'NaN'))").startswith(
        "-inf\nfalse\t")


# ------------------------------------------------ tables the program builds

def lua_table(*pairs):
    w_table = W_Table()
    for key, w_value in pairs:
        w_table.set(W_PlainString(key) if isinstance(key, str) else w_int(key),
                    w_value)
    return w_table


def test_lua_built_records_share_one_map_with_decoded_ones():
    from targets.lua.lib_json import JSONState
    w_first = lua_table(("name", w_int(1)), ("score", w_int(2)))
    w_second = lua_table(("name", w_int(3)), ("score", w_int(4)))
    assert w_first.is_map_backed() and w_first.map_part() is w_second.map_part()
    assert w_first.get(W_PlainString("score")).intval == 2
    w_decoded = JSONState().decoder.decode('{"name": 5, "score": 6}')
    assert w_decoded.map_part() is w_first.map_part()


def test_keys_json_writes_differently_and_mixed_tables_use_the_hash_part():
    for key in ('a"b', 'back\\slash', 'new\nline', '\xc3\xa9t\xc3\xa9'):
        assert not lua_table((key, w_int(1))).is_map_backed()
    w_mixed = lua_table((1, w_int(1)), ("name", w_int(2)))
    assert not w_mixed.is_map_backed()
    assert keys_in_pairs_order(w_mixed) == [1, "name"]


def test_a_table_with_many_string_keys_leaves_the_map_keeping_order():
    from jsondecoder.maps import MAX_HOST_MAP_KEYS
    keys = ["k%d" % i for i in range(MAX_HOST_MAP_KEYS + 3)]
    w_table = lua_table(*[(key, w_int(i)) for i, key in enumerate(keys)])
    assert not w_table.is_map_backed()
    assert keys_in_pairs_order(w_table) == keys
    assert w_table.get(W_PlainString("k7")).intval == 7


def test_lua_built_map_tables_behave_as_tables_in_lua():
    assert output_of("""
        local records = {}
        for i = 1, 20 do records[i] = {id = i, name = "n" .. i} end
        local r = records[7]
        r.extra = true
        r.name = nil
        local keys = {}
        for k in pairs(r) do keys[#keys + 1] = k end
        print(#keys, r.id, r.name, r.extra, records[8].name)
        local t = {x = 1}
        t[1] = "one"
        print(#t, t.x, t[1])
    """) == "2\t7\tnil\ttrue\tn8\n1\t1\tone\n"


def test_json_that_closes_the_root_map_does_not_stop_lua_built_maps():
    from jsondecoder.maps import MapTree
    tree = MapTree()
    tree.root.closed = True           # as varied top-level key sets do
    from targets.lua.table import new_map_child
    w_key = W_PlainString("name")
    child = new_map_child(tree.root, w_key)
    assert child is not None and child.key.w_value is w_key
    assert tree.transition(tree.root, child.key) is child   # decoder finds it


def test_a_decoded_dict_object_stays_in_the_hash_part_when_it_grows():
    w_value = decode('{"a": 1, "b": 2, "a": 3}')
    w_value.set(W_PlainString("c"), w_int(4))
    assert not w_value.is_map_backed()
    assert keys_in_pairs_order(w_value) == ["a", "b", "c"]
    assert w_value.length() == 0 and w_value.get(W_PlainString("c")).intval == 4


# ------------------------------------------------------- inline map values

def decoded_record(count):
    """A record whose values stay boxed (W_InlineTable): one-item arrays."""
    return decode("{%s}" % ", ".join('"k%d": [%d]' % (i, i) for i in range(count)))


@pytest.mark.parametrize("count", [1, 3, 16])
def test_decoded_object_keeps_its_values_in_fields_of_its_own(count):
    from targets.lua.table import W_Table, EMPTY_ARRAY
    w_value = decoded_record(count)
    assert type(w_value) is not W_Table and w_value.inline_count() == count
    assert w_value.is_map_backed() and w_value.array is EMPTY_ARRAY
    assert [w_value.get(W_PlainString("k%d" % i)).get_int(1).intval for i in range(count)] == list(range(count))
    assert keys_in_pairs_order(w_value) == ["k%d" % i for i in range(count)]
    w_value.set(W_PlainString("k0"), w_int(100))
    assert w_value.get(W_PlainString("k0")).intval == 100 and w_value.array is EMPTY_ARRAY


def test_a_larger_decoded_object_keeps_its_values_in_the_array():
    from targets.lua.table import W_Table, MAX_INLINE_VALUES
    w_value = decoded_record(MAX_INLINE_VALUES + 1)
    assert type(w_value) is W_Table and w_value.inline_count() == 0
    assert len(w_value.array) == MAX_INLINE_VALUES + 1
    assert w_value.get(W_PlainString("k%d" % MAX_INLINE_VALUES)).get_int(1).intval == MAX_INLINE_VALUES


def test_keys_added_to_an_inline_table_go_to_the_array_in_order():
    w_value = decoded_record(3)
    w_value.set(W_PlainString("extra"), w_int(7))
    w_value.set(W_PlainString("more"), w_int(8))
    assert w_value.is_map_backed() and len(w_value.array) == 2
    assert keys_in_pairs_order(w_value) == ["k0", "k1", "k2", "extra", "more"]
    assert w_value.get(W_PlainString("k2")).get_int(1).intval == 2
    assert w_value.get(W_PlainString("more")).intval == 8
    w_value.set(W_PlainString("extra"), w_int(70))
    assert [w.intval for w in w_value.array] == [70, 8]


def test_an_inline_table_leaving_the_map_keeps_order_and_drops_its_fields():
    w_value = decoded_record(4)
    w_value.set(W_PlainString("extra"), w_int(9))
    w_value.set(W_PlainString("k1"), w_nil)
    assert not w_value.is_map_backed()
    assert keys_in_pairs_order(w_value) == ["k0", "k2", "k3", "extra"]
    assert w_value.get(W_PlainString("k3")).get_int(1).intval == 3
    assert [getattr(w_value, "value%d" % i) for i in range(4)] == [None] * 4
    w_value.set(w_int(1), W_PlainString("first"))
    assert w_value.length() == 1 and w_value.get(W_PlainString("extra")).intval == 9


def test_lua_sees_inline_tables_as_tables():
    assert output_of(
        'local json = require("json")\n'
        'local t = json.decode(\'{"a": 1, "b": "two", "c": [3]}\')\n'
        't.d = 4\n'
        'local keys = {}\n'
        'for k, v in pairs(t) do keys[#keys + 1] = k end\n'
        'print(table.concat(keys, ","), t.a, t.b, t.c[1], t.d, json.encode(t))\n'
        't.a = nil\n'
        'print(t.a, t.b, next(t))\n') == (
        'a,b,c,d\t1\ttwo\t3\t4\t{"a":1,"b":"two","c":[3],"d":4}\n'
        'nil\ttwo\tb\ttwo\n')


# ------------------------------------------------------- shared pair entries

def test_dict_objects_of_a_document_share_their_key_value_entries():
    from targets.lua.table import PAIRS, ENTRIES
    builder = LuaJSONBuilder()
    w_key, w_other_key, w_value = W_PlainString("WiFi"), W_PlainString("Caters"), W_PlainString("free")
    # new pairs: interleaved, their entries wait in the cache
    first = builder.new_dict_object([w_key, w_other_key], [w_value, w_true])
    assert first.array_size == PAIRS and len(first.array) == 4
    second = builder.new_dict_object([w_other_key, w_key], [w_true, w_value])
    third = builder.new_dict_object([w_key, w_other_key], [w_value, w_true])
    assert second.array_size == ENTRIES == third.array_size
    assert second.array[0] is third.array[1] and second.array[1] is third.array[0]
    assert keys_in_pairs_order(second) == ["Caters", "WiFi"]
    # an equal value in another object, a view into a document, is found
    # without copying the view out
    text = '"free" "fre"'
    view = W_StringView(text, 1, 5)
    fourth = builder.new_dict_object([w_key, w_other_key], [view, w_true])
    assert fourth.array_size == ENTRIES and fourth.array[0] is first_entry(builder, w_key, w_value)
    assert view.source is text
    # another length: another pair (one of two found: interleaved)
    shorter = builder.new_dict_object([w_key, w_other_key], [W_StringView(text, 8, 11), w_true])
    assert shorter.array_size == PAIRS and shorter.get(w_key).as_str() == "fre"
    again = builder.new_dict_object([w_key], [W_PlainString("fre")])
    assert again.array_size == ENTRIES and again.array[0] is not fourth.array[0]
    assert again.get(w_key).as_str() == "fre" and fourth.get(w_key).as_str() == "free"
    # one pair of three found: interleaved
    mixed = builder.new_dict_object([w_key, W_PlainString("a"), W_PlainString("b")],
                                    [w_value, w_true, w_true])
    assert mixed.array_size == PAIRS
    # assigning a present key changes that table only
    third.set(W_PlainString("WiFi"), w_int(5))
    assert third.array_size == ENTRIES and third.get(w_key).intval == 5
    assert second.get(w_key) is w_value and first.get(w_key) is w_value
    # the document is done: the cache keeps nothing, the tables keep theirs
    builder.end_document()
    assert all(entry is None for entry in builder.pair_cache.entries)
    fifth = builder.new_dict_object([w_other_key], [w_true])
    assert fifth.array_size == PAIRS
    assert second.get(w_other_key) is w_true and keys_in_pairs_order(third) == ["WiFi", "Caters"]


def first_entry(builder, w_key, w_value):
    entry, found = builder.pair_cache.lookup(w_key, w_value)
    assert found
    return entry


def test_pairs_that_rarely_repeat_stop_the_sharing_for_the_document():
    from targets.lua.keyvalue import PairCache
    builder = LuaJSONBuilder()
    for i in range(PairCache.SAMPLE // 4):
        builder.new_dict_object([W_PlainString("k%d" % j) for j in range(4)],
                                [w_int(1000 + 4 * i + j) for j in range(4)])
    assert not builder.pair_cache.sharing
    builder.end_document()
    assert builder.pair_cache.sharing


def test_decoded_varied_key_sets_share_entries_and_keep_no_document_alive():
    import random
    rng = random.Random(6)
    names = ["Attribute%d" % i for i in range(300)]
    records = []
    for _ in range(800):
        chosen = rng.sample(names, 5)
        records.append("{%s}" % ", ".join('"%s": "%s"' % (name, rng.choice(["True", "False"]))
                                          for name in chosen))
    # nested as Yelp's attributes: once 2,000 maps are preliminary the
    # tree blocks them, then closes the parent map (maps.py)
    text = "[%s]" % ", ".join('{"id": %d, "attributes": %s}' % (i, record)
                              for i, record in enumerate(records))
    builder = LuaJSONBuilder()
    w_array = JSONDecoder(builder).decode(text)
    tables = [w_array.get_int(i).get(W_PlainString("attributes")) for i in range(1, 801)]
    from targets.lua.table import ENTRIES
    late = [t for t in tables[500:] if t.array_size == ENTRIES]
    assert len(late) > 150
    entries = {}
    shared = 0
    for w_table in late:
        for entry in w_table.array:
            key = (entry.w_key.as_str(), entry.w_value.as_str())
            if key in entries:
                shared += entries[key] is entry
            else:
                entries[key] = entry
    assert shared > 100
    # values match the document, entry by entry
    for index, record in enumerate(records):
        w_table = tables[index]
        for item in record[1:-1].split(", "):
            name, value = [part.strip('"') for part in item.split(": ")]
            assert w_table.get(W_PlainString(name)).as_str() == value
    assert builder.pair_cache.filled == []
    assert all(entry is None for entry in builder.pair_cache.entries)
