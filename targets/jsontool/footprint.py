"""The memory a decoded document holds: every GC object reachable from it.

After a full collection (so no object is in the nursery and none moves
during the walk), the objects reachable from the document are visited once
each, marked with the GC's spare header flag (rgc's gcflag_extra), and
their sizes summed as the GC reports them (`get_rpy_memory_usage`, rounded
for allocation) plus GC_HEADER_BYTES each.  A second walk clears the flags.

What counts: the host objects, their lists and strings, and what they
reference: the maps of map-stored objects, their keys and so the whole map
tree (shared by all documents of a decoder, charged here to this one), and
prebuilt objects such as the shared small integers.  What does not: the
decoder's caches and its raw input buffer, which the document does not
reference.
"""
from rpython.rlib import rgc
from rpython.rlib.rarithmetic import LONG_BIT

# incminimark's header is one word (type id and flags)
GC_HEADER_BYTES = LONG_BIT // 8


class Footprint(object):
    def __init__(self, total_bytes, objects):
        self.total_bytes = total_bytes
        self.objects = objects


def _walk(root, marking):
    """Visit every object reachable from `root` whose flag is not yet in
    the state `marking` asks for, flipping it; return the Footprint."""
    total_bytes = 0
    objects = 0
    rgc.toggle_gcflag_extra(root)
    pending = [root]
    while pending:
        gcref = pending.pop()
        objects += 1
        total_bytes += rgc.get_rpy_memory_usage(gcref) + GC_HEADER_BYTES
        for referent in rgc.get_rpy_referents(gcref):
            if referent and rgc.get_gcflag_extra(referent) != marking:
                rgc.toggle_gcflag_extra(referent)
                pending.append(referent)
    return Footprint(total_bytes, objects)


def document_footprint(w_document):
    """The Footprint of everything reachable from `w_document`."""
    rgc.collect()
    root = rgc.cast_instance_to_gcref(w_document)
    footprint = _walk(root, True)
    _walk(root, False)
    rgc.assert_no_more_gcflags()
    return footprint
