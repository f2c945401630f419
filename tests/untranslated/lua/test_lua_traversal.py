"""`for k, v in pairs(t)` steps by position (targets/lua/traversal.py):
the same keys and values as `next`, in every table strategy, with fields
cleared during the traversal, and without looking a key up."""
import pytest

from targets.lua.table import W_Table
from lua_helpers import output_of

DECODED = ('local json = require("cjson") '
           'local records = json.decode(\'[{"name": "a", "score": 1}, '
           '{"name": "b", "score": 2}]\') '
           'local varied = json.decode(\'{"p": 1, "q": 2}\') ')

TRAVERSALS = [
    # (what, Lua source that prints one traversal's entries, sorted)
    ("array part", "local t = {10, 20, 30}"),
    ("array and hash part", "local t = {10, 20, x = 1, [2.5] = 'f'}"),
    ("map strategy built in Lua", "local t = {} t.name = 'n' t.score = 3"),
    ("decoded record (inline map values)", DECODED + "local t = records[2]"),
    ("many keys (hash part with index)",
     "local t = {} for i = 1, 40 do t['k' .. i] = i end"),
]


def sorted_entries(setup, loop):
    return output_of(setup + " local seen = {} " + loop +
                     " table.sort(seen) print(table.concat(seen, ' '))")


@pytest.mark.parametrize("what,setup", TRAVERSALS, ids=[t[0] for t in TRAVERSALS])
def test_pairs_visits_what_next_visits(what, setup):
    by_pairs = sorted_entries(setup, "for k, v in pairs(t) do "
                              "seen[#seen + 1] = tostring(k) .. '=' .. tostring(v) end")
    by_next = sorted_entries(setup, "local k, v = next(t) while k ~= nil do "
                             "seen[#seen + 1] = tostring(k) .. '=' .. tostring(v) "
                             "k, v = next(t, k) end")
    assert by_pairs == by_next
    assert by_pairs.count("=") >= 2


@pytest.mark.parametrize("what,setup", TRAVERSALS, ids=[t[0] for t in TRAVERSALS])
def test_clearing_every_field_during_pairs_visits_each_once(what, setup):
    out = output_of(setup + " local n, total = 0, 0 for k in pairs(t) do total = total + 1 end "
                    "for k, v in pairs(t) do t[k] = nil n = n + 1 end "
                    "print(n == total, next(t))")
    assert out == "true\tnil\n"


def test_pairs_steps_without_key_lookups(monkeypatch):
    def no_lookup(self, w_key):
        raise AssertionError("pairs looked a key up")
    monkeypatch.setattr(W_Table, "next_position", no_lookup)
    out = output_of(DECODED + "local n = 0 for _, r in pairs(records) do "
                    "for k, v in pairs(r) do n = n + 1 end end "
                    "for k, v in pairs(varied) do n = n + 1 end print(n)")
    assert out == "6\n"


def test_loop_variables_past_key_and_value_are_nil():
    assert output_of("for k, v, extra in pairs({'x'}) do print(k, v, extra) end") == \
        "1\tx\tnil\n"


def test_an_explicit_start_key_still_goes_through_next():
    out = output_of("local t = {1, 2, 3} for k, v in next, t, 1 do io.write(k, ' ') end print()")
    assert out == "2 3 \n"


def test_a_replaced_global_next_is_called():
    out = output_of("local calls = 0 local raw = next "
                    "local function counted(t, k) calls = calls + 1 return raw(t, k) end "
                    "for k in counted, {1, 2} do end print(calls)")
    assert out == "3\n"


def test_pairs_strategy_steps_over_its_pairs():
    from targets.lua.objects import W_PlainString, w_int
    keys_w = [W_PlainString("p"), W_PlainString("q")]
    w_table = W_Table.from_pairs(keys_w, [w_int(1), w_int(2)])
    assert w_table.in_pairs_strategy()
    assert [w_table.filled_position_from(i) for i in range(4)] == [0, 1, -1, -1]
    assert w_table.key_at(1) is keys_w[1]
    assert w_table.value_at(1).intval == 2
