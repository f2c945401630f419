"""The table library (manual 6.6).  Element access goes through the
metamethod-aware operators unless the table has no metatable."""
from rpython.rlib import jit
from rpython.rlib.rarithmetic import intmask, r_uint

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua.errors import LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.objects import (W_Closure, W_Nil, W_Number, W_String,
                                 W_PlainString, w_nil, w_int)
from targets.lua.table import W_Table

MAX_UNPACK = 1000000


def geti(interp, w_table, i):
    if isinstance(w_table, W_Table) and w_table.w_metatable is None:
        return w_table.get_int(i)
    return operators.index(interp, w_table, w_int(i))


def seti(interp, w_table, i, w_value):
    if isinstance(w_table, W_Table) and w_table.w_metatable is None:
        w_table.set_int(i, w_value)
        return
    operators.set_index(interp, w_table, w_int(i), w_value)


def length_of(interp, w_table):
    if isinstance(w_table, W_Table) and w_table.w_metatable is None:
        return w_table.length()
    w_length = operators.length(interp, w_table)
    ok, n = operators.tointeger_exact(w_length)
    if not ok:
        raise LuaRuntimeError("object length is not an integer")
    return n


def lua_insert(interp, args):
    w_table = argcheck.check_table(args, 0, "table.insert")
    size = length_of(interp, w_table)
    if len(args) == 2:
        seti(interp, w_table, size + 1, args[1])
        return []
    if len(args) != 3:
        raise LuaRuntimeError("wrong number of arguments to 'insert'")
    position = argcheck.check_int(args, 1, "table.insert")
    if r_uint(position) - 1 >= r_uint(size + 1):
        raise argcheck.arg_error(1, "table.insert", "position out of bounds")
    i = size + 1
    while i > position:
        seti(interp, w_table, i, geti(interp, w_table, i - 1))
        i -= 1
    seti(interp, w_table, position, args[2])
    return []


def lua_remove(interp, args):
    w_table = argcheck.check_table(args, 0, "table.remove")
    size = length_of(interp, w_table)
    position = argcheck.opt_int(args, 1, "table.remove", size)
    if len(args) >= 2 and position != size:
        if r_uint(position) - 1 > r_uint(size):
            raise argcheck.arg_error(1, "table.remove", "position out of bounds")
    w_result = geti(interp, w_table, position)
    while position < size:
        seti(interp, w_table, position, geti(interp, w_table, position + 1))
        position += 1
    if position <= size or len(args) < 2 or position == size + 1:
        seti(interp, w_table, position, w_nil)
    return [w_result]


def lua_concat(interp, args):
    w_table = argcheck.check_table(args, 0, "table.concat")
    sep = argcheck.opt_string(args, 1, "table.concat", "")
    first = argcheck.opt_int(args, 2, "table.concat", 1)
    if isinstance(argcheck.get(args, 3), W_Nil):
        last = length_of(interp, w_table)
    else:
        last = argcheck.check_int(args, 3, "table.concat")
    pieces = []
    i = first
    while i <= last:
        w_value = geti(interp, w_table, i)
        if not (isinstance(w_value, W_String) or isinstance(w_value, W_Number)):
            raise LuaRuntimeError("invalid value (%s) at index %d in table for 'concat'"
                                  % (operators.type_name_for_error(w_value), i))
        pieces.append(operators.tostring_raw(w_value))
        if i == last:
            break
        i += 1
    return [W_PlainString(sep.join(pieces))]


def lua_pack(interp, args):
    w_table = W_Table()
    for i in range(len(args)):
        w_table.set_int(i + 1, args[i])
    w_table.set_str("n", w_int(len(args)))
    return [w_table]


def lua_unpack(interp, args):
    w_table = argcheck.get(args, 0)
    first = argcheck.opt_int(args, 1, "table.unpack", 1)
    if isinstance(argcheck.get(args, 2), W_Nil):
        last = length_of(interp, w_table)
    else:
        last = argcheck.check_int(args, 2, "table.unpack")
    if first > last:
        return []
    count = r_uint(last) - r_uint(first)
    if count >= r_uint(MAX_UNPACK):
        raise LuaRuntimeError("too many results to unpack")
    results = []
    i = first
    while True:
        results.append(geti(interp, w_table, i))
        if i == last:
            break
        i += 1
    return results


def lua_move(interp, args):
    w_source = argcheck.check_table(args, 0, "table.move")
    first = argcheck.check_int(args, 1, "table.move")
    end = argcheck.check_int(args, 2, "table.move")
    target = argcheck.check_int(args, 3, "table.move")
    w_dest = w_source
    if not isinstance(argcheck.get(args, 4), W_Nil):
        w_dest = argcheck.check_table(args, 4, "table.move")
    if end >= first:
        if not (first > 0 or end < first + 9223372036854775807):
            raise argcheck.arg_error(2, "table.move", "too many elements to move")
        count = end - first + 1
        if target > end or target <= first or w_dest is not w_source:
            for i in range(count):
                seti(interp, w_dest, target + i, geti(interp, w_source, first + i))
        else:
            i = count - 1
            while i >= 0:
                seti(interp, w_dest, target + i, geti(interp, w_source, first + i))
                i -= 1
    return [w_dest]


# --------------------------------------------------------------------- sort

def _partition_location(scanning_up, code):
    direction = "up" if scanning_up else "down"
    if code is None:
        return "table.sort partition (%s, <)" % direction
    return "table.sort partition (%s, comparator %s)" % (direction, code.name)


