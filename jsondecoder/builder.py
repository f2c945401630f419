"""The interface between the decoder and the host interpreter's objects.

The decoder never sees host types: it calls one method of a `JSONBuilder`
per decoded value and keeps whatever comes back in lists to hand to later
calls.  A host subclasses JSONBuilder and overrides every method.

RPython note: the annotator unifies what the `new_*` methods return, so they
must all return instances of one host base class (W_Root, say), and a
translated program uses one builder class (one kind of host object).

Strings are handed over as UTF-8 (`utf8`, always valid; with the WTF-8
surrogate policy it may contain encoded lone surrogates) together with their
length in code points, which hosts with UTF-8 strings (like PyPy) store.

A string the document holds verbatim (no escapes) comes through
`new_string_in(text, start, end, code_points)`: the bytes text[start:end] of
the document string itself, so that a host may keep a view into `text`
instead of a copy; by default it is copied and passed to `new_string`.

Objects arrive in one of two forms:

* `new_map_object(jsonmap, values_w)`: the keys are those of `jsonmap`
  (`jsonmap.keys()`, in order; each key's `w_value` is the object returned
  by `new_key` for it) and `values_w[i]` belongs to key i.  Keys are
  distinct.  `jsonmap.index_of(utf8)` finds a key's index; it is elidable.
  A map object that is later mutated with a new key should be turned into an
  ordinary dict by the host.
* `new_dict_object(keys_w, values_w)`: rare or huge key sets.  Keys may
  repeat; RFC 8259 leaves the meaning open, Python's json keeps the last
  value (at the first key's position) and the reference host does the same.

The lists handed to `new_array`, `new_map_object` and `new_dict_object`
belong to the host from then on (they are exactly sized copies).
"""


from jsondecoder.scanner import text_slice


class JSONBuilder(object):
    """Abstract: the host's constructors for decoded values."""

    def new_null(self):
        raise NotImplementedError

    def new_true(self):
        raise NotImplementedError

    def new_false(self):
        raise NotImplementedError

    def new_int(self, value):
        """A number without fraction or exponent that fits a machine int.
        The decoder hands the result out again for the same value of the
        same object field, so it must be immutable."""
        raise NotImplementedError

    def new_bigint(self, digits):
        """An integer too large for a machine int: its decimal text, with a
        leading '-' if negative (no leading zeros, no '+')."""
        raise NotImplementedError

    def new_float(self, value):
        """A number with a fraction or an exponent, correctly rounded.
        (+-inf and nan only with the allow_nonfinite option, or for
        literals like 1e400 that overflow.)"""
        raise NotImplementedError

    def new_string(self, utf8, code_points):
        raise NotImplementedError

    def new_string_in(self, text, start, end, code_points):
        """The string text[start:end] of the document `text` (valid UTF-8,
        0 <= start <= end <= len(text))."""
        return self.new_string(text_slice(text, start, end), code_points)

    def new_shared_string_in(self, text, start, end, code_points):
        """As new_string_in, for a string the decoder's value cache keeps
        and hands out again for the same bytes, in this document and later
        ones (made at the bytes' second sighting: the first gets
        new_string_in).  A host may return a view into `text` here if its
        `settle_shared` makes the string independent of `text`: the decoder
        calls it, when the document is done, on each such string the cache
        still holds."""
        return self.new_string(text_slice(text, start, end), code_points)

    def settle_shared(self, w_string):
        """See new_shared_string_in (by default nothing to do)."""
        pass

    def end_document(self):
        """The decoder is done with a document (decoded or not), after
        settling the shared strings: a host drops what it kept only for
        that document (by default nothing)."""
        pass

    def new_key(self, utf8, code_points):
        """The host's object for an object key; keys are cached, so one key
        object is shared by many objects."""
        raise NotImplementedError

    def new_array(self, items_w):
        raise NotImplementedError

    def new_map_object(self, jsonmap, values_w):
        raise NotImplementedError

    def new_dict_object(self, keys_w, values_w):
        raise NotImplementedError
