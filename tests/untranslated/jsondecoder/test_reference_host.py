"""The reference host: map storage, dict storage, mutation after decoding
(jsondecoder/reference_host.py) and its pretty printer (jsontool)."""
import json

import pytest

from jsondecoder.maps import MAX_MAP_KEYS
from jsondecoder.reference_host import W_String
from targets.jsontool.pretty import dumps


def test_setting_an_existing_key_keeps_map_storage(decoder):
    w_object = decoder.decode('{"a": 1, "b": 2}')
    w_object.setitem(W_String('b'), W_String('new'))
    assert w_object.is_map_storage()
    assert w_object.getitem('b').utf8 == 'new'


def test_adding_a_key_switches_to_dict_storage_without_touching_the_map(
        decoder):
    w_first, w_second = decoder.decode(
        '[{"a": 1, "b": 2}, {"a": 3, "b": 4}]').items_w
    w_first.setitem(W_String('c'), W_String('x'))
    assert not w_first.is_map_storage()
    assert [w_first.key_at(i).utf8 for i in range(3)] == ['a', 'b', 'c']
    assert w_first.getitem('a').value == 1
    # the other object and the shared map are unchanged
    assert w_second.is_map_storage()
    assert w_second.jsonmap.index_of('c') == -1


def test_pretty_output_is_indented_json(decoder):
    text = dumps(decoder.decode('{"a": [1, 2.5, "x\\"y"], "b": {}, "c": []}'))
    assert text == ('{\n  "a": [\n    1,\n    2.5,\n    "x\\"y"\n  ],\n'
                    '  "b": {},\n  "c": []\n}\n')


def test_pretty_output_escapes_control_characters_and_lone_surrogates():
    from jsondecoder_helpers import make_decoder
    from jsondecoder import SURROGATES_WTF8
    decoder = make_decoder(surrogate_policy=SURROGATES_WTF8)
    text = dumps(decoder.decode('"\\u0001\\ud800\\n\\u00e9"'))
    assert text == '"\\u0001\\ud800\\n\xc3\xa9"\n'
    assert json.loads(text) == u'\x01\ud800\n\xe9'


def test_pretty_output_keeps_floats_exact_and_big_integers_whole(decoder):
    text = dumps(decoder.decode('[0.1, 1e300, -0.0, 123456789012345678901234]'))
    assert json.loads(text) == [0.1, 1e300, -0.0, 123456789012345678901234]
    assert '123456789012345678901234' in text


def test_dict_object_without_duplicates_keeps_the_decoders_order(decoder):
    # more keys than a map may have: the decoder hands over a dict
    keys = ['Attribute%d' % i for i in range(MAX_MAP_KEYS + 5)]
    w_object = decoder.decode('{%s}' % ', '.join(
        '"%s": %d' % (key, i) for i, key in enumerate(keys)))
    assert not w_object.is_map_storage()
    assert [w_object.key_at(i).utf8 for i in range(len(keys))] == keys
    assert w_object.getitem('Attribute7').value == 7
    assert w_object.getitem('missing') is None


def test_duplicate_keys_are_found_in_small_and_large_dict_objects(decoder):
    for count in [2, 16, 17, 40]:
        keys = ['k%d' % i for i in range(count)] + ['k0']
        text = '{%s}' % ', '.join('"%s": %d' % (key, i)
                                  for i, key in enumerate(keys))
        w_object = decoder.decode(text)
        assert w_object.length() == count
        assert w_object.getitem('k0').value == count   # the last one wins
        assert w_object.key_at(0).utf8 == 'k0'


def test_decoded_dict_storage_answers_lookups_and_moves_on_a_new_key():
    from jsondecoder.reference_host import ReferenceBuilder
    builder = ReferenceBuilder()
    keys_w = [W_String(key) for key in ('x', 'y', 'z')]
    values_w = [builder.new_int(i) for i in range(3)]
    w_object = builder.new_dict_object(keys_w, values_w)
    storage = w_object.dict_storage()
    assert storage.keys_w is keys_w and storage.values_w is values_w
    assert w_object.getitem('y').value == 1
    assert w_object.getitem('w') is None
    assert storage.index is None      # small: searched linearly
    w_object.setitem(W_String('w'), builder.new_int(9))
    assert w_object.length() == 4
    assert [w_object.key_at(i).utf8 for i in range(4)] == ['x', 'y', 'z', 'w']
    assert w_object.getitem('z').value == 2
    assert w_object.getitem('w').value == 9


