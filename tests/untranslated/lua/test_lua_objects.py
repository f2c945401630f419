"""Object model: tables (array/hash parts, length, traversal) and numbers."""
import math

import pytest

from targets.lua import luanumber
from targets.lua.errors import LuaRuntimeError
from targets.lua.objects import W_PlainString, W_Float, W_Integer, w_int, w_nil, w_true
from targets.lua.table import W_Table


def test_sequential_integer_keys_go_to_the_array_part():
    table = W_Table()
    for i in range(1, 6):
        table.set_int(i, w_int(i * 10))
    assert table.array_size == 5 and not table.has_hash_entries()
    assert table.length() == 5


def test_appending_doubles_the_array_capacity():
    table = W_Table()
    capacities = []
    for i in range(1, 40):
        table.set_int(i, w_int(i))
        capacities.append(len(table.array))
    assert sorted(set(capacities)) == [4, 8, 16, 32, 64]
    assert table.array_size == 39 and table.length() == 39
    assert [table.get_int(i).intval for i in range(1, 40)] == list(range(1, 40))
    assert table.get_int(40) is w_nil


def test_a_constructor_list_becomes_an_exactly_sized_array():
    table = W_Table()
    items = [w_int(1), w_int(2), w_int(3)]
    table.set_list(1, items)
    assert table.array_size == 3 and len(table.array) == 3
    assert table.array is not items


def test_keys_set_out_of_order_migrate_into_the_array():
    table = W_Table()
    table.set_int(3, w_int(3))
    table.set_int(2, w_int(2))
    table.set_int(1, w_int(1))
    assert table.array_size == 3
    assert table.get_int(3).intval == 3


def test_float_keys_with_integer_values_are_the_same_key():
    table = W_Table()
    table.set(W_Float(2.0), W_PlainString("two"))
    assert table.get(w_int(2)).as_str() == "two"


def test_nil_and_nan_keys_are_rejected():
    table = W_Table()
    with pytest.raises(LuaRuntimeError):
        table.set(w_nil, w_true)
    with pytest.raises(LuaRuntimeError):
        table.set(W_Float(float("nan")), w_true)


def test_removing_the_last_element_shrinks_the_length():
    table = W_Table()
    for i in range(1, 4):
        table.set_int(i, w_int(i))
    table.set_int(3, w_nil)
    assert table.length() == 2


def test_traversal_visits_array_then_hash_and_survives_clearing():
    table = W_Table()
    table.set_int(1, w_int(1))
    table.set_str("a", w_int(2))
    table.set_str("b", w_int(3))
    keys = []
    position = table.entry_at_or_after(0)
    while position >= 0:
        w_key = table.key_at(position)
        keys.append(w_key)
        table.set(w_key, w_nil)          # clearing during traversal is allowed
        position = table.entry_at_or_after(table.next_position(w_key))
    assert [k.repr_for_debug() for k in keys] == ["1", "a", "b"]


class CountingIndex(object):
    """Wraps a HashPart's index, counting the lookups `next` makes."""

    def __init__(self, index):
        self.index = index
        self.lookups = 0

    def get(self, w_key, default):
        self.lookups += 1
        return self.index.get(w_key, default)

    def __getattr__(self, name):
        return getattr(self.index, name)


def hash_part_table(count):
    """A table whose `count` keys are in its hash part (float keys)."""
    table = W_Table()
    for i in range(count):
        table.set(W_Float(i + 0.5), w_int(i))
    assert table.hash_part() is not None and table.map_part() is None
    return table


def traverse(table, clear=False):
    keys = []
    position = table.entry_at_or_after(0)
    while position >= 0:
        w_key = table.key_at(position)
        keys.append(w_key.floatval)
        if clear:
            table.set(w_key, w_nil)
        position = table.next_position(w_key)
        assert position >= 0
        position = table.entry_at_or_after(position)
    return keys


def test_next_finds_the_key_it_just_returned_without_a_lookup():
    table = hash_part_table(50)
    counting = CountingIndex(table.hash_part().index)
    table.hash_part().index = counting
    assert traverse(table) == [i + 0.5 for i in range(50)]
    assert counting.lookups == 0
    # a key object equal to the last one but not it is looked up
    assert table.next_position(W_Float(49.5)) == 50
    assert counting.lookups == 1


