"""Nesting: the decoder is iterative, so depth is bounded by max_depth, not
by the C stack (jsondecoder/decoder.py)."""
import pytest

from jsondecoder import JSONDecodeError, DEFAULT_MAX_DEPTH


def nested(depth, open_bracket='[', close_bracket=']'):
    return open_bracket * depth + close_bracket * depth


def test_hundred_thousand_brackets_give_a_clear_error(decode):
    with pytest.raises(JSONDecodeError) as info:
        decode('[' * 100000)
    assert 'nesting too deep' in info.value.reason
    assert 'max_depth' in info.value.reason
    assert info.value.offset == DEFAULT_MAX_DEPTH


def test_nesting_up_to_the_limit_is_accepted(decoder):
    w_value = decoder.decode(nested(DEFAULT_MAX_DEPTH))
    depth = 1
    while w_value.items_w:
        w_value = w_value.items_w[0]
        depth += 1
    assert depth == DEFAULT_MAX_DEPTH


def test_nesting_one_past_the_limit_is_rejected(decode):
    with pytest.raises(JSONDecodeError):
        decode(nested(11), max_depth=10)
    assert decode(nested(10), max_depth=10) == [[[[[[[[[[]]]]]]]]]]
    with pytest.raises(JSONDecodeError):
        decode('[' * 10 + '{}' + ']' * 10, max_depth=10)


def test_deep_objects_count_like_arrays(decode):
    text = '{"a":' * 20 + '1' + '}' * 20
    with pytest.raises(JSONDecodeError):
        decode(text, max_depth=19)
    assert decode(text, max_depth=20)['a']['a']['a'] is not None


def test_mixed_deep_nesting_decodes_every_level(decode):
    text = '[{"k": ' * 300 + 'null' + '}]' * 300
    value = decode(text)
    for level in range(300):
        value = value[0]['k']
    assert value is None


def test_value_stack_is_kept_for_the_next_document_without_its_objects(
        decoder):
    decoder.decode('[[1, 2, {"a": [3, 4, 5]}], "x", {"b": {"c": [6]}}]')
    stack = decoder.value_stack
    assert len(stack) >= 5
    assert all(entry is None for entry in stack)
    decoder.decode('[1, [2]]')
    assert decoder.value_stack is stack


def test_value_stack_is_cleared_after_an_error_midway(decoder):
    from jsondecoder import JSONDecodeError
    with pytest.raises(JSONDecodeError):
        decoder.decode('[[1, 2, 3, {"a": "b", "c": [4, 5')
    assert all(entry is None for entry in decoder.value_stack)


def test_an_oversized_value_stack_is_not_kept(decoder, monkeypatch):
    from jsondecoder import decoder as decoder_module
    monkeypatch.setattr(decoder_module, 'MAX_KEPT_STACK', 3)
    decoder.decode('[1, 2, 3, 4, 5]')
    assert decoder.value_stack is None
    assert decoder.decode('[6]').items_w[0].value == 6


def test_a_long_array_moves_its_values_to_chunks_not_a_larger_stack(decoder):
    from jsondecoder.decoder import ARRAY_CHUNK
    count = 5 * ARRAY_CHUNK + 123
    # the long array sits inside another array and holds small containers
    text = '[0, [%s], 1]' % ', '.join('[%d, {"k": %d}]' % (i, i) for i in range(count))
    w_outer = decoder.decode(text)
    w_long = w_outer.items_w[1]
    assert len(w_long.items_w) == count
    assert [w.items_w[0].value for w in w_long.items_w] == list(range(count))
    assert w_long.items_w[-1].items_w[1].getitem('k').value == count - 1
    assert w_outer.items_w[2].value == 1
    assert len(decoder.value_stack) <= 4 * ARRAY_CHUNK
    assert all(entry is None for entry in decoder.value_stack)
    # a document that fails inside a chunked array leaves nothing behind
    with pytest.raises(JSONDecodeError):
        decoder.decode('[%s, [' % ', '.join(['7'] * (3 * ARRAY_CHUNK)))
    assert all(entry is None for entry in decoder.value_stack)
