"""The decoder: an iterative parser that drives the maps, the key speculation
and the string caches, and hands every value to the host's builder.

No recursion: open arrays and objects are kept on an explicit stack of
`Frame`s, so nesting depth costs heap, not C stack, and the `max_depth`
option turns absurd nesting (100,000 '[') into an ordinary error.

Values wait on one shared value stack (`value_stack[:value_top]`): a frame
only remembers where its values start (`base`).  When a container closes,
its values are sliced off into an exactly sized list for the host, so a
container costs one allocation however many elements it has.  The decoder
keeps the stack for its next document (JSONDecoder.take_value_stack says
why).  An object in
map mode keeps only values on the stack (the keys are its map's); an object
in dict mode keeps key, value, key, value...  An object starts in map mode
and switches to dict mode, once, when the map tree refuses a transition
(see maps.py); the keys it already had are then interleaved back in.

Invariants between steps of the main loop: `pos` is at the first byte of a
value (whitespace skipped); each open frame's values occupy
value_stack[frame.base:value_top] in order (for the innermost frame), and
an object frame in map mode has exactly `frame.jsonmap.key_count` values
once its current value is pushed.
"""
from rpython.rlib import jit
from rpython.rlib.objectmodel import always_inline
from rpython.rlib.rarithmetic import r_uint
from rpython.rlib.rfloat import INFINITY, NAN

from jsondecoder.errors import make_error, describe_byte
from jsondecoder.maps import MapTree, value_hint_for
from jsondecoder.numbercache import NumberCache
from jsondecoder.numbers import NumberResult, scan_number
from jsondecoder.scanner import (InputBuffer, ScanResult, scan_string,
                                 scan_string_bytewise, scan_string_unhashed,
                                 text_slice)
from jsondecoder.stats import DecoderStats
from jsondecoder.stringcache import (CachedString, KeyCache, ValueCache,
                                     DocumentStrings, INLINE_BYTES)
from jsondecoder.strings import (SURROGATES_REJECT, decode_escaped,
                                 string_end_error, validate_utf8)

DEFAULT_MAX_DEPTH = 10000
# a decoder keeps its value stack for the next document up to this many
# entries (see JSONDecoder.take_value_stack)
MAX_KEPT_STACK = 1 << 20
# the entries of a new value stack
MIN_VALUE_STACK = 64
# an array whose values fill the value stack moves them to a list of their
# own (a chunk) once they are this many: see DocumentParser.make_room
ARRAY_CHUNK = 4096
# a decoder keeps its input buffer for the next document up to this size
MAX_KEPT_BUFFER = 1 << 28
VALUE_WORDS = "a value (object, array, string, number, true, false or null)"


class DecoderOptions(object):
    """What the decoder accepts beyond strict RFC 8259, and its limits.

    max_depth: the deepest nesting of arrays and objects accepted.
    allow_nonfinite: accept NaN, Infinity and -Infinity as numbers.
    surrogate_policy: what a lone \\uD800-\\uDFFF escape becomes (strings.py).
    word_scan: find string ends a word at a time (False: byte at a time).
    """

    def __init__(self, max_depth=DEFAULT_MAX_DEPTH, allow_nonfinite=False,
                 surrogate_policy=SURROGATES_REJECT, word_scan=True):
        self.max_depth = max_depth
        self.allow_nonfinite = allow_nonfinite
        self.surrogate_policy = surrogate_policy
        self.word_scan = word_scan


