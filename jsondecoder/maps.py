"""Maps (hidden classes) for decoded objects, with statistics and blocking.

Objects with the same keys in the same order share one map.  The maps form a
tree: the root is the map of `{}`, and each map has one child per key that
has followed it so far; an object's map is the node reached by following
its keys in order.  The host stores such an object as its map plus a list of
values in key order (no per-object hash table), and a lookup with a constant
key becomes a lookup in the map, which a JIT can constant-fold
(`index_of` is elidable: a map's keys never change).

Key speculation: every map remembers `likely_next`, its most used child.
When the decoder is about to read a key in an object currently at map M, it
compares the input with the quoted raw text of M.likely_next's key, a word
at a time (`BytePattern`); on a match the key is neither scanned, hashed,
looked up nor allocated.

Objects of different shapes that begin with the same keys share the first
maps (`{"id": .., "login": ..}` and `{"id": .., "name": ..}`), and
likely_next can only be right for one of them.  So the decoder first
guesses from a *hint*, the final map of the last object found in the same
place: the same field of the parent object (`value_hint`) or the previous
element of the same array.  While the keys follow the hint's path
(`path()`), each is guessed from it; at the first key that does not, the
object falls back to likely_next.

Keeping the tree small and useful (the invariants):

* A new map starts PRELIMINARY.  When USEFUL_THRESHOLD objects ended at it,
  it and all its ancestors become USEFUL, and stay so.
* When MAX_PRELIMINARY maps are preliminary, or the tree holds MAX_MAPS maps,
  the tree is pruned: a preliminary map that USEFUL_THRESHOLD objects passed
  through becomes USEFUL (a common prefix of key sets that vary after it);
  every other preliminary map becomes BLOCKED and loses its subtree (all of
  it preliminary too).  An object that reaches a blocked map,
  or needs a transition that may not be created, is decoded as a plain dict.
* A map with more than MAX_BLOCKED_CHILDREN blocked children (a key set that
  varies a lot below it, like Yelp's attributes) is CLOSED: its blocked
  children are dropped and it creates no more children.
* A map that reaches MAX_PRELIMINARY_CHILDREN preliminary children is such
  a key set already: its own children are pruned then (`prune_children`,
  the rule above for them alone), not the whole tree, whose other
  preliminary maps go on learning.  Without it Yelp's attributes made
  4,011 maps before the second of two prunes, which the objects decoded on
  them kept alive (1.4 MB); with it they make 1,025.  A position
  holding more shapes than that, each repeated, is decoded as dicts.
* No map has more than MAX_MAP_KEYS keys, and no map path repeats a key (an
  object with a duplicate key is a dict, the host decides which value wins).
* The tree never holds more than MAX_MAPS maps, so memory stays bounded
  whatever the input.

Hosts may also grow map objects one key at a time (a Lua table built by
`t.name = v`, see `host_transition`), so that objects built by the program
and objects decoded from JSON share maps.  Such keys must read the same in
JSON's raw text as in the host (printable ASCII without '"' and '\\'),
because the decoder's key speculation compares the input with that text:
any other key is refused, as are keys beyond MAX_HOST_MAP_KEYS.
"""
from rpython.rlib import jit

from rpython.rlib.rarithmetic import r_uint

from jsondecoder.stringcache import CachedString, FieldCacheStats

STATE_PRELIMINARY = 0
STATE_USEFUL = 1
STATE_BLOCKED = 2

USEFUL_THRESHOLD = 4
MAX_PRELIMINARY = 2000
MAX_MAPS = 20000
MAX_BLOCKED_CHILDREN = 32
MAX_PRELIMINARY_CHILDREN = 128
MAX_MAP_KEYS = 200
# enough for a Lua _G (about 40 names), so that a global's lookup in a JIT
# trace is a map guard and a read, not a hash lookup
MAX_HOST_MAP_KEYS = 64


class KeyLayout(object):
    """The base of JSONMap, for hosts: a host object can then keep its map
    or a key layout of its own (a subclass: the Lua target's hash part) in
    one field, since RPython only unifies instances of a common base."""
    _attrs_ = []


