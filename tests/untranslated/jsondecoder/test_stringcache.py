"""String memoization: key cache, value cache with a ring of recent hashes,
per-field switch-off (jsondecoder/stringcache.py)."""
import json

from jsondecoder import stringcache


def test_repeated_keys_share_one_host_key_object(decoder):
    w_array = decoder.decode('[{"name": 1}, {"other": 0, "name": 2}]')
    first, second = w_array.items_w
    assert second.key_at(1) is first.key_at(0)


def test_keys_hit_the_key_cache_across_maps(decoder):
    decoder.decode('[{"a": 1, "z": 1}, {"b": 1, "z": 1}, {"c": 1, "z": 1}]')
    assert decoder.stats.key_cache_hits >= 2


def test_value_seen_once_is_not_cached(decoder):
    decoder.decode('[{"city": "Paris"}, {"city": "Rome"}]')
    assert decoder.stats.value_cache_probes == 0


def test_recurring_value_is_decoded_once_and_shared(decoder):
    w_array = decoder.decode(json.dumps([{'lang': 'en'}] * 5))
    strings = [w_object.getitem('lang') for w_object in w_array.items_w]
    # first sighting fills the ring, the second the cache, then hits
    assert strings[2] is strings[1] and strings[4] is strings[1]
    assert decoder.stats.value_cache_hits == 3


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


def test_ring_admits_a_value_only_while_its_hash_is_recent():
    cache = stringcache.ValueCache()
    assert not cache.seen_recently(12345)
    assert cache.seen_recently(12345)
    for other in range(stringcache.RECENT_HASHES):
        cache.seen_recently(1000 + other)
    assert not cache.seen_recently(12345)


def test_strings_with_escapes_are_never_shared(decoder):
    w_array = decoder.decode(json.dumps([{'t': 'a\nb'}] * 4))
    strings = [w.getitem('t') for w in w_array.items_w]
    assert strings[3] is not strings[2]
    assert strings[3].utf8 == 'a\nb'
