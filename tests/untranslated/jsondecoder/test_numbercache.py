"""Repeated numbers share one host box (jsondecoder/numbercache.py), and the
value stack grows by doubling (decoder.py)."""
import json
import math

from jsondecoder import numbercache
from jsondecoder.numbercache import NumberCache


def test_repeated_integers_share_one_box_across_fields_and_arrays(decoder):
    records = [{'id': 5000 + i % 3, 'other': 1, 'ids': [5000 + i % 3]}
               for i in range(9)]
    w_array = decoder.decode(json.dumps(records))
    ids = [w.getitem('id') for w in w_array.items_w]
    listed = [w.getitem('ids').items_w[0] for w in w_array.items_w]
    assert [w.value for w in ids] == [5000 + i % 3 for i in range(9)]
    assert ids[3] is ids[0] and ids[4] is ids[1] and listed[0] is ids[0]
    assert ids[1] is not ids[0]
    assert decoder.stats.numbers_shared > 0


def test_repeated_floats_share_one_box_compared_by_their_bits(decoder):
    w_array = decoder.decode('[4.5, 1.5, 4.5, 0.0, -0.0, 0.0, 1e300, 1e300]')
    items = w_array.items_w
    assert [w.value for w in items] == [4.5, 1.5, 4.5, 0.0, -0.0, 0.0, 1e300, 1e300]
    assert items[2] is items[0] and items[1] is not items[0]
    assert items[5] is items[3] and items[4] is not items[3]
    assert math.copysign(1.0, items[4].value) == -1.0
    assert items[7] is items[6]


def test_a_colliding_number_replaces_the_slot():
    cache = NumberCache()
    first, second = object(), object()
    cache.insert_int(7, first)
    assert cache.lookup_int(7) is first
    cache.insert_int(7 + numbercache.INT_SLOTS, second)
    assert cache.lookup_int(7) is None
    assert cache.lookup_int(7 + numbercache.INT_SLOTS) is second
    assert cache.lookup_int(0) is None and cache.lookup_float(0.0) is None
    cache.insert_float(2.5, first)
    assert cache.lookup_float(2.5) is first and cache.lookup_float(-2.5) is None
    cache.clear()
    assert cache.lookup_int(7 + numbercache.INT_SLOTS) is None
    assert cache.lookup_float(2.5) is None


def test_forget_values_drops_the_cached_numbers(decoder):
    first = decoder.decode('[123456]').items_w[0]
    assert decoder.decode('[123456]').items_w[0] is first
    decoder.forget_values()
    again = decoder.decode('[123456]').items_w[0]
    assert again is not first and again.value == 123456




def test_value_stack_doubles_and_is_kept(decoder):
    from jsondecoder.decoder import MIN_VALUE_STACK
    count = 5 * MIN_VALUE_STACK + 3
    w_array = decoder.decode(json.dumps(list(range(count))))
    assert [w.value for w in w_array.items_w] == list(range(count))
    stack = decoder.value_stack
    assert len(stack) == 8 * MIN_VALUE_STACK
    assert all(w is None for w in stack)
    decoder.decode('[[1, 2], {"a": [3]}]')
    assert decoder.value_stack is stack