# The partition of table.sort is a loop of its own for the JIT, green in the
# comparator's code: its trace inlines the Lua comparator, which otherwise
# runs interpreted, a frame per comparison (Lua function bodies are traced
# only from their loops).  One comparison an iteration, the scan direction
# green, so the up and down scans are two small loops joined by bridges.
partition_driver = jit.JitDriver(
    greens=["scanning_up", "code"], reds=["i", "j", "low", "high", "items", "w_pivot", "sorter"],
    get_printable_location=_partition_location, name="lua_sort_partition")


def _insertion_location(code):
    if code is None:
        return "table.sort insertion (<)"
    return "table.sort insertion (comparator %s)" % code.name


# The insertion sort of short ranges (and the median of three, sorted the
# same way) is a third JIT loop, green in the comparator's code: otherwise
# each of its comparisons (a few per element sorted) would run the
# comparator interpreted, in a frame of its own.
insertion_driver = jit.JitDriver(
    greens=["code"], reds=["i", "j", "low", "high", "items", "w_value", "sorter"],
    get_printable_location=_insertion_location, name="lua_sort_insertion")


class Sorter(object):
    """Quicksort over a Python list copy of t[1..n], with Lua's
    "invalid order function for sorting" check: a partition scan that runs
    off the end of its range can only happen with an inconsistent order."""

    def __init__(self, interp, w_compare):
        self.interp = interp
        self.w_compare = w_compare
        self.code = w_compare.code if isinstance(w_compare, W_Closure) else None

    def less(self, w_a, w_b):
        if isinstance(self.w_compare, W_Nil):
            return operators.less_than(self.interp, w_a, w_b)
        results = self.interp.call(self.w_compare, [w_a, w_b])
        return len(results) > 0 and results[0].is_truthy()

    def sort(self, items, low, high):
        while low < high:
            if high - low < 8:
                self.insertion_sort(items, low, high)
                return
            middle = (low + high) // 2
            # median of three into items[middle]: an insertion sort of the
            # three makes the same comparisons as the usual exchanges
            # (middle/low, high/middle, then middle/low if high moved), in
            # the insertion loop's trace
            trio = [items[low], items[middle], items[high]]
            self.insertion_sort(trio, 0, 2)
            items[low] = trio[0]
            items[middle] = trio[1]
            items[high] = trio[2]
            w_pivot = items[middle]
            self.swap(items, middle, high - 1)
            i = self.partition(items, low, high, w_pivot)
            self.swap(items, high - 1, i)
            # recurse into the smaller half, loop on the larger one
            if i - low < high - i:
                self.sort(items, low, i - 1)
                low = i + 1
            else:
                self.sort(items, i + 1, high)
                high = i - 1

    def partition(self, items, low, high, w_pivot):
        """Hoare's scans of items[low+1..high-2] around w_pivot (at high-1,
        the median of three at low and high bound them); returns where the
        pivot goes."""
        code = self.code
        sorter = self
        i = low + 1
        j = high - 1
        scanning_up = True
        while True:
            partition_driver.jit_merge_point(scanning_up=scanning_up, code=code, i=i, j=j,
                                             low=low, high=high, items=items,
                                             w_pivot=w_pivot, sorter=sorter)
            if scanning_up:
                if sorter.less(items[i], w_pivot):
                    if i >= high:
                        raise LuaRuntimeError("invalid order function for sorting")
                    i += 1
                else:
                    scanning_up = False
                    j -= 1
            else:
                if sorter.less(w_pivot, items[j]):
                    if j <= low:
                        raise LuaRuntimeError("invalid order function for sorting")
                    j -= 1
                else:
                    if j < i:
                        return i
                    sorter.swap(items, i, j)
                    scanning_up = True
                    i += 1
            partition_driver.can_enter_jit(scanning_up=scanning_up, code=code, i=i, j=j,
                                           low=low, high=high, items=items,
                                           w_pivot=w_pivot, sorter=sorter)

    def insertion_sort(self, items, low, high):
        """Sort items[low..high] by insertion: each items[i] moves down past
        the larger ones before it.  One comparison an iteration of a JIT
        loop (insertion_driver), so the comparator runs inline as in the
        partition."""
        code = self.code
        sorter = self
        i = low + 1
        j = low
        w_value = items[i]
        while True:
            insertion_driver.jit_merge_point(code=code, i=i, j=j, low=low, high=high,
                                             items=items, w_value=w_value, sorter=sorter)
            if j >= low and sorter.less(w_value, items[j]):
                items[j + 1] = items[j]
                j -= 1
            else:
                items[j + 1] = w_value
                i += 1
                if i > high:
                    return
                w_value = items[i]
                j = i - 1
            insertion_driver.can_enter_jit(code=code, i=i, j=j, low=low, high=high,
                                           items=items, w_value=w_value, sorter=sorter)

    def swap(self, items, i, j):
        w_tmp = items[i]
        items[i] = items[j]
        items[j] = w_tmp


def lua_sort(interp, args):
    w_table = argcheck.check_table(args, 0, "table.sort")
    size = length_of(interp, w_table)
    if size > 1:
        if size >= 2147483647:
            raise argcheck.arg_error(0, "table.sort", "array too big")
        w_compare = argcheck.get(args, 1)
        if not isinstance(w_compare, W_Nil):
            argcheck.check_function(args, 1, "table.sort")
        items = [geti(interp, w_table, i + 1) for i in range(size)]
        Sorter(interp, w_compare).sort(items, 0, size - 1)
        for i in range(size):
            seti(interp, w_table, i + 1, items[i])
    return []


def install(interp):
    w_table = W_Table()
    for name, fn in [("insert", lua_insert), ("remove", lua_remove),
                     ("concat", lua_concat), ("pack", lua_pack),
                     ("unpack", lua_unpack), ("move", lua_move),
                     ("sort", lua_sort)]:
        register(interp, name, fn, w_table)
    interp.w_globals.set_str("table", w_table)
    interp.w_loaded.set_str("table", w_table)
