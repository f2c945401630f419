"""The decoder is RPython: its key paths give the same results after
annotation and rtyping (run on the llinterpreter), which is much faster
than a full translation."""
import pytest
from rpython.rtyper.test.test_llinterp import interpret

from jsondecoder import JSONDecoder, DecoderOptions, JSONDecodeError
from jsondecoder import maps
from jsondecoder.reference_host import (ReferenceBuilder, W_Null, W_Bool,
                                        W_Int, W_BigInt, W_Float, W_String,
                                        W_Array, W_Object)
from targets.jsontool.pretty import dumps

DOCUMENTS = [
    # maps + key speculation + value cache over repeated records
    '[' + ','.join(['{"id": %d, "lang": "en", "name": "user%d"}' % (i, i % 3)
                    for i in range(12)]) + ']',
    # escapes, surrogate pairs, raw UTF-8, long strings
    '{"t": "a\\nb\\u00e9\\ud83d\\ude00", "u": "caf\xc3\xa9 %s"}' % ('x' * 40),
    # numbers: fast ints, big ints, fast and slow floats
    '[0, -7, 123456789012345678901234567890, 1.5, -0.25e-3, '
    '-65.61361699999997, 1e400]',
    # nesting and empty containers
    '[' * 60 + '{}, []' + ']' * 60,
    # duplicate keys -> dict storage
    '{"a": 1, "b": 2, "a": 3}',
    # errors
    '[1, 2,]',
    '{"a" 1}',
    '"\\ud800"',
    '[' * 100,
]


def checksum(w_value):
    """An integer summary of a decoded value that both sides can compute."""
    if isinstance(w_value, W_Object):
        total = 7 + 1000 * w_value.length()
        if w_value.is_map_storage():
            total += 1
        for i in range(w_value.length()):
            total += len(w_value.key_at(i).utf8) * 31
            total += checksum(w_value.value_at(i)) * (i + 3)
        return total % 1000003
    if isinstance(w_value, W_Array):
        total = 11
        for i in range(len(w_value.items_w)):
            total += checksum(w_value.items_w[i]) * (i + 5)
        return total % 1000003
    if isinstance(w_value, W_String):
        return len(w_value.utf8) * 13 + w_value.code_point_count()
    if isinstance(w_value, W_Int):
        return w_value.value % 100003
    if isinstance(w_value, W_BigInt):
        return len(w_value.digits) * 17
    if isinstance(w_value, W_Float):
        return int(w_value.value * 1000.0) if w_value.value < 1e300 else 99
    if isinstance(w_value, W_Bool):
        return 3 if w_value.value else 5
    return 2


def decode_checksum(index, max_depth):
    decoder = JSONDecoder(ReferenceBuilder(), DecoderOptions(
        max_depth=max_depth))
    try:
        w_value = decoder.decode(DOCUMENTS[index])
    except JSONDecodeError as e:
        return -(e.offset * 1000 + e.line * 100 + e.column)
    # a second decode runs with warm maps and caches
    w_value = decoder.decode(DOCUMENTS[index])
    return checksum(w_value) + len(dumps(w_value))


@pytest.mark.parametrize('index', range(len(DOCUMENTS)))
def test_rtyped_decoder_gives_the_same_result(index):
    expected = decode_checksum(index, 80)
    assert interpret(decode_checksum, [index, 80]) == expected


def speculation_hits(count):
    decoder = JSONDecoder(ReferenceBuilder())
    decoder.decode(DOCUMENTS[0])
    return decoder.stats.speculation_hits * 1000 + decoder.stats.key_cache_hits


def test_rtyped_speculation_and_key_cache_count_the_same():
    assert interpret(speculation_hits, [0]) == speculation_hits(0)


def test_rtyped_tree_stays_bounded_under_unique_keys(monkeypatch):
    monkeypatch.setattr(maps, 'MAX_PRELIMINARY', 10)
    monkeypatch.setattr(maps, 'MAX_BLOCKED_CHILDREN', 4)
    document = '[' + ','.join(['{"k%d": %d}' % (i, i)
                               for i in range(60)]) + ']'

    def unique_keys(count):
        decoder = JSONDecoder(ReferenceBuilder())
        w_array = decoder.decode(document)
        tree = decoder.tree
        if not isinstance(w_array, W_Array):
            return -1
        return (tree.map_count * 10000 + tree.prunes * 100 +
                decoder.stats.objects_as_dicts)
    expected = unique_keys(0)
    assert expected // 10000 <= 12
    assert interpret(unique_keys, [0]) == expected