def test_next_hint_is_only_a_hint_for_other_keys_and_tables():
    table, other = hash_part_table(10), hash_part_table(10)
    traverse(other)
    # `other` remembers its last key; next on `table` with any key, and on
    # `other` with a key it did not return last, still finds the position
    w_key = table.key_at(table.entry_at_or_after(3))
    assert table.next_position(w_key) == 4
    assert other.next_position(other.key_at(2)) == 3
    assert traverse(table, clear=True) == [i + 0.5 for i in range(10)]
    assert table.entry_at_or_after(0) < 0


def test_hash_part_is_compacted_after_many_deletions():
    table = W_Table()
    for i in range(20):
        table.set_str("k%d" % i, w_int(i))
    for i in range(18):
        table.set_str("k%d" % i, w_nil)
    table.set_str("new", w_int(1))
    assert table.hash_part().used == 3


@pytest.mark.parametrize("text, kind, value", [
    ("10", luanumber.INTEGER, 10),
    ("  -0x10  ", luanumber.INTEGER, -16),
    ("9223372036854775807", luanumber.INTEGER, 9223372036854775807),
    ("9223372036854775808", luanumber.FLOAT, 9223372036854775808.0),
    ("1e3", luanumber.FLOAT, 1000.0),
    ("0x1.8p1", luanumber.FLOAT, 3.0),
    ("1e", luanumber.NOT_A_NUMBER, None),
    ("inf", luanumber.NOT_A_NUMBER, None),
    ("0x", luanumber.NOT_A_NUMBER, None),
])
def test_parse_number_follows_lua_numeral_rules(text, kind, value):
    parsed = luanumber.parse_number(text)
    assert parsed.kind == kind
    if kind == luanumber.INTEGER:
        assert parsed.intval == value
    elif kind == luanumber.FLOAT:
        assert parsed.floatval == value


@pytest.mark.parametrize("value, text", [
    (1.0, "1.0"), (0.1, "0.1"), (1e15, "1e+15"), (1e100, "1e+100"),
    (-0.0, "-0.0"), (float("inf"), "inf"), (2.0 ** 63, "9.2233720368548e+18"),
])
def test_floats_format_like_lua(value, text):
    assert luanumber.format_float(value) == text


def test_small_decoded_hash_part_scans_its_string_keys_until_it_needs_an_index():
    from targets.lua.table import SMALL_HASH_POSITIONS
    names = ["name", "", "k2", "k3"]
    table = W_Table.from_pairs([W_PlainString(n) for n in names], [w_int(i) for i in range(4)])
    assert table.in_pairs_strategy() and table.hash_part() is None
    # equal keys that are other objects
    for i, name in enumerate(names):
        assert table.get(W_PlainString(name)).intval == i
    assert table.get(W_PlainString("nam")) is w_nil
    table.set(W_PlainString("k4"), w_int(4))     # a new key: a hash part
    assert not table.in_pairs_strategy() and table.hash_part().index is None
    for i in range(5, SMALL_HASH_POSITIONS):
        table.set(W_PlainString("k%d" % i), w_int(i))
    assert table.hash_part().index is None
    table.set(W_PlainString("one more"), w_int(99))
    # past the small size: indexed, same positions
    assert table.hash_part().index is not None
    assert len(table.hash_part().index) == SMALL_HASH_POSITIONS + 1
    assert table.get(W_PlainString("name")).intval == 0 and table.get(W_PlainString("one more")).intval == 99
    # a non-string key makes the index at once
    table = W_Table.from_pairs([W_PlainString("a")], [w_int(1)])
    table.set(W_Float(2.5), w_int(2))
    assert table.hash_part().index is not None and table.get(W_Float(2.5)).intval == 2


def test_hash_part_a_program_builds_is_indexed_from_the_start():
    table = W_Table()
    table.set(w_int(9), w_int(9))       # not the array's next slot: hash part
    assert table.hash_part() is not None and table.hash_part().index is not None
    assert table.get(W_Integer(9)).intval == 9