def test_dict_storage_grows_and_indexes_beyond_linear_lookup():
    from jsondecoder.reference_host import (ReferenceBuilder,
                                            LINEAR_LOOKUP_KEYS)
    builder = ReferenceBuilder()
    w_object = builder.new_dict_object([], [])
    count = 3 * LINEAR_LOOKUP_KEYS
    for i in range(count):
        w_object.setitem(W_String('k%d' % i), builder.new_int(i))
    w_object.setitem(W_String('k5'), builder.new_int(-5))
    assert w_object.length() == count
    assert [w_object.key_at(i).utf8 for i in range(count)] == [
        'k%d' % i for i in range(count)]
    assert [w_object.value_at(i).value for i in range(6)] == [0, 1, 2, 3, 4,
                                                               -5]
    assert w_object.getitem('k%d' % (count - 1)).value == count - 1
    assert w_object.dict_storage().index is not None
    assert w_object.getitem('k%d' % count) is None


def test_small_map_object_holds_its_values_in_its_own_fields(decoder):
    from jsondecoder.reference_host import W_Object
    w_object = decoder.decode('{"a": 1, "b": [2]}')
    assert sorted(vars(w_object)) == ['jsonmap', 'storage', 'value0',
                                      'value1']
    assert [w_object.value_at(i) for i in range(2)] == w_object.map_values()
    assert w_object.value0.value == 1
    assert isinstance(w_object, W_Object)


def test_map_object_beyond_the_inline_size_keeps_one_values_list(decoder):
    from jsondecoder.reference_host import MAX_INLINE_VALUES
    count = MAX_INLINE_VALUES + 1
    text = '{%s}' % ', '.join('"k%d": %d' % (i, i) for i in range(count))
    w_object = decoder.decode(text)
    assert w_object.is_map_storage()
    assert sorted(vars(w_object)) == ['jsonmap', 'storage']
    assert [w_object.value_at(i).value for i in range(count)] == range(count)


@pytest.mark.parametrize('count', [0, 1, 5, 16, 17])
def test_map_object_of_any_size_updates_and_then_leaves_map_storage(
        decoder, count):
    text = '{%s}' % ', '.join('"k%d": %d' % (i, i) for i in range(count))
    w_object = decoder.decode(text)
    if count:
        w_object.setitem(W_String('k0'), W_String('first'))
        assert w_object.is_map_storage()
        assert w_object.getitem('k0').utf8 == 'first'
    w_object.setitem(W_String('new'), W_String('last'))
    assert not w_object.is_map_storage()
    assert w_object.length() == count + 1
    assert [w_object.key_at(i).utf8 for i in range(count + 1)] == [
        'k%d' % i for i in range(count)] + ['new']
    assert w_object.getitem('new').utf8 == 'last'
    if count:
        assert w_object.getitem('k0').utf8 == 'first'
    if count > 1:
        assert w_object.getitem('k%d' % (count - 1)).value == count - 1
    # the inline fields no longer keep the old values alive
    assert all(value is None for name, value in vars(w_object).items()
               if name.startswith('value'))


def test_duplicate_finder_reuses_its_table_and_grows_for_large_objects():
    from jsondecoder.reference_host import DuplicateKeyFinder
    finder = DuplicateKeyFinder()

    def keys(*texts):
        return [W_String(text) for text in texts]
    assert not finder.has_duplicate(keys('a', 'b', 'c'))
    # the previous object's slots do not count for the next one
    assert not finder.has_duplicate(keys('a', 'b', 'c'))
    assert finder.has_duplicate(keys('a', 'b', 'a'))    # equal text, new object
    many = ['k%d' % i for i in range(500)]
    assert not finder.has_duplicate(keys(*many))
    assert finder.size >= 2000
    assert finder.has_duplicate(keys(*(many + ['k250'])))


def test_ascii_strings_keep_no_code_point_count(decoder):
    from jsondecoder.reference_host import W_NonAsciiString
    w_ascii, w_other = decoder.decode('["plain", "caf\xc3\xa9"]').items_w
    assert not isinstance(w_ascii, W_NonAsciiString)
    assert w_ascii.code_point_count() == 5
    assert isinstance(w_other, W_NonAsciiString)
    assert w_other.code_point_count() == 4 and len(w_other.utf8) == 5


def test_a_repeated_integer_of_a_field_is_one_host_object(decoder):
    w_array = decoder.decode('[{"at": 1425124228, "n": 7}, {"at": 1425124228, "n": 8},'
                             ' {"at": 99, "n": 8}, 1425124228, 1425124228]')
    first, second, third = [w_array.items_w[i] for i in range(3)]
    assert first.getitem('at') is second.getitem('at')
    assert first.getitem('at').value == 1425124228
    assert second.getitem('n') is third.getitem('n')
    assert first.getitem('n') is not second.getitem('n')
    assert third.getitem('at').value == 99
    # array elements are not fields, but the number cache shares them
    assert w_array.items_w[3] is w_array.items_w[4] is first.getitem('at')
    assert w_array.items_w[3].value == 1425124228
