"""Property tests: random documents encoded by Python's json decode to the
same value, and re-emitted (jsontool --pretty) read back the same."""
import json

from jsondecoder import JSONDecodeError

from hypothesis import given, settings, strategies as st

from jsondecoder_helpers import no_surrogate_text, to_python
from targets.jsontool.pretty import dumps

scalars = (st.none() | st.booleans() |
           st.integers(min_value=-2 ** 70, max_value=2 ** 70) |
           st.floats(allow_nan=False, allow_infinity=False) |
           no_surrogate_text)
documents = st.recursive(
    scalars,
    lambda children: (st.lists(children, max_size=6) |
                      st.dictionaries(no_surrogate_text, children,
                                      max_size=6)),
    max_leaves=30)
layouts = st.sampled_from([
    dict(), dict(indent=2), dict(separators=(',', ':')),
    dict(ensure_ascii=False), dict(indent=0, ensure_ascii=False)])


def encode(value, layout):
    text = json.dumps(value, **layout)
    if isinstance(text, unicode):
        text = text.encode('utf-8')
    return text


@settings(max_examples=300, deadline=None)
@given(documents, layouts)
def test_decoding_agrees_with_python_json(decode, value, layout):
    text = encode(value, layout)
    assert decode(text) == json.loads(text)


@settings(max_examples=200, deadline=None)
@given(documents, layouts)
def test_pretty_output_reads_back_as_the_same_document(decoder, value,
                                                       layout):
    text = encode(value, layout)
    assert json.loads(dumps(decoder.decode(text))) == json.loads(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    'id': st.integers(), 'name': no_surrogate_text,
    'tags': st.lists(st.sampled_from(['a', 'b', 'c'])),
    'extra': st.dictionaries(st.sampled_from(['x', 'y', 'z']),
                             st.integers())}), max_size=20))
def test_records_with_shared_maps_decode_like_python_json(decoder, records):
    # one long-lived decoder: maps, speculation and caches stay warm
    text = json.dumps(records)
    for _ in range(2):
        assert to_python(decoder.decode(text)) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=30) |
       st.from_regex(r'\A[\[\]{}",:0-9eE.+\- ntrufalse\\]{0,20}\Z').map(
           lambda text: text.encode('ascii')))
def test_arbitrary_bytes_decode_or_raise_a_decode_error(decode, data):
    try:
        python_value = json.loads(data.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        python_value = ValueError
    try:
        value = decode(data)
    except JSONDecodeError as e:
        assert 0 <= e.offset <= len(data)
        return
    # what we accept, Python's json accepts too, with the same value
    assert python_value is not ValueError
    assert value == python_value
