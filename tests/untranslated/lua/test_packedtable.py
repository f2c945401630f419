"""Decoded records with unboxed numbers and strings (packedtable.py),
untranslated."""
import struct

from jsondecoder import JSONDecoder
from targets.lua.json_builder import LuaJSONBuilder
from targets.lua.lib_json import JSONConfig, encode_value
from targets.lua.objects import (W_String, W_PlainString, W_StringView,
                                 W_SharedStringView, W_Integer, W_Float,
                                 w_int, w_nil, w_true)
from targets.lua.packedtable import (SPILLED, MAX_RAW_VALUES, KIND_OBJECT,
                                     KIND_INT, KIND_FLOAT, KIND_VIEW)
from targets.lua.table import W_Table

from lua_helpers import output_of

RECORD = ('{"id": "%022x", "city": "Phoenix", '
          '"latitude": 47.197851800826754, "stars": -0.0, "count": 690, '
          '"big": -9223372036854775808, "open": true, "tags": ["a"]}')
KEYS = ["id", "city", "latitude", "stars", "count", "big", "open", "tags"]
# records of one document: the value cache shares the strings that repeat
# (the city) from their second sighting on
RECORDS = 40


def decode(text):
    return JSONDecoder(LuaJSONBuilder()).decode(text)


def last_record(template=RECORD):
    """The last of RECORDS records (`template` % their number)."""
    w_array = decode("[%s]" % ", ".join(template % i for i in range(RECORDS)))
    return w_array.get_int(RECORDS)


def field(w_table, key):
    return w_table.get(W_PlainString(key))


def float_bits(value):
    return struct.pack("<d", value)


def keys_in_pairs_order(w_table):
    keys = []
    position = w_table.entry_at_or_after(0)
    while position >= 0:
        keys.append(w_table.key_at(position).as_str())
        position = w_table.entry_at_or_after(position + 1)
    return keys


def check_record_values(w_record):
    w_id = field(w_record, "id")
    assert isinstance(w_id, W_StringView) and w_id.as_str() == "%022x" % (RECORDS - 1)
    assert field(w_record, "city").as_str() == "Phoenix"
    assert float_bits(field(w_record, "latitude").floatval) == float_bits(47.197851800826754)
    assert float_bits(field(w_record, "stars").floatval) == float_bits(-0.0)
    assert isinstance(field(w_record, "count"), W_Integer)
    assert field(w_record, "count").intval == 690
    assert field(w_record, "big").intval == -9223372036854775808
    assert field(w_record, "open") is w_true
    assert field(w_record, "tags").get_int(1).as_str() == "a"


def test_a_record_of_numbers_and_strings_keeps_them_unboxed():
    w_record = last_record()
    assert type(w_record).__name__ == "W_PackedTable3_5"
    assert list(w_record.layout.kinds) == [KIND_VIEW, KIND_OBJECT, KIND_FLOAT, KIND_FLOAT,
                                           KIND_INT, KIND_INT, KIND_OBJECT, KIND_OBJECT]
    # the raw words hold the values themselves: no box is kept
    boxed = [w_record.boxed0, w_record.boxed1, w_record.boxed2]
    assert not [w for w in boxed if isinstance(w, (W_Integer, W_Float)) or type(w) is W_StringView]
    assert isinstance(boxed[0], W_SharedStringView)     # the city, from the value cache
    assert w_record.raw1 == struct.unpack("<q", float_bits(47.197851800826754))[0]
    assert w_record.raw3 == 690
    check_record_values(w_record)
    assert keys_in_pairs_order(w_record) == KEYS


def test_each_read_of_a_string_slot_is_a_new_view_of_the_document():
    w_record = last_record('{"a": "first string %d", "b": 2.5}')
    text = w_record.source
    assert isinstance(text, str) and len(text) > 1000
    w_first, w_again = field(w_record, "a"), field(w_record, "a")
    assert w_first is not w_again and w_first.source is text
    assert w_first.as_str() == "first string %d" % (RECORDS - 1)
    assert w_first.source is not text
    # the copy was the read view's: the table still holds the span only
    assert field(w_record, "a").source is text


def test_records_of_the_same_kinds_share_one_layout():
    w_array = decode("[%s]" % ", ".join('{"x": %d, "y": %d.5, "name": "name %d"}' % (i, i, i)
                                       for i in range(50)))
    layouts = set(w_array.get_int(i).layout for i in range(1, 51))
    assert len(layouts) == 1
    assert list(layouts.pop().kinds) == [KIND_INT, KIND_FLOAT, KIND_VIEW]


