"""An RPython JSON decoder that any RPython interpreter can plug in.

    from jsondecoder import JSONDecoder, DecoderOptions, JSONDecodeError
    decoder = JSONDecoder(my_builder)          # keep one per host
    w_value = decoder.decode(utf8_bytes)       # raises JSONDecodeError

The host implements `jsondecoder.builder.JSONBuilder`;
`jsondecoder.reference_host` is a small example host.  Modules, one
technique each: scanner (word-at-a-time string scanning), strings (UTF-8,
escapes, surrogate policy), numbers, stringcache (string memoization), maps
(hidden classes and key speculation), decoder (the iterative parser), stats,
errors.
"""
from jsondecoder.decoder import JSONDecoder, DecoderOptions, DEFAULT_MAX_DEPTH
from jsondecoder.errors import JSONDecodeError
from jsondecoder.strings import (SURROGATES_REJECT, SURROGATES_REPLACE,
                                 SURROGATES_WTF8)
