"""String memoization: key cache, value cache probed with raw bytes within
a document and with text across documents, per-field switch-off
(jsondecoder/stringcache.py)."""
import json
import random

from jsondecoder import stringcache
from jsondecoder.scanner import InputBuffer


def test_repeated_keys_share_one_host_key_object(decoder):
    w_array = decoder.decode('[{"name": 1}, {"other": 0, "name": 2}]')
    first, second = w_array.items_w
    assert second.key_at(1) is first.key_at(0)


def test_keys_hit_the_key_cache_across_maps(decoder):
    decoder.decode('[{"a": 1, "z": 1}, {"b": 1, "z": 1}, {"c": 1, "z": 1}]')
    assert decoder.stats.key_cache_hits >= 2


def test_value_seen_once_is_a_miss(decoder):
    decoder.decode('[{"city": "Paris"}, {"city": "Rome"}]')
    assert decoder.stats.value_cache_probes == 2
    assert decoder.stats.value_cache_hits == 0


def test_recurring_value_is_decoded_once_and_shared(decoder):
    w_array = decoder.decode(json.dumps([{'lang': 'en'}] * 5))
    strings = [w_object.getitem('lang') for w_object in w_array.items_w]
    assert all(w_string is strings[0] for w_string in strings)
    assert decoder.stats.value_cache_hits == 4


def test_values_of_dict_objects_and_array_elements_are_shared(decoder):
    many_keys = dict(('k%d' % i, 'same') for i in range(300))
    w_array = decoder.decode(json.dumps([many_keys, ['tag', 'tag']]))
    w_dict, w_tags = w_array.items_w
    assert not w_dict.is_map_storage()
    assert w_dict.getitem('k1') is w_dict.getitem('k2')
    assert w_tags.items_w[0] is w_tags.items_w[1]


def test_value_is_shared_across_documents(decoder):
    first = decoder.decode('{"lang": "en"}').getitem('lang')
    second = decoder.decode('  {"lang": "en"}').getitem('lang')
    assert second is first
    assert decoder.decode('{"lang": "em"}').getitem('lang').utf8 == 'em'


def test_cached_value_is_only_reused_for_identical_bytes(decoder):
    document = json.dumps([{'v': 'same'}, {'v': 'same'}, {'v': 'sama'},
                           {'v': 'same'}])
    w_array = decoder.decode(document)
    assert [w.getitem('v').utf8 for w in w_array.items_w] == [
        'same', 'same', 'sama', 'same']


def test_unique_values_switch_caching_off_for_their_field(decoder):
    count = stringcache.FIELD_SAMPLE + 10
    document = json.dumps([{'uuid': 'id-%08d' % i, 'kind': 'user'}
                           for i in range(count)], sort_keys=True)
    w_array = decoder.decode(document)
    uuid_field = w_array.items_w[0].jsonmap
    kind_field = w_array.items_w[0].jsonmap.parent
    assert uuid_field.key.utf8 == 'uuid'
    assert not uuid_field.field_cache.caching_enabled
    assert kind_field.field_cache.caching_enabled
    assert decoder.stats.fields_caching_disabled == 1


def test_values_drawn_from_thousands_keep_caching_on(decoder):
    rng = random.Random(4)
    count = stringcache.FIELD_SAMPLE * 2
    document = json.dumps([{'login': 'user%d' % rng.randrange(2000)}
                           for i in range(count)])
    w_array = decoder.decode(document)
    assert w_array.items_w[0].jsonmap.field_cache.caching_enabled


def test_entry_of_this_document_is_compared_by_raw_bytes():
    body = 'abcdefghij'
    buf = InputBuffer(body + body + 'abcdefghiX')
    cache = stringcache.ValueCache(size=16)
    cache.insert(7, 0, body, "w", 1)
    assert cache.lookup(buf.storage, 10, 20, 7, 1) == "w"
    # same hash and length, different bytes (a collision) is a miss
    assert cache.lookup(buf.storage, 20, 30, 7, 1) is None
    assert cache.lookup(buf.storage, 10, 19, 7, 1) is None


def test_entry_of_an_earlier_document_is_compared_by_text():
    cache = stringcache.ValueCache(size=16)
    cache.insert(7, 5, 'short', "w", 1)
    buf = InputBuffer('short')
    assert cache.lookup(buf.storage, 0, 5, 7, 2) == "w"
    assert cache.slots[7].offset == 0 and cache.slots[7].document == 2
    other = InputBuffer('shore')
    assert cache.lookup(other.storage, 0, 5, 7, 3) is None


def test_entry_that_was_hit_gets_a_second_chance():
    buf = InputBuffer('aaaa bbbb')
    cache = stringcache.ValueCache(size=16)
    cache.insert(3, 0, 'aaaa', "a", 1)
    assert cache.lookup(buf.storage, 0, 4, 3, 1) == "a"
    cache.insert(3 + 16, 5, 'bbbb', "b", 1)       # same slot
    assert cache.lookup(buf.storage, 0, 4, 3, 1) == "a"
    cache.insert(3 + 16, 5, 'bbbb', "b", 1)
    cache.insert(3 + 16, 5, 'bbbb', "b", 1)
    assert cache.lookup(buf.storage, 5, 9, 3 + 16, 1) == "b"
    assert cache.lookup(buf.storage, 0, 4, 3, 1) is None


def test_strings_with_escapes_are_never_shared(decoder):
    w_array = decoder.decode(json.dumps([{'t': 'a\nb'}] * 4))
    strings = [w.getitem('t') for w in w_array.items_w]
    assert strings[3] is not strings[2]
    assert strings[3].utf8 == 'a\nb'