class JSONMap(KeyLayout):
    """One node of the map tree: the key set of its path from the root."""
    _immutable_fields_ = ['parent', 'key', 'key_count', 'tree']

    def __init__(self, tree, parent, key):
        self.tree = tree
        self.parent = parent
        self.key = key                  # a CachedString; None for the root
        if parent is None:
            self.key_count = 0
            self.key_pattern = None
        else:
            self.key_count = parent.key_count + 1
            self.key_pattern = key.quoted_pattern()
        self.state = STATE_PRELIMINARY
        # the first child, then {utf8 key: JSONMap} for the others: most
        # maps have one child or none, and an RPython dict costs 200 bytes
        # or more (Yelp's varied attributes make thousands of such maps,
        # which the objects decoded on them keep alive)
        self.first_child = None
        self.children = None
        self.likely_next = None
        self.use_count = 0              # objects that passed through
        self.instantiation_count = 0    # objects that ended here
        self.closed = False
        self.blocked_children = 0
        self.preliminary_children = 0
        self.field_cache = FieldCacheStats()   # this map's last key's values
        self.index_cache = None
        self.keys_cache = None
        self.path_cache = None
        # the final map of the last object that was this field's value
        # (USEFUL maps only: see `value_hint_for`)
        self.value_hint = None
        # the host's: the position a traversal of one of this map's objects
        # returned last, so that `next` with that key finds it without
        # index_of (a hint, proven by the key's identity)
        self.traversal_hint = -1
        # the host integer last decoded as this map's last key's value, and
        # its value (decoder.py: int_value)
        self.last_int = 0
        self.last_int_w = None

    # ---- what the host uses -------------------------------------------

    @jit.elidable
    def keys(self):
        """The keys (CachedStrings) of this map, in order.  Elidable (made
        once, never changed): `next` over a map-backed table asks for them
        twice per step, and a JIT loop over one table's pairs then reads
        them once, before the loop."""
        if self.keys_cache is None:
            keys = [None] * self.key_count
            node = self
            while node.parent is not None:
                keys[node.key_count - 1] = node.key
                node = node.parent
            self.keys_cache = keys
        return self.keys_cache

    def read_keys(self):
        """keys(), read from the field once made: where a JIT trace does
        not know the map (a traversal of tables of varied maps), a field
        read instead of a call to the elidable keys()."""
        keys = self.keys_cache
        if keys is None:
            keys = self.keys()
        return keys

    def path(self):
        """The maps from the root's child to this one: path()[i] is the
        map of the first i + 1 keys."""
        if self.path_cache is None:
            path = [None] * self.key_count
            node = self
            while node.parent is not None:
                path[node.key_count - 1] = node
                node = node.parent
            self.path_cache = path
        return self.path_cache

    @jit.elidable
    def index_of(self, utf8):
        """The position of key `utf8` in the values list, or -1."""
        index = self.index_cache
        if index is None:
            index = {}
            keys = self.keys()
            for i in range(len(keys)):
                index[keys[i].utf8] = i
            self.index_cache = index
        return index.get(utf8, -1)

    def is_blocked(self):
        return self.state == STATE_BLOCKED

    # ---- tree maintenance ---------------------------------------------

    def has_key(self, utf8):
        node = self
        while node.parent is not None:
            if node.key.utf8 == utf8:
                return True
            node = node.parent
        return False

    def existing_child(self, utf8):
        child = self.first_child
        if child is None or child.key.utf8 == utf8:
            return child
        if self.children is None:
            return None
        return self.children.get(utf8, None)

    def child_list(self):
        """The children, the first one first."""
        if self.first_child is None:
            return []
        children = [self.first_child]
        if self.children is not None:
            children.extend(self.children.values())
        return children

    def add_child_map(self, child):
        if self.first_child is None:
            self.first_child = child
            return
        if self.children is None:
            self.children = {}
        self.children[child.key.utf8] = child

    def drop_children(self):
        self.first_child = None
        self.children = None

    def note_transition(self, child):
        child.use_count += 1
        likely = self.likely_next
        if likely is None or (likely is not child and
                              child.use_count > likely.use_count):
            self.likely_next = child


