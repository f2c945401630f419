"""`for k, v in pairs(t)` without looking the keys up again.

A generic `for` calls its iterator with the control value, the key it
returned last; `next(t, key)` must then find that key's position in the
table (a hash lookup, or a hint check) before stepping on.  When the
iterator is the builtin `next` and the state a table (what `pairs` returns
for a table without __pairs), TFOR_CALL keeps the position itself instead:
the hidden control slot holds a TraversalCursor, the position of the entry
returned last, and a step is `filled_position_from(position + 1)` and two
reads (as LuaJIT's ITERN keeps an index in a hidden slot).

The loop variables are the same as with `next`: the control slot is one of
the generic for's hidden slots (compiler.compile_generic_for), which no Lua
code reads or writes.  Positions stay valid for everything Lua allows
during a traversal: assigning existing fields, nil included, never moves an
entry (table.py: leave_map and leave_pairs keep positions, a hash part is
compacted only when a key is added).  Adding a key is undefined in Lua; a
cursor then still stays within the table (every position is checked).
"""
from targets.lua.objects import W_Object, W_Nil


class TraversalCursor(W_Object):
    """The position of the entry a table traversal returned last.  Only
    ever in the control slot of a generic for: Lua code never sees one."""
    _attrs_ = ["position"]
    _immutable_fields_ = ["position"]
    type_name = "traversal cursor"

    def __init__(self, position):
        self.position = position


def start_position(w_control):
    """Where the next step of a cursor traversal looks first: 0 for the
    first step (control nil), after the cursor's entry for the others;
    -1 when the control is a key (`for k, v in next, t, k0`), which `next`
    itself must look up."""
    if isinstance(w_control, W_Nil):
        return 0
    if isinstance(w_control, TraversalCursor):
        return w_control.position + 1
    return -1
