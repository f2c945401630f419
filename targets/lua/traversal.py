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
from targets.lua.objects import W_Object


class TraversalCursor(W_Object):
    """The table being traversed and the position of the entry returned
    last.  Only ever in the control slot of a generic for: Lua code never
    sees one.  Holding the table, known to be one, a step needs no class
    check of the loop's state (the identity of the two suffices), so one
    JIT trace of a traversal serves tables of every class: W_Table,
    W_InlineTable<n>, W_PackedTable<b>_<r> (a class check in a trace is a
    guard on the exact class, and each other class a bridge)."""
    _attrs_ = ["w_table", "position"]
    _immutable_fields_ = ["w_table", "position"]
    type_name = "traversal cursor"

    def __init__(self, w_table, position):
        self.w_table = w_table
        self.position = position