def value_hint_for(jsonmap):
    """`jsonmap` if a later object may be speculated along its path, else
    None.  Only USEFUL maps qualify: their ancestors are USEFUL too and
    USEFUL maps are never blocked or pruned, so a hint never leads to a map
    the tree has dropped, and keeps nothing alive the tree does not."""
    if jsonmap.state == STATE_USEFUL:
        return jsonmap
    return None


def raw_is_text(utf8):
    """True iff `utf8` is written the same inside a JSON string."""
    for ch in utf8:
        if ch < ' ' or ch > '~' or ch == '"' or ch == '\\':
            return False
    return True


@jit.elidable
def existing_host_child(current, utf8):
    """The child a host transition would find (None: none yet, or
    blocked).  Elidable for the JIT: a trace that keeps a child the tree
    has since blocked still builds correct objects, only in a map that no
    longer grows."""
    child = current.existing_child(utf8)
    if child is None or child.state == STATE_BLOCKED:
        return None
    return child


class MapTree(object):
    """The root map and the bookkeeping that keeps the tree bounded."""

    def __init__(self):
        self.map_count = 1
        self.preliminary_count = 0
        self.maps_created = 0
        self.maps_blocked = 0
        self.maps_closed = 0
        self.prunes = 0
        self.root = JSONMap(self, None, None)
        self.root.state = STATE_USEFUL

    def transition(self, current, key):
        """The child of `current` for `key`, or None: decode as a dict."""
        child = current.existing_child(key.utf8)
        if child is not None:
            if child.state == STATE_BLOCKED:
                return None
            current.note_transition(child)
            return child
        if not self.may_add_child(current, key.utf8, MAX_MAP_KEYS, True):
            return None
        child = self.add_child(current, key)
        current.note_transition(child)
        return child

    def may_add_child(self, current, utf8, max_keys, closed_counts):
        """May `current` get a new child for key `utf8`?  Prunes the tree
        when it is full.  `closed_counts`: whether a closed map refuses."""
        if ((closed_counts and current.closed) or
                current.state == STATE_BLOCKED or
                current.key_count >= max_keys or current.has_key(utf8)):
            return False
        if current.preliminary_children >= MAX_PRELIMINARY_CHILDREN:
            self.prune_children(current)
            if closed_counts and current.closed:
                return False
        if self.map_count >= MAX_MAPS or (
                self.preliminary_count >= MAX_PRELIMINARY):
            self.prune()
            if current.state == STATE_BLOCKED or (
                    closed_counts and current.closed) or (
                    self.map_count >= MAX_MAPS):
                return False
        return True

    def add_child(self, current, key):
        child = JSONMap(self, current, key)
        current.add_child_map(child)
        current.preliminary_children += 1
        self.map_count += 1
        self.preliminary_count += 1
        self.maps_created += 1
        return child

    def host_transition(self, current, utf8, w_key):
        """The map after adding key `utf8` (host object `w_key`) to an
        object at `current`, created if need be, or None when the tree
        refuses it (then the host falls back to its own dict).  Each call
        counts as an object at the child, so maps that many host objects
        reach become USEFUL and survive pruning."""
        child = current.existing_child(utf8)
        if child is None:
            # a map closed by varied JSON key sets (the root, after a Yelp-
            # like file) still grows for the program's own tables: MAX_MAPS
            # and pruning keep the tree bounded
            if not raw_is_text(utf8) or not self.may_add_child(
                    current, utf8, MAX_HOST_MAP_KEYS, False):
                return None
            key = CachedString(r_uint(0), utf8, utf8, len(utf8), w_key)
            child = self.add_child(current, key)
        elif child.state == STATE_BLOCKED:
            return None
        child.use_count += 1
        self.instantiated(child)
        return child

    def instantiated(self, jsonmap):
        """An object was completed at `jsonmap`."""
        jsonmap.instantiation_count += 1
        if (jsonmap.state == STATE_PRELIMINARY and
                jsonmap.instantiation_count >= USEFUL_THRESHOLD):
            self.make_useful_with_ancestors(jsonmap)

    def make_useful_with_ancestors(self, jsonmap):
        node = jsonmap
        while node is not None and node.state == STATE_PRELIMINARY:
            self.make_useful(node)
            node = node.parent

    def make_useful(self, jsonmap):
        jsonmap.state = STATE_USEFUL
        self.preliminary_count -= 1
        if jsonmap.parent is not None:
            jsonmap.parent.preliminary_children -= 1

    def prune(self):
        """Block every preliminary map (dropping its subtree) and close the
        maps left with too many blocked children."""
        self.prunes += 1
        pending = [self.root]
        while pending:
            node = pending.pop()
            for child in node.child_list():
                if child.state == STATE_PRELIMINARY:
                    self.settle_preliminary_child(node, child)
                if child.state == STATE_USEFUL:
                    pending.append(child)
            self.after_pruning_children(node)

    def prune_children(self, jsonmap):
        """prune() for the children of `jsonmap` alone: those that
        USEFUL_THRESHOLD objects passed become USEFUL, the other
        preliminary ones are blocked (their subtrees, all preliminary, are
        dropped), and the map is closed if too many are blocked.  The
        map itself, a prefix that many objects passed, becomes USEFUL as
        prune() would make it."""
        self.prunes += 1
        if jsonmap.use_count >= USEFUL_THRESHOLD:
            self.make_useful_with_ancestors(jsonmap)
        for child in jsonmap.child_list():
            if child.state == STATE_PRELIMINARY:
                self.settle_preliminary_child(jsonmap, child)
        self.after_pruning_children(jsonmap)

    def settle_preliminary_child(self, jsonmap, child):
        """At a prune: a preliminary child that USEFUL_THRESHOLD objects
        passed becomes USEFUL (a common prefix of key sets that vary after
        it, with its ancestors), any other is blocked."""
        if child.use_count >= USEFUL_THRESHOLD:
            self.make_useful_with_ancestors(child)
        else:
            self.block(child)
            jsonmap.blocked_children += 1

    def after_pruning_children(self, jsonmap):
        """None of the map's children is preliminary now."""
        jsonmap.preliminary_children = 0
        if jsonmap.blocked_children > MAX_BLOCKED_CHILDREN and not jsonmap.closed:
            self.close(jsonmap)
        likely = jsonmap.likely_next
        if likely is not None and likely.state == STATE_BLOCKED:
            jsonmap.likely_next = None

    def block(self, jsonmap):
        """Block a preliminary map and drop its subtree (all preliminary:
        a USEFUL map's ancestors are USEFUL)."""
        jsonmap.state = STATE_BLOCKED
        self.maps_blocked += 1
        self.preliminary_count -= 1
        below = self.block_below(jsonmap)
        self.map_count -= below
        self.preliminary_count -= below
        jsonmap.likely_next = None

    def block_below(self, jsonmap):
        """Detach the maps below `jsonmap`, blocked: an object that is
        being decoded on one of them (the prune came from one of its keys)
        or that a host grows then finds it so, and the tree's counts stay
        those of the maps in it.  Returns how many there were."""
        count = 0
        pending = jsonmap.child_list()
        jsonmap.drop_children()
        jsonmap.preliminary_children = 0
        while pending:
            node = pending.pop()
            count += 1
            node.state = STATE_BLOCKED
            node.likely_next = None
            pending.extend(node.child_list())
            node.drop_children()
            node.preliminary_children = 0
        return count

    def close(self, jsonmap):
        jsonmap.closed = True
        self.maps_closed += 1
        children = jsonmap.child_list()
        jsonmap.drop_children()
        for child in children:
            if child.state == STATE_BLOCKED:
                self.map_count -= 1
            else:
                jsonmap.add_child_map(child)
        jsonmap.blocked_children = 0

    def count_states(self):
        """(useful, preliminary, blocked, closed) maps now in the tree."""
        useful = preliminary = blocked = closed = 0
        pending = [self.root]
        while pending:
            node = pending.pop()
            if node.state == STATE_USEFUL:
                useful += 1
            elif node.state == STATE_PRELIMINARY:
                preliminary += 1
            else:
                blocked += 1
            if node.closed:
                closed += 1
            for child in node.child_list():
                pending.append(child)
        return useful, preliminary, blocked, closed
