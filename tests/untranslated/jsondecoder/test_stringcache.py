"""String memoization: key cache, value cache probed per field while the
field's hit rate pays, a ring of recent hashes for strings without a field
(jsondecoder/stringcache.py)."""
import json

from jsondecoder import stringcache


def test_repeated_keys_share_one_host_key_object(decoder):
    w_array = decoder.decode('[{"name": 1}, {"other": 0, "name": 2}]')
    first, second = w_array.items_w
    assert second.key_at(1) is first.key_at(0)


def test_keys_hit_the_key_cache_across_maps(decoder):
    decoder.decode('[{"a": 1, "z": 1}, {"b": 1, "z": 1}, {"c": 1, "z": 1}]')
    assert decoder.stats.key_cache_hits >= 2


def test_recurring_field_value_is_decoded_once_and_shared(decoder):
    w_array = decoder.decode(json.dumps([{'lang': 'en'}] * 5))
    strings = [w_object.getitem('lang') for w_object in w_array.items_w]
    # a field's strings go to the cache from the first one on; the first
    # sighting is the host's ordinary string, the second makes the shared one
    assert all(string is strings[1] for string in strings[1:])
    assert strings[0] is not strings[1] and strings[0].utf8 == strings[1].utf8 == 'en'
    assert decoder.stats.value_cache_hits == 4


def test_field_values_far_apart_are_still_shared(decoder):
    """Repeats many strings apart (users in an event log): no ring decides
    for a field, so the repeat hits."""
    records = [{'login': 'user%d' % (i % 50), 'n': 'x%d' % i}
               for i in range(200)]
    w_array = decoder.decode(json.dumps(records))
    assert (w_array.items_w[50].getitem('login') is
            w_array.items_w[100].getitem('login'))


def test_array_string_seen_once_is_not_probed(decoder):
    decoder.decode('["Paris", "Rome", "Oslo"]')
    assert decoder.stats.value_cache_probes == 0


def test_array_strings_are_shared_once_their_hash_is_recent(decoder):
    w_array = decoder.decode(json.dumps(['en'] * 5))
    strings = w_array.items_w
    # the first sighting fills the ring, the second a cache slot (without
    # host object), the third hits and makes the shared string
    assert strings[1] is not strings[0] and strings[2] is not strings[1]
    assert strings[3] is strings[2] and strings[4] is strings[2]
    assert decoder.stats.value_cache_hits == 3


def test_value_cache_compares_the_bytes_not_only_the_hash():
    cache = stringcache.ValueCache()
    from jsondecoder.scanner import InputBuffer
    buf = InputBuffer('"abcd" "abce"')
    marker = object()
    cache.insert(buf.storage, 1, 5, 77, 'abcd', marker)
    slot = cache.find(buf.storage, 1, 5, 77)
    assert slot >= 0 and cache.values_w[slot] is marker
    assert cache.find(buf.storage, 8, 12, 77) == -1     # same hash, other bytes
    assert cache.find(buf.storage, 1, 4, 77) == -1      # other length
    assert cache.find(buf.storage, 1, 5, 78) == -1
    cache.clear()
    assert cache.find(buf.storage, 1, 5, 77) == -1
    buf.close()


def test_value_cache_compares_every_byte_of_inline_and_long_texts():
    """The first INLINE_BYTES are compared a word at a time in the slot,
    the rest with the cached string: a difference anywhere is a miss."""
    from jsondecoder.scanner import InputBuffer
    for length in [1, 7, 8, 9, 15, 16, 17, stringcache.INLINE_BYTES - 1,
                   stringcache.INLINE_BYTES, stringcache.INLINE_BYTES + 1,
                   stringcache.INLINE_BYTES + 8, 3 * stringcache.INLINE_BYTES]:
        text = ''.join(chr(ord('a') + i % 26) for i in range(length))
        variants = [text[:i] + '#' + text[i + 1:] for i in range(length)]
        buf = InputBuffer(' '.join('"%s"' % t for t in [text] + variants))
        cache = stringcache.ValueCache()
        marker = object()
        cache.insert(buf.storage, 1, 1 + length, 99, text, marker)
        assert cache.values_w[cache.find(buf.storage, 1, 1 + length, 99)] is marker
        for i in range(length):
            start = 1 + (length + 3) * (i + 1)
            assert cache.find(buf.storage, start, start + length,
                              99) == -1, (length, i)
        buf.close()


def test_long_repeated_field_values_are_shared(decoder):
    url = 'https://example.com/' + 'x' * 3 * stringcache.INLINE_BYTES
    w_array = decoder.decode(json.dumps([{'url': url}] * 3))
    strings = [w.getitem('url') for w in w_array.items_w]
    assert strings[1] is strings[0] and strings[2] is strings[0]
    assert strings[0].utf8 == url


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


class SettleRecordingBuilder(object):
    """Wraps a decoder's builder: notes which strings the value cache made
    shared and which it settled."""

    def __init__(self, builder):
        self.builder = builder
        self.shared = []
        self.settled = []

    def __getattr__(self, name):
        return getattr(self.builder, name)

    def new_shared_string_in(self, text, start, end, code_points):
        w_string = self.builder.new_shared_string_in(text, start, end,
                                                     code_points)
        self.shared.append(w_string)
        return w_string

    def settle_shared(self, w_string):
        self.settled.append(w_string)


