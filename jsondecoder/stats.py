"""Counters kept by a decoder across documents, and their report.

They answer: are the maps paying off (objects stored as maps vs dicts, maps
useful/blocked), is key speculation guessing right, do the string caches
hit.  Counting is a few increments per object or string.
"""


def percent(part, whole):
    if whole == 0:
        return "-"
    tenths = (part * 1000 + whole // 2) // whole
    return "%d.%d%%" % (tenths // 10, tenths % 10)


class DecoderStats(object):

    def __init__(self):
        self.documents = 0
        self.bytes_decoded = 0
        self.documents_in_place = 0     # read without a copy (scanner.py)
        self.objects_as_maps = 0
        self.objects_as_dicts = 0
        self.arrays = 0
        self.speculations = 0
        self.speculation_hits = 0
        self.keys_scanned = 0
        self.key_cache_hits = 0
        self.escaped_strings = 0
        self.field_strings = 0
        self.value_cache_probes = 0
        self.value_cache_hits = 0
        self.fields_caching_disabled = 0
        self.interned_hits = 0          # found in DocumentStrings
        self.fields_interning_disabled = 0
        self.numbers_shared = 0         # boxes handed out again (numbercache.py)

    def report(self, tree):
        """The statistics as text lines, for `jsontool --stats`."""
        useful, preliminary, blocked, closed = tree.count_states()
        objects = self.objects_as_maps + self.objects_as_dicts
        lines = [
            "documents: %d (%d bytes), %d read in place" % (
                self.documents, self.bytes_decoded, self.documents_in_place),
            "objects: %d as maps (%s), %d as dicts; arrays: %d" % (
                self.objects_as_maps, percent(self.objects_as_maps, objects),
                self.objects_as_dicts, self.arrays),
            "maps: %d created, %d in tree now: %d useful, %d preliminary, "
            "%d blocked; %d closed to new keys; %d prunes" % (
                tree.maps_created, tree.map_count, useful, preliminary,
                blocked, closed, tree.prunes),
            "key speculation: %d of %d guesses right (%s)" % (
                self.speculation_hits, self.speculations,
                percent(self.speculation_hits, self.speculations)),
            "keys scanned: %d, key cache hits: %d (%s)" % (
                self.keys_scanned, self.key_cache_hits,
                percent(self.key_cache_hits, self.keys_scanned)),
            "value strings in caching map fields: %d; value cache probes "
            "(those and ring-admitted others): %d, hits: %d (%s); fields "
            "with caching switched off: %d" % (
                self.field_strings, self.value_cache_probes,
                self.value_cache_hits,
                percent(self.value_cache_hits, self.value_cache_probes),
                self.fields_caching_disabled),
            "strings found again in their document (fields whose repeats "
            "the value cache misses): %d; fields with interning switched "
            "off: %d" % (self.interned_hits, self.fields_interning_disabled),
            "strings with escapes: %d" % self.escaped_strings,
            "numbers shared by the number cache: %d" % self.numbers_shared,
        ]
        return lines