@pytest.mark.parametrize("count", [3, 16, 17, 40])
def test_table_from_pairs_keeps_exact_lists_and_last_duplicate(count):
    from targets.lua.table import SMALL_HASH_POSITIONS
    keys = [W_PlainString("a%d" % i) for i in range(count)]
    values = [w_int(i) for i in range(count)]
    table = W_Table.from_pairs(keys, values)
    if count <= SMALL_HASH_POSITIONS:
        assert table.in_pairs_strategy() and len(table.array) == 2 * count
    else:
        assert len(table.hash_part().keys_w) == count and table.hash_part().keys_w is not keys
        assert table.hash_part().index is not None
    assert [table.get(w_key).intval for w_key in keys] == list(range(count))
    # a repeated key (another object, equal text): the last value, first position
    table = W_Table.from_pairs(keys + [W_PlainString("a0")], values + [w_int(99)])
    assert table.hash_part().used == count
    assert table.get(W_PlainString("a0")).intval == 99
    assert table.key_at(table.entry_at_or_after(0)).as_str() == "a0"


def test_next_over_a_map_table_finds_the_key_it_just_returned_without_index_of():
    tables = []
    for n in range(2):
        table = W_Table()
        for i in range(6):
            table.set_str("field%d" % i, w_int(n * 10 + i))
        assert table.map_part() is not None
        tables.append(table)
    jsonmap = tables[0].map_part()
    assert tables[1].map_part() is jsonmap
    calls = []
    original = jsonmap.index_of
    jsonmap.index_of = lambda utf8: calls.append(utf8) or original(utf8)
    try:
        for table in tables:
            keys = []
            position = table.entry_at_or_after(0)
            while position >= 0:
                keys.append(table.key_at(position).as_str())
                position = table.entry_at_or_after(table.next_position(table.key_at(position)))
            assert keys == ["field%d" % i for i in range(6)]
        assert calls == []
        # an equal key that is another object, or one the hint does not point at
        assert tables[0].next_position(W_PlainString("field2")) == 3
        assert tables[0].next_position(tables[0].key_at(0)) == 1
        assert calls == ["field2", "field0"]
        assert tables[0].next_position(W_PlainString("other")) == -1
    finally:
        del jsonmap.index_of


def test_collectgarbage_collect_runs_a_full_collection(monkeypatch):
    from rpython.rlib import rgc
    from lua_helpers import output_of
    collections = []
    monkeypatch.setattr(rgc, "collect", lambda *args: collections.append(args))
    assert output_of('print(collectgarbage(), collectgarbage("collect"), '
                     'collectgarbage("step"))') == "0\t0\ttrue\n"
    assert len(collections) == 2


def test_hash_part_arrays_double_and_traversal_stops_at_the_used_slots():
    table = W_Table()
    for i in range(5):
        table.set(W_Float(i + 0.5), w_int(i))
    hash = table.hash_part()
    assert hash.used == 5 and len(hash.keys_w) == 8    # 4, then doubled
    assert traverse(table) == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert table.next_position(W_Float(4.5)) == 5
    assert table.entry_at_or_after(5) == -1


def test_string_view_packs_start_and_length_and_copies_out_once():
    from targets.lua.objects import W_StringView, view_fits
    source = "0123456789" * 10
    w_view = W_StringView(source, 37, 61)
    assert w_view.length() == 24 and w_view.source is source
    assert w_view.as_str() == source[37:61]
    assert w_view.as_str() is w_view.as_str() is w_view.source
    assert w_view.length() == 24
    assert W_StringView(source, 100, 100).as_str() == ""
    assert view_fits(0, (1 << 32) - 1) and not view_fits(0, 1 << 32)