class JSONDecoder(object):
    """Decodes documents into one host's objects.

    The map tree, the key cache, the value cache and the statistics live as
    long as the decoder, so a host keeps one decoder for all its documents:
    maps are then shared between documents (as a JIT wants them).
    """

    def __init__(self, builder, options=None, tree=None):
        if options is None:
            options = DecoderOptions()
        if tree is None:
            tree = MapTree()
        self.builder = builder
        self.options = options
        self.tree = tree        # a host may share its own (maps.py)
        self.key_cache = KeyCache()
        self.value_cache = ValueCache()
        self.number_cache = NumberCache()
        self.stats = DecoderStats()
        self.buf = None         # the raw input buffer, reused (scanner.py)
        self.value_stack = None  # DocumentParser's, reused: see below

    @jit.dont_look_inside
    def decode(self, text):
        """The host object for the JSON document `text` (UTF-8 bytes).
        Raises JSONDecodeError."""
        buf = self.buf
        if buf is None:
            buf = InputBuffer(text)
        else:
            self.buf = None     # not shared with a nested decode
            buf.load(text)
        if buf.in_place:
            self.stats.documents_in_place += 1
        parser = DocumentParser(self, buf)
        try:
            w_result = parser.parse_document()
        finally:
            self.settle_shared_strings()
            self.builder.end_document()
            buf.forget_text()
            if buf.capacity > MAX_KEPT_BUFFER:
                buf.close()
            else:
                self.buf = buf
        self.stats.documents += 1
        self.stats.bytes_decoded += len(text)
        return w_result

    def settle_shared_strings(self):
        """The document is done: the host settles the shared strings the
        value cache still holds (they may be views into the document,
        which the cache must not keep alive: stringcache.py)."""
        cache = self.value_cache
        builder = self.builder
        for slot in cache.shared_slots:
            w_string = cache.values_w[slot]
            if w_string is not None:    # (a later first sighting took it)
                builder.settle_shared(w_string)
        cache.forget_shared()

    def take_value_stack(self):
        """The value stack for a new document: the last document's, all
        None again, or a new one.  Reusing it matters for big documents:
        a stack that grows during a decode is reallocated each time as a
        new object, large ones outside the nursery, and while such a young
        object exists every minor collection looks up each pointer leaving
        the nursery in the GC's table of them (incminimark's
        young_rawmalloced_objects; 5% of decoding a 30 MB array of
        records).  A kept stack is old and grows no more."""
        stack = self.value_stack
        self.value_stack = None     # not shared with a nested decode
        if stack is None:
            stack = []
        return stack

    def give_back_value_stack(self, stack, used):
        """Clear the `used` first entries (they hold the document's
        objects) and keep the stack unless it grew too large."""
        if len(stack) > MAX_KEPT_STACK:
            return
        for i in range(used):
            stack[i] = None
        self.value_stack = stack

    def forget_values(self):
        """Drop the cached value strings and numbers (they keep host
        objects alive)."""
        self.value_cache.clear()
        self.number_cache.clear()

    def release_buffer(self):
        """Free the raw input buffer kept for the next document."""
        if self.buf is not None:
            self.buf.close()
            self.buf = None

    def stats_report(self):
        return self.stats.report(self.tree)


class Frame(object):
    """An open array or object.  Frames are reused between containers."""

    def __init__(self):
        self.is_object = False
        self.base = 0           # where its values start on the value stack
        self.start = 0          # offset of its '[' or '{', for messages
        self.jsonmap = None     # object in map mode: the map so far
        self.dict_mode = False
        # object: the path of the map its keys are guessed along (maps.py),
        # None once a key left it
        self.hint_path = None
        # array: the final map of its last object element (a hint)
        self.last_object_map = None
        # array: its first values, moved off the value stack (make_room)
        self.chunks = None
        self.chunked = 0


