"""A target the sandbox checker must reject: it writes raw memory it was handed."""
from rpython.rtyper.lltypesystem import lltype, rffi


def scribble(address):
    buf = rffi.cast(rffi.CCHARP, address)
    buf[0] = 'x'


def entry_point(argv):
    scribble(len(argv))
    return 0


def target(*args):
    return entry_point, None
