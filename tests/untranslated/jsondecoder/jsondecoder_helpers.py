"""Helpers shared by the decoder's tests: plain-Python views of decoded
values, decoders, and Hypothesis strategies."""
from hypothesis import strategies as st

from jsondecoder import JSONDecoder, DecoderOptions
from jsondecoder.reference_host import (ReferenceBuilder, W_Null, W_Bool,
                                        W_Int, W_BigInt, W_Float, W_String,
                                        W_Array, W_Object)


def to_python(w_value):
    """unicode, int/long, float, list, dict, bool or None for a W_Value."""
    if isinstance(w_value, W_Object):
        result = {}
        for i in range(w_value.length()):
            result[w_value.key_at(i).utf8.decode('utf-8')] = to_python(
                w_value.value_at(i))
        return result
    if isinstance(w_value, W_Array):
        return [to_python(w_item) for w_item in w_value.items_w]
    if isinstance(w_value, W_String):
        return w_value.utf8.decode('utf-8')
    if isinstance(w_value, W_Int):
        return w_value.value
    if isinstance(w_value, W_BigInt):
        return long(w_value.digits)
    if isinstance(w_value, W_Float):
        return w_value.value
    if isinstance(w_value, W_Bool):
        return w_value.value
    if isinstance(w_value, W_Null):
        return None
    raise TypeError(w_value)


def make_decoder(**options):
    return JSONDecoder(ReferenceBuilder(), DecoderOptions(**options))


# lone surrogates have a policy of their own (test_strings.py)
no_surrogate_text = st.text(
    alphabet=st.characters(blacklist_categories=('Cs',)), max_size=12)