def test_a_value_the_value_cache_shares_stays_boxed():
    # the same string in every record: the value cache hands out one object
    w_array = decode("[%s]" % ", ".join('{"n": %d, "m": %d, "kind": "the kind"}' % (i, i)
                                       for i in range(20)))
    kinds = [field(w_array.get_int(i), "kind") for i in range(1, 21)]
    assert isinstance(kinds[-1], W_SharedStringView) and kinds[-1] is kinds[-2]
    assert w_array.get_int(20).layout.kinds[2] == KIND_OBJECT


def test_few_unboxable_values_make_an_inline_table():
    w_record = decode('{"n": 1, "tags": [], "ok": true}')
    assert type(w_record).__name__ == "W_InlineTable3"


def test_at_most_max_raw_values_are_unboxed():
    count = MAX_RAW_VALUES + 3
    w_record = decode("{%s}" % ", ".join('"k%d": %d' % (i, 1000 + i) for i in range(count)))
    kinds = list(w_record.layout.kinds)
    assert kinds.count(KIND_INT) == MAX_RAW_VALUES and kinds.count(KIND_OBJECT) == 3
    assert [field(w_record, "k%d" % i).intval for i in range(count)] == [1000 + i for i in range(count)]


def test_assigning_a_value_of_the_slot_kind_stays_unboxed():
    w_record = last_record()
    layout = w_record.layout
    w_record.set(W_PlainString("count"), w_int(-5))
    w_record.set(W_PlainString("latitude"), W_Float(1.25))
    w_record.set(W_PlainString("city"), W_PlainString("Toronto"))
    assert w_record.layout is layout and w_record.array == []
    assert field(w_record, "count").intval == -5
    assert field(w_record, "latitude").floatval == 1.25
    assert field(w_record, "city").as_str() == "Toronto"


def test_assigning_another_kind_boxes_every_value_in_order():
    w_record = last_record()
    w_record.set(W_PlainString("count"), W_PlainString("many"))
    assert w_record.layout is SPILLED and w_record.source is None
    assert w_record.inline_count() == 0 and len(w_record.array) == len(KEYS)
    assert field(w_record, "count").as_str() == "many"
    w_record.set(W_PlainString("count"), w_int(690))
    check_record_values(w_record)
    assert keys_in_pairs_order(w_record) == KEYS
    assert w_record.is_map_backed()


def test_a_string_slot_assigned_a_string_is_boxed():
    w_record = last_record()
    w_record.set(W_PlainString("id"), W_PlainString("other"))
    assert w_record.layout is SPILLED
    assert field(w_record, "id").as_str() == "other"
    assert float_bits(field(w_record, "latitude").floatval) == float_bits(47.197851800826754)


def test_keys_added_to_a_packed_table_survive_a_spill():
    w_record = last_record()
    w_record.set(W_PlainString("extra"), w_int(7))
    assert w_record.layout is not SPILLED and len(w_record.array) == 1
    w_record.set(W_PlainString("latitude"), w_true)
    assert w_record.layout is SPILLED
    assert field(w_record, "extra").intval == 7 and field(w_record, "latitude") is w_true
    w_record.set(W_PlainString("more"), w_int(8))
    assert keys_in_pairs_order(w_record) == KEYS + ["extra", "more"]
    assert field(w_record, "more").intval == 8 and field(w_record, "count").intval == 690


def test_a_packed_table_leaving_the_map_keeps_order_and_values():
    w_record = last_record()
    w_record.set(W_PlainString("stars"), w_nil)
    assert not w_record.is_map_backed() and w_record.source is None
    expected = [k for k in KEYS if k != "stars"]
    assert keys_in_pairs_order(w_record) == expected
    assert field(w_record, "id").as_str() == "%022x" % (RECORDS - 1)
    assert field(w_record, "big").intval == -9223372036854775808
    w_record.set(w_int(1), W_PlainString("first"))
    assert w_record.length() == 1 and field(w_record, "count").intval == 690


def test_a_packed_record_encodes_to_the_same_json():
    w_record = last_record()
    text = encode_value(JSONConfig(), w_record)
    assert text == RECORD.replace(", ", ",").replace(": ", ":") % (RECORDS - 1)


def test_lua_reads_and_writes_packed_records():
    assert output_of(
        'local json = require("json")\n'
        'local t = json.decode(\'{"name": "a long name", "x": 1.5, "n": 3, "ok": true}\')\n'
        'local parts = {}\n'
        'for k, v in pairs(t) do parts[#parts + 1] = k .. "=" .. tostring(v) end\n'
        'print(table.concat(parts, " "))\n'
        't.n = t.n + 1; t.x = t.x * 2\n'
        'print(t.n, t.x, math.type(t.n), #t.name, t.name:upper())\n'
        't.name = 5\n'
        'print(t.name, t.x, t.n, t.ok)\n') == (
        "name=a long name x=1.5 n=3 ok=true\n"
        "4\t3.0\tinteger\t11\tA LONG NAME\n"
        "5\t3.0\t4\ttrue\n")