def test_read_all_of_a_large_file_after_buffered_reads(tmpdir):
    from lua_helpers import output_of
    path = tmpdir.join("big.txt")
    lines = ["line %d %s" % (i, "x" * (i % 50)) for i in range(20000)]
    path.write("\n".join(lines))
    size = len("\n".join(lines))
    assert size > 3 * 65536
    out = output_of('''
        local f = assert(io.open(%r, "rb"))
        local first = f:read("l")
        local some = f:read(70000)
        local rest = f:read("a")
        print(first, #some, #rest, #first + 1 + #some + #rest, f:read("a") == "", f:read("l"))
        f:seek("set", 5)
        print(#f:read("a"))
        f:close()
    ''' % str(path))
    assert out == "line 0 \t70000\t%d\t%d\ttrue\tnil\n%d\n" % (
        size - 8 - 70000, size, size - 5)


def pairs_table(count=3):
    """A table in the pairs strategy, as the json decoder makes for objects
    whose key sets vary: keys k0.. with values 0.."""
    table = W_Table.from_pairs([W_PlainString("k%d" % i) for i in range(count)],
                               [w_int(i) for i in range(count)])
    assert table.in_pairs_strategy() and table.hash_part() is None
    return table


def table_items(table):
    items = []
    position = table.entry_at_or_after(0)
    while position >= 0:
        w_key = table.key_at(position)
        items.append((w_key.repr_for_debug(), table.value_at(position).repr_for_debug()))
        assert table.next_position(w_key) == position + 1
        position = table.entry_at_or_after(position + 1)
    return items


def test_pairs_table_reads_like_a_hash_part():
    table = pairs_table()
    assert table_items(table) == [("k0", "0"), ("k1", "1"), ("k2", "2")]
    assert table.get(W_PlainString("k1")).intval == 1
    assert table.get(W_PlainString("k9")) is w_nil and table.get(w_int(1)) is w_nil
    assert table.length() == 0 and table.hash_size() == 3
    assert table.next_position(W_PlainString("nope")) == -1
    assert table.next_position(w_int(1)) == -1


def test_pairs_table_stays_in_the_strategy_when_a_key_gets_a_new_value():
    table = pairs_table()
    array = table.array
    table.set(W_PlainString("k1"), w_int(10))
    table.set(W_PlainString("absent"), w_nil)
    table.set(w_int(5), w_nil)
    assert table.in_pairs_strategy() and table.array is array
    assert table_items(table) == [("k0", "0"), ("k1", "10"), ("k2", "2")]


PAIRS_ITEMS = [("k0", "0"), ("k1", "1"), ("k2", "2")]


@pytest.mark.parametrize("change, items", [
    (lambda t: t.set(W_PlainString("k1"), w_nil), [("k0", "0"), ("k2", "2")]),
    (lambda t: t.set(W_PlainString("new"), w_int(7)), PAIRS_ITEMS + [("new", "7")]),
    (lambda t: t.set(W_Float(2.5), w_int(7)), PAIRS_ITEMS + [("2.5", "7")]),
    (lambda t: t.set(w_int(1), w_int(7)), [("1", "7")] + PAIRS_ITEMS),
    (lambda t: t.append(w_int(7)), [("1", "7")] + PAIRS_ITEMS),
])
def test_other_assignments_leave_the_pairs_strategy_keeping_order(change, items):
    table = pairs_table()
    change(table)
    assert not table.in_pairs_strategy() and table.hash_part() is not None
    assert table_items(table) == items


def test_clearing_a_pairs_table_during_traversal_keeps_next_going():
    table = pairs_table(5)
    seen = []
    position = table.entry_at_or_after(0)
    while position >= 0:
        w_key = table.key_at(position)
        seen.append(w_key.as_str())
        table.set(w_key, w_nil)
        position = table.entry_at_or_after(table.next_position(w_key))
    assert seen == ["k0", "k1", "k2", "k3", "k4"]
    assert table.entry_at_or_after(0) == -1


def test_string_equality_compares_lengths_before_bytes():
    """A view compared with a string of another length is not copied out
    (operators.raw_equals checks lengths first); equal lengths compare the
    bytes."""
    from targets.lua.objects import W_StringView
    from targets.lua.operators import raw_equals
    document = '{"name": "abcdef"}'
    view = W_StringView(document, 10, 16)
    assert not raw_equals(view, W_PlainString("abc"))
    assert view.source is document          # not copied out
    assert not raw_equals(view, W_PlainString("abcdeX"))
    assert raw_equals(view, W_PlainString("abcdef"))