class DocumentParser(object):
    """The state of decoding one document."""

    def __init__(self, decoder, buf):
        self.decoder = decoder
        self.builder = decoder.builder
        self.tree = decoder.tree
        self.stats = decoder.stats
        self.key_cache = decoder.key_cache
        self.value_cache = decoder.value_cache
        self.number_cache = decoder.number_cache
        self.max_depth = decoder.options.max_depth
        self.allow_nonfinite = decoder.options.allow_nonfinite
        self.surrogate_policy = decoder.options.surrogate_policy
        self.word_scan = decoder.options.word_scan
        self.buf = buf
        self.text = buf.text
        self.storage = buf.storage
        self.pos = 0
        self.scan = ScanResult()
        self.number = NumberResult()
        self.value_stack = decoder.take_value_stack()
        self.value_top = 0
        self.stack_used = 0         # the most entries in use at once
        self.frames = []
        self.depth = 0
        self.interned = None        # DocumentStrings, see document_strings

    # ---- errors --------------------------------------------------------

    def error(self, reason, offset):
        return make_error(self.text, reason, offset)

    def found(self, offset):
        return describe_byte(self.text, offset)

    # ---- small helpers -------------------------------------------------

    def skip_whitespace(self, pos):
        storage = self.storage
        while True:
            ch = storage[pos]
            if ch == ' ' or ch == '\n' or ch == '\r' or ch == '\t':
                pos += 1
            else:
                return pos

    @always_inline
    def push_value(self, w_value):
        top = self.value_top
        if top == len(self.value_stack):
            top = self.make_room()
        self.value_stack[top] = w_value
        self.value_top = top + 1

    def make_room(self):
        """Room on the full value stack; returns the new top.  When an
        open array has ARRAY_CHUNK values or more, they move to a chunk of
        its own (joined when it closes), the values of the containers open
        inside it move down, and the stack keeps its size: the top-level
        array of a 30 MB document of records (70,200 in yelp) otherwise
        doubles the stack to 131,072 entries, leaving as many in older
        copies, all of it garbage at the end (a megabyte each, on top of
        the array's own list)."""
        top = self.value_top
        if top > self.stack_used:
            self.stack_used = top
        end = top       # where the values of frame `depth` end
        depth = self.depth - 1
        while depth >= 0:
            frame = self.frames[depth]
            base = frame.base
            if not frame.is_object and end - base >= ARRAY_CHUNK:
                return self.move_to_chunk(depth, end)
            end = base
            depth -= 1
        self.grow_value_stack()
        return top

    def move_to_chunk(self, depth, end):
        """Move the values of array frame `depth`, which end at `end`, to
        a chunk; returns the new top."""
        frame = self.frames[depth]
        base = frame.base
        assert 0 <= base <= end
        stack = self.value_stack
        if frame.chunks is None:
            frame.chunks = []
        frame.chunks.append(stack[base:end])
        moved = end - base
        frame.chunked += moved
        top = self.value_top
        for i in range(end, top):
            stack[i - moved] = stack[i]
        for i in range(depth + 1, self.depth):
            inner = self.frames[i]
            inner_base = inner.base - moved
            assert inner_base >= 0
            inner.base = inner_base
        new_top = top - moved
        assert new_top >= 0
        self.value_top = new_top
        return new_top

    def grow_value_stack(self):
        """Double the value stack.  (RPython's append grows a list by an
        eighth: a stack that reaches N entries in a large document leaves
        some 8 N entries of older copies behind, which minor collections
        have made old by then, so they stay until the next major collection
        and add to the peak memory of the decode.  Doubling leaves N.)"""
        stack = self.value_stack
        size = len(stack)
        # one new list, no temporary [None] * extra to concatenate
        grown = [None] * (size + max(size, MIN_VALUE_STACK))
        for i in range(size):
            grown[i] = stack[i]
        self.value_stack = grown

    def too_deep(self, start):
        return self.error("nesting too deep: more than %d nested arrays "
                          "and objects (raise the max_depth option if the "
                          "document is meant to be this deep)"
                          % self.max_depth, start)

    def push_frame(self, is_object, start):
        depth = self.depth
        if depth >= self.max_depth:
            raise self.too_deep(start)
        if depth < len(self.frames):
            frame = self.frames[depth]
        else:
            frame = Frame()
            self.frames.append(frame)
        frame.is_object = is_object
        frame.base = self.value_top
        frame.start = start
        frame.jsonmap = self.tree.root if is_object else None
        frame.dict_mode = False
        frame.hint_path = None
        frame.last_object_map = None
        frame.chunks = None
        frame.chunked = 0
        self.depth = depth + 1
        return frame

    def object_hint(self):
        """The hint for an object about to open (maps.py): from the field
        it is the value of, or the array it is an element of."""
        if self.depth == 0:
            return None
        parent = self.frames[self.depth - 1]
        if not parent.is_object:
            return parent.last_object_map
        if parent.dict_mode:
            return None
        return parent.jsonmap.value_hint

    def remember_hint(self, final_map):
        """An object just closed at `final_map` (its frame popped): its
        field or array remembers it for the next object there."""
        if self.depth < 2:
            return
        parent = self.frames[self.depth - 2]
        if not parent.is_object:
            parent.last_object_map = value_hint_for(final_map)
        elif not parent.dict_mode:
            parent.jsonmap.value_hint = value_hint_for(final_map)

    def scan_body(self, start, hashed=True):
        """The end of the string body at `start` (self.scan: its hash,
        unless not `hashed`, and whether it is ASCII)."""
        if not self.word_scan:
            return scan_string_bytewise(self.storage, start, self.scan)
        if hashed:
            return scan_string(self.storage, start, self.scan)
        return scan_string_unhashed(self.storage, start, self.scan)

    # ---- the document --------------------------------------------------

    def parse_document(self):
        text = self.text
        if len(text) >= 3 and text[0] == '\xef' and text[1] == '\xbb' and (
                text[2] == '\xbf'):
            raise self.error("byte order mark (U+FEFF) at the start: JSON "
                             "text must not begin with one; remove it", 0)
        pos = self.skip_whitespace(0)
        if pos >= self.buf.length:
            raise self.error("expected %s, found end of input (the document "
                             "is empty)" % VALUE_WORDS, pos)
        try:
            return self.parse_values(pos)
        finally:
            # drop references to host objects held by the stacks
            used = max(self.stack_used, self.value_top)
            self.decoder.give_back_value_stack(self.value_stack, used)
            self.value_stack = []
            self.frames = []

    def parse_values(self, pos):
        storage = self.storage
        builder = self.builder
        while True:
            # -- one value at pos -------------------------------------
            ch = storage[pos]
            if ch == '"':
                w_value = self.parse_string_value(pos)
                pos = self.pos
            elif ch == '{':
                start = pos
                pos = self.skip_whitespace(pos + 1)
                if storage[pos] == '}':
                    if self.depth >= self.max_depth:
                        raise self.too_deep(start)
                    pos += 1
                    self.stats.objects_as_maps += 1
                    w_value = builder.new_map_object(self.tree.root, [])
                else:
                    hint = self.object_hint()
                    frame = self.push_frame(True, start)
                    if hint is not None:
                        frame.hint_path = hint.path()
                    pos = self.parse_key(frame, pos, False)
                    continue
            elif ch == '[':
                start = pos
                pos = self.skip_whitespace(pos + 1)
                if storage[pos] == ']':
                    if self.depth >= self.max_depth:
                        raise self.too_deep(start)
                    pos += 1
                    self.stats.arrays += 1
                    w_value = builder.new_array([])
                else:
                    self.push_frame(False, start)
                    continue
            elif ch == '-' or ('0' <= ch <= '9'):
                w_value = self.parse_number(pos)
                pos = self.pos
            elif ch == 't':
                pos = self.expect_literal(pos, "true")
                w_value = builder.new_true()
            elif ch == 'f':
                pos = self.expect_literal(pos, "false")
                w_value = builder.new_false()
            elif ch == 'n':
                pos = self.expect_literal(pos, "null")
                w_value = builder.new_null()
            elif ch == 'N' or ch == 'I':
                w_value = self.parse_nonfinite(pos)
                pos = self.pos
            else:
                raise self.value_expected(pos)
            # -- attach it, closing every container that ends here ----
            while True:
                if self.depth == 0:
                    pos = self.skip_whitespace(pos)
                    if pos < self.buf.length:
                        raise self.error("expected end of input after the "
                                         "document, found %s" %
                                         self.found(pos), pos)
                    return w_value
                frame = self.frames[self.depth - 1]
                self.push_value(w_value)
                pos = self.skip_whitespace(pos)
                ch = storage[pos]
                if ch == ',':
                    pos = self.skip_whitespace(pos + 1)
                    if frame.is_object:
                        pos = self.parse_key(frame, pos, True)
                    elif storage[pos] == ']' or storage[pos] == '}':
                        raise self.error(
                            "expected %s after ',', found %s (trailing "
                            "commas are not allowed)" % (
                                VALUE_WORDS, self.found(pos)), pos)
                    break
                if frame.is_object:
                    if ch != '}':
                        raise self.error(
                            "expected ',' or '}' after an object member, "
                            "found %s (the object starts at byte %d)" % (
                                self.found(pos), frame.start), pos)
                    w_value = self.close_object(frame)
                else:
                    if ch != ']':
                        raise self.error(
                            "expected ',' or ']' after an array element, "
                            "found %s (the array starts at byte %d)" % (
                                self.found(pos), frame.start), pos)
                    w_value = self.close_array(frame)
                pos += 1
                self.depth -= 1

    def value_expected(self, pos):
        return self.error("expected %s, found %s" % (VALUE_WORDS,
                                                     self.found(pos)), pos)

    def expect_literal(self, pos, word):
        storage = self.storage
        for i in range(1, len(word)):
            if storage[pos + i] != word[i]:
                raise self.error("expected %s, found %s (while reading "
                                 "'%s')" % (VALUE_WORDS,
                                            self.found(pos + i), word),
                                 pos + i)
        return pos + len(word)

    # ---- containers ----------------------------------------------------

    def close_array(self, frame):
        base = frame.base
        assert base >= 0
        top = self.value_top
        if top > self.stack_used:
            self.stack_used = top
        if frame.chunks is None:
            items_w = self.value_stack[base:top]
        else:
            items_w = self.joined_items(frame, base, top)
        self.value_top = base
        self.stats.arrays += 1
        return self.builder.new_array(items_w)

    def joined_items(self, frame, base, top):
        """The values of an array that has chunks (make_room), in order."""
        chunks = frame.chunks
        assert chunks is not None
        items_w = [None] * (frame.chunked + top - base)
        index = 0
        for chunk in chunks:
            for w_item in chunk:
                items_w[index] = w_item
                index += 1
        stack = self.value_stack
        for i in range(base, top):
            items_w[index] = stack[i]
            index += 1
        frame.chunks = None
        frame.chunked = 0
        return items_w

    def close_object(self, frame):
        base = frame.base
        top = self.value_top
        assert 0 <= base <= top
        if top > self.stack_used:
            self.stack_used = top
        self.value_top = base
        stack = self.value_stack
        if not frame.dict_mode:
            jsonmap = frame.jsonmap
            self.tree.instantiated(jsonmap)
            self.remember_hint(jsonmap)
            self.stats.objects_as_maps += 1
            return self.builder.new_map_object(jsonmap, stack[base:top])
        count = (top - base) >> 1
        keys_w = [None] * count
        values_w = [None] * count
        for i in range(count):
            keys_w[i] = stack[base + 2 * i]
            values_w[i] = stack[base + 2 * i + 1]
        self.stats.objects_as_dicts += 1
        return self.builder.new_dict_object(keys_w, values_w)

    def switch_to_dict_mode(self, frame):
        """Interleave the keys of the frame's map with its values."""
        keys = frame.jsonmap.keys()
        base = frame.base
        assert base >= 0
        values_w = self.value_stack[base:self.value_top]
        self.value_top = base
        for i in range(len(values_w)):
            self.push_value(keys[i].w_value)
            self.push_value(values_w[i])
        frame.dict_mode = True
        frame.jsonmap = None

    # ---- keys ----------------------------------------------------------

    def parse_key(self, frame, pos, after_comma):
        """Read the key at `pos`, its ':' and the whitespace after it;
        return the offset of the value."""
        storage = self.storage
        if storage[pos] != '"':
            if after_comma and storage[pos] == '}':
                hint = " (trailing commas are not allowed)"
            else:
                hint = ""
            raise self.error("expected a string in double quotes as object "
                             "key, found %s%s" % (self.found(pos), hint), pos)
        jsonmap = frame.jsonmap
        if not frame.dict_mode:
            hint_path = frame.hint_path
            guess = None
            if hint_path is not None:
                depth = jsonmap.key_count
                if depth < len(hint_path):
                    guess = hint_path[depth]
                    pattern = guess.key_pattern
                    if pattern.matches_at(storage, pos):
                        return self.speculated(frame, guess, pos)
                frame.hint_path = None
            likely = jsonmap.likely_next
            if likely is not None and likely is not guess:
                pattern = likely.key_pattern
                if pattern.matches_at(storage, pos):
                    return self.speculated(frame, likely, pos)
            if guess is not None or likely is not None:
                self.stats.speculations += 1
            key = self.read_key(pos)
            child = self.tree.transition(jsonmap, key)
            if child is not None:
                frame.jsonmap = child
            else:
                self.switch_to_dict_mode(frame)
                self.push_value(key.w_value)
        else:
            key = self.read_key(pos)
            self.push_value(key.w_value)
        return self.expect_colon(self.pos)

    @always_inline
    def speculated(self, frame, child, pos):
        """The key at `pos` is `child`'s, as guessed: move the frame there
        and return the offset of the value."""
        stats = self.stats
        stats.speculations += 1
        stats.speculation_hits += 1
        child.use_count += 1
        frame.jsonmap = child
        return self.expect_colon(pos + child.key_pattern.length)

    @always_inline
    def expect_colon(self, pos):
        storage = self.storage
        if storage[pos] != ':':
            pos = self.skip_whitespace(pos)
            if storage[pos] != ':':
                raise self.error("expected ':' after an object key, found %s"
                                 % self.found(pos), pos)
        pos += 1
        ch = storage[pos]
        if ch == ' ' or ch == '\n' or ch == '\r' or ch == '\t':
            pos = self.skip_whitespace(pos)
        return pos

    def read_key(self, pos):
        """The key string whose opening quote is at `pos` (a CachedString);
        sets self.pos after the closing quote."""
        self.stats.keys_scanned += 1
        start = pos + 1
        end = self.scan_body(start)
        storage = self.storage
        if storage[end] == '"':
            hash_value = self.scan.hash_value
            key = self.key_cache.lookup(storage, start, end, hash_value)
            if key is None:
                code_points = self.code_points(start, end)
                utf8 = text_slice(self.text, start, end)
                w_key = self.builder.new_key(utf8, code_points)
                key = CachedString(hash_value, utf8, utf8, code_points, w_key)
                self.key_cache.insert(key)
            else:
                self.stats.key_cache_hits += 1
            self.pos = end + 1
            return key
        if storage[end] != '\\':
            raise string_end_error(self.buf, end, pos)
        self.stats.escaped_strings += 1
        decoded = decode_escaped(self.buf, start, end, self.scan.has_non_ascii,
                                 self.surrogate_policy)
        self.pos = decoded.end
        w_key = self.builder.new_key(decoded.utf8, decoded.code_points)
        return CachedString(r_uint(0), text_slice(self.text, start, decoded.end - 1),
                            decoded.utf8, decoded.code_points, w_key)

    # ---- scalars -------------------------------------------------------

    def parse_string_value(self, pos):
        """The string whose opening quote is at `pos`; sets self.pos."""
        start = pos + 1
        field = self.current_field()
        # a field whose caching is off: no cache will see the hash
        cached_field = field is not None and field.field_cache.caching_enabled
        end = self.scan_body(start, hashed=field is None or cached_field)
        storage = self.storage
        if storage[end] == '"':
            self.pos = end + 1
            if cached_field:
                return self.cached_string_value(start, end, field)
            if field is not None:
                return self.new_string(start, end)
            if self.value_cache.seen_recently(self.scan.hash_value):
                return self.cached_string_value(start, end, None)
            return self.new_string(start, end)
        if storage[end] != '\\':
            raise string_end_error(self.buf, end, pos)
        self.stats.escaped_strings += 1
        decoded = decode_escaped(self.buf, start, end, self.scan.has_non_ascii,
                                 self.surrogate_policy)
        self.pos = decoded.end
        return self.builder.new_string(decoded.utf8, decoded.code_points)

    def code_points(self, start, end):
        """The code points of the just-scanned body [start, end), checking
        it is UTF-8 when it is not pure ASCII."""
        if self.scan.has_non_ascii:
            return validate_utf8(self.buf, start, end)
        return end - start

    def new_string(self, start, end):
        return self.builder.new_string_in(self.text, start, end,
                                          self.code_points(start, end))

    def cached_string_value(self, start, end, field):
        """The host string for the input bytes [start, end) from the value
        cache, or a new one put there; counted in the statistics of
        `field`, the map whose value it is (None: an array element or a
        dict-mode value).  Bytes seen for the first time get the host's
        ordinary string and a slot without host object; the second
        sighting makes the shared one (stringcache.ValueCache.find)."""
        stats = self.stats
        stats.value_cache_probes += 1
        hash_value = self.scan.hash_value
        cache = self.value_cache
        storage = self.storage
        slot = cache.find(storage, start, end, hash_value)
        hit = slot >= 0
        w_string = None
        if hit:
            stats.value_cache_hits += 1
            w_string = cache.values_w[slot]
            if w_string is None:
                w_string = self.second_sighting(start, end, hash_value, field)
                cache.share(slot, w_string)
        elif field is None or field.field_cache.interning:
            # a string without field came through the ring: it repeats
            strings = self.document_strings()
            interned = strings.slot_of(storage, start, end, hash_value)
            hit = strings.is_filled(interned)
            if hit:
                stats.interned_hits += 1
                w_string = strings.values_w[interned]
                if w_string is None:
                    w_string = self.new_cached_string(start, end, hash_value)
                    strings.values_w[interned] = w_string
            else:
                strings.fill(interned, start, hash_value, None)
            if field is not None and field.field_cache.record_interned(hit):
                stats.fields_interning_disabled += 1
        if not hit:
            w_string = self.first_sighting(start, end, hash_value)
        if field is not None:
            stats.field_strings += 1
            if field.field_cache.record(hit):
                stats.fields_caching_disabled += 1
        return w_string

    def first_sighting(self, start, end, hash_value):
        """The host string for bytes [start, end) the caches do not hold:
        an ordinary one, remembered by the value cache without host object
        (a longer text than the slot's words is copied for the cache, and
        the copy is the host string, shared at once)."""
        if end - start <= INLINE_BYTES:
            self.value_cache.insert(self.storage, start, end, hash_value,
                                    None, None)
            return self.new_string(start, end)
        return self.new_cached_string(start, end, hash_value)

    def second_sighting(self, start, end, hash_value, field):
        """The shared host string for bytes whose value cache slot has no
        object yet: the document's interned one when the field interns
        (one host string for all later sightings), else a new one."""
        if field is not None and not field.field_cache.interning:
            return self.new_shared_string(start, end)
        strings = self.document_strings()
        interned = strings.slot_of(self.storage, start, end, hash_value)
        if not strings.is_filled(interned):
            w_string = self.new_shared_string(start, end)
            strings.fill(interned, start, hash_value, w_string)
            return w_string
        w_string = strings.values_w[interned]
        if w_string is None:
            w_string = strings.values_w[interned] = self.new_shared_string(start, end)
        return w_string

    def new_shared_string(self, start, end):
        return self.builder.new_shared_string_in(
            self.text, start, end, self.code_points(start, end))

    def new_cached_string(self, start, end, hash_value):
        """A new host string for the bytes [start, end), put in the value
        cache as its slot's shared object."""
        cache = self.value_cache
        if end - start <= INLINE_BYTES:
            # the slot's words hold all of it: no copy needed for lookups
            w_string = self.new_shared_string(start, end)
            cache.insert(self.storage, start, end, hash_value, None,
                         w_string, shared=True)
        else:
            utf8 = text_slice(self.text, start, end)
            w_string = self.builder.new_string(utf8, self.code_points(start, end))
            cache.insert(self.storage, start, end, hash_value, utf8, w_string)
        return w_string

    def document_strings(self):
        """This document's DocumentStrings (stringcache.py), made when a
        field first interns."""
        strings = self.interned
        if strings is None:
            strings = self.interned = DocumentStrings()
        return strings

    def parse_number(self, pos):
        storage = self.storage
        if storage[pos] == '-' and storage[pos + 1] == 'I':
            return self.parse_nonfinite(pos)
        number = self.number
        scan_number(self.buf, pos, number)
        self.pos = number.end
        if number.kind == NumberResult.KIND_INT:
            return self.int_value(number.int_value)
        if number.kind == NumberResult.KIND_FLOAT:
            return self.float_value(number.float_value)
        return self.builder.new_bigint(number.text)

    def int_value(self, value):
        """The host integer: a map field's last one again when the value
        repeats (a constant field, as reddit's retrieved_on, then costs
        one host object for the whole document), else the number cache's
        (numbercache.py), else a new one."""
        field = self.current_field()
        if field is not None:
            w_last = field.last_int_w
            if w_last is not None and field.last_int == value:
                return w_last
        cache = self.number_cache
        w_int = cache.lookup_int(value)
        if w_int is None:
            w_int = self.builder.new_int(value)
            cache.insert_int(value, w_int)
        else:
            self.stats.numbers_shared += 1
        if field is not None:
            field.last_int = value
            field.last_int_w = w_int
        return w_int

    def float_value(self, value):
        """The host float: the number cache's for the same bits, or new."""
        cache = self.number_cache
        w_float = cache.lookup_float(value)
        if w_float is None:
            w_float = self.builder.new_float(value)
            cache.insert_float(value, w_float)
        else:
            self.stats.numbers_shared += 1
        return w_float

    @always_inline
    def current_field(self):
        """The map whose last key the value being parsed belongs to, or
        None (an array element, a dict-mode object's value, the top)."""
        if self.depth == 0:
            return None
        frame = self.frames[self.depth - 1]
        if frame.dict_mode:
            return None
        return frame.jsonmap

    def parse_nonfinite(self, pos):
        """NaN, Infinity or -Infinity at `pos` (an error unless allowed)."""
        storage = self.storage
        negative = storage[pos] == '-'
        word_start = pos + 1 if negative else pos
        if storage[word_start] == 'N':
            word = "NaN"
        else:
            word = "Infinity"
        if not self.allow_nonfinite:
            raise self.error("expected %s, found %s: NaN and Infinity are "
                             "not JSON (enable the allow_nonfinite option to "
                             "accept them)" % (VALUE_WORDS,
                                               self.found(word_start)),
                             word_start)
        if negative and word == "NaN":
            raise self.error("expected a digit after '-', found 'N'",
                             word_start)
        self.pos = self.expect_literal(word_start, word)
        if word == "NaN":
            return self.builder.new_float(NAN)
        if negative:
            return self.builder.new_float(-INFINITY)
        return self.builder.new_float(INFINITY)