def test_missed_short_values_are_shared_and_settled_once_per_document(decoder):
    recorder = SettleRecordingBuilder(decoder.builder)
    decoder.builder = recorder
    document = json.dumps([{'v': 'alpha'}, {'v': 'beta'}, {'v': 'alpha'},
                           {'v': 'alpha'}])
    w_array = decoder.decode(document)
    strings = [w.getitem('v') for w in w_array.items_w]
    # alpha's second sighting made the shared string; beta was seen once
    assert strings[3] is strings[2] and strings[2] is not strings[0]
    assert recorder.shared == [strings[2]]
    # settled when the document is done, each slot once
    assert recorder.settled == [strings[2]]
    assert decoder.value_cache.shared_slots == []
    w_again = decoder.decode(document)
    # alpha hits the first document's string; beta's second sighting
    assert w_again.items_w[0].getitem('v') is strings[2]
    assert recorder.shared[-1] is w_again.items_w[1].getitem('v')
    assert len(recorder.settled) == 2 and recorder.settled[-1] is recorder.shared[-1]


def test_long_missed_values_are_copied_for_the_cache(decoder):
    recorder = SettleRecordingBuilder(decoder.builder)
    decoder.builder = recorder
    url = 'https://example.com/' + 'x' * stringcache.INLINE_BYTES
    decoder.decode(json.dumps([{'url': url}] * 2))
    assert recorder.shared == [] and recorder.settled == []


def test_shared_strings_are_settled_when_decoding_fails(decoder):
    recorder = SettleRecordingBuilder(decoder.builder)
    decoder.builder = recorder
    try:
        decoder.decode('[{"v": "alpha"}, {"v": "alpha"}, {"v": ')
    except Exception:
        pass
    else:
        raise AssertionError("decoded a truncated document")
    assert recorder.settled == recorder.shared and len(recorder.shared) == 1
    assert decoder.value_cache.shared_slots == []


# ------------------------------------------- strings interned per document

def test_repeats_too_far_apart_for_the_value_cache_are_found_in_the_document(decoder):
    """2,000 actors over 12,000 events, as in the events corpus: 6,000 and
    more strings in play, more than the value cache's slots."""
    import random
    rng = random.Random(4)
    records = []
    for i in range(12000):
        actor = rng.randrange(2000)
        records.append({'id': i, 'login': 'user%d' % actor,
                        'url': 'https://api.github.com/users/user%d' % actor,
                        'avatar': 'https://avatars.example.com/u/%d' % actor})
    w_array = decoder.decode(json.dumps(records))
    # a string's first sighting is its own; all later ones share one
    sightings = {}
    for record, w_object in zip(records, w_array.items_w):
        for field in ('login', 'url', 'avatar'):
            w_string = w_object.getitem(field)
            assert w_string.utf8 == record[field]
            sightings.setdefault(record[field], []).append(w_string)
    for objects in sightings.values():
        assert all(w_string is objects[1] for w_string in objects[1:])
    assert decoder.stats.interned_hits > 10000
    assert decoder.stats.fields_interning_disabled == 0


def test_a_field_whose_document_repeats_are_rare_stops_interning():
    stats = stringcache.FieldCacheStats()
    for i in range(stringcache.INTERN_WINDOW):
        switched_off = stats.record_interned(i % 10 == 0)
        assert switched_off == (i == stringcache.INTERN_WINDOW - 1)
    assert not stats.interning
    stats = stringcache.FieldCacheStats()
    for i in range(2 * stringcache.INTERN_WINDOW):
        assert not stats.record_interned(i % 6 == 0)
    assert stats.interning


def test_after_its_warm_up_a_field_interns_while_half_its_strings_come_back():
    window = stringcache.INTERN_WINDOW
    warm_up = stringcache.INTERN_WARM_UP_WINDOWS * window
    # a third found (Yelp's names): kept through the warm-up, then dropped
    stats = stringcache.FieldCacheStats()
    results = [stats.record_interned(i % 3 == 0) for i in range(warm_up + window)]
    assert results.index(True) == warm_up + window - 1 and not stats.interning
    # nine in ten found (events' logins): kept
    stats = stringcache.FieldCacheStats()
    assert not any(stats.record_interned(i % 10 != 0) for i in range(warm_up + 4 * window))
    assert stats.interning


def test_document_strings_compare_bytes_and_lengths_and_grow():
    from jsondecoder.scanner import InputBuffer
    bodies = ['abcd', 'abce', 'abc', 'abcde', ''] + ['s%d' % i for i in range(400)]
    text = ' '.join('"%s"' % body for body in bodies)
    buf = InputBuffer(text)
    strings = stringcache.DocumentStrings()
    position = {}
    offset = 1
    for body in bodies:
        position[body] = offset
        offset += len(body) + 3
    # one hash for the first five: only the bytes and the quote tell them apart
    def hash_of(body):
        return stringcache.r_uint(7 if len(body) <= 5 and not body.startswith('s') else hash(body) & 0xffff)
    def lookup(storage, start, body):
        return strings.values_w[strings.slot_of(storage, start, start + len(body), hash_of(body))]
    for body in bodies:
        start = position[body]
        assert lookup(buf.storage, start, body) is None
        slot = strings.slot_of(buf.storage, start, start + len(body), hash_of(body))
        strings.fill(slot, start, hash_of(body), body)
    assert len(strings.starts) >= 3 * len(bodies) // 2
    for body in bodies:
        assert lookup(buf.storage, position[body], body) == body
    # a second occurrence elsewhere in the document
    buf = InputBuffer(text + ' "abc" "abcd"')
    again = len(text) + 2
    assert lookup(buf.storage, again, 'abc') == 'abc'
    assert lookup(buf.storage, again + 6, 'abcd') == 'abcd'
