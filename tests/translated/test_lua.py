"""The translated `rlua` (targets/lua) against Debian's lua5.4.

Every corpus program (tests/untranslated/lua/corpus) and a few command-line
scenarios run under both; stdout, exit status and stderr (stack tracebacks
included) must be equal.  Both binaries are started with argv[0] == "lua5.4"
so that error messages carry the same program name.
"""
import os
import re
import shutil
import subprocess

import pytest

from builds import RLUA_JIT_OPTIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(ROOT, "targets", "lua", "targetlua.py")
CORPUS = os.path.join(ROOT, "tests", "untranslated", "lua", "corpus")
LUA = shutil.which("lua5.4")

pytestmark = pytest.mark.skipif(LUA is None, reason="lua5.4 is not installed")


def corpus_scripts():
    return sorted(name for name in os.listdir(CORPUS)
                  if name.endswith(".lua") and not name.startswith("module_"))


@pytest.fixture(scope="module")
def rlua(translate):
    return translate(TARGET)


@pytest.fixture(scope="module")
def rlua_jit(translate):
    """The `--opt=jit` build (about 6 minutes to translate, then cached)."""
    return translate(TARGET, RLUA_JIT_OPTIONS)


def run(binary, args, cwd=CORPUS, stdin=None):
    return subprocess.run(["lua5.4"] + list(args), executable=binary, cwd=cwd,
                          input=stdin, capture_output=True, timeout=300)


def assert_same(ours, expected):
    assert ours.stdout.decode("latin-1") == expected.stdout.decode("latin-1")
    assert ours.returncode == expected.returncode
    assert ours.stderr.decode("latin-1") == expected.stderr.decode("latin-1")


@pytest.mark.parametrize("name", corpus_scripts())
def test_corpus_program_matches_lua54(rlua, name):
    assert_same(run(rlua, [name]), run(LUA, [name]))


SCENARIOS = {
    "deep_recursion_is_a_lua_error":
        ["-e", "local function f(n) return 1 + f(n + 1) end print(pcall(f, 1))"],
    "metamethod_recursion_is_a_c_stack_overflow":
        ["-e", "local t = setmetatable({}, {__index = function(t, k) return t[k] end})"
               " print(pcall(function() return t.x end))"],
    "recursion_a_few_thousand_deep_works":
        ["-e", "local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end"
               " print(depth(5000))"],
    "uncaught_error_exit_status_and_message":
        ["-e", "local t = nil\nprint(t.x)"],
    "uncaught_error_object":
        ["-e", "error(setmetatable({}, {__tostring = function() return 'custom' end}))"],
    "syntax_error_message":
        ["-e", "for i = 1 do end"],
    "os_exit_status":
        ["-e", "io.write('partial ') os.exit(7)"],
    "script_arguments":
        ["-e", "print(...)", "json_roundtrip.lua", "a", "b"],
    "arg_table":
        ["-e", "print(#arg, arg[0], arg[1], arg[2], arg[-1])", "module_helper.lua", "x", "y"],
    "missing_script":
        ["does_not_exist.lua"],
    "many_coroutines":
        ["-e", "local n = 0 for i = 1, 2000 do local co = coroutine.wrap(function(a) "
               "local b = coroutine.yield(a + 1) return b * 2 end) n = n + co(i) + co(3) end print(n)"],
    "string_building_and_tables":
        ["-e", "local t = {} for i = 1, 20000 do t[i] = tostring(i) end local s = table.concat(t)"
               " print(#s, s:sub(-10)) local m = {} for i = 1, 20000 do m['k' .. i] = i end"
               " local c = 0 for k, v in pairs(m) do c = c + v end print(c)"],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_command_line_scenario_matches_lua54(rlua, name):
    args = SCENARIOS[name]
    assert_same(run(rlua, args), run(LUA, args))


@pytest.mark.parametrize("name", corpus_scripts())
def test_jit_build_runs_corpus_program_like_lua54(rlua_jit, name):
    assert_same(run(rlua_jit, [name]), run(LUA, [name]))


def test_jit_build_runs_hot_loops_like_lua54(rlua_jit):
    args = ["-e", "local s = 0.0 for i = 1, 3000000 do s = s + i * 0.5 end print(s) "
                  "local t = {} for i = 1, 100000 do t[i] = {id = i, v = i % 7} end "
                  "local c = 0 for _, r in ipairs(t) do c = c + r.v end print(c) "
                  "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end "
                  "print(fib(25))"]
    assert_same(run(rlua_jit, args), run(LUA, args))


def test_stdin_is_read_by_io_read(rlua):
    args = ["-e", "print(io.read('n', 'l', 'a'))"]
    data = b"42 rest of line\nsecond\nthird\n"
    assert_same(run(rlua, args, stdin=data), run(LUA, args, stdin=data))


# a hot loop calling a small Lua function and a builtin on floats
CALLING_LOOP = """
local sqrt = math.sqrt
local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end
local total = 0.0
for i = 1, 200000 do
  total = total + A(i, 3) + sqrt(i * 0.25)
end
print(string.format("%.6f", total))
"""


def optimized_loop_bodies(log_text):
    """The operations after the last `label` of each jit-log-opt-loop
    section (the peeled loop body), as lists of lines."""
    bodies = []
    for section in re.findall(r"\{jit-log-opt-loop\n(.*?)\[[0-9a-f]+\] jit-log-opt-loop\}",
                              log_text, re.S):
        lines = [line for line in section.splitlines() if "debug_merge_point" not in line]
        labels = [i for i, line in enumerate(lines) if line.lstrip().startswith("label(")]
        bodies.append(lines[labels[-1]:] if labels else lines)
    return bodies


def loop_bodies_doing(log_text, operation, what):
    """The optimized loop bodies of the log with an `operation` line; fails
    the test when there is none (`what` the loop does, for the message)."""
    bodies = [body for body in optimized_loop_bodies(log_text)
              if any(operation in line for line in body)]
    assert bodies, "no optimized loop %s in the log" % what
    return bodies


CALL_OPERATION = re.compile(r"\s*(?:\+\d+: )?(?:\w+ = )?(?:cond_)?call\w*\(")


def run_with_jit_log(rlua_jit, tmp_path, source):
    """Run `source` with rlua_jit, check its output against lua5.4, and
    return the text of its jit-log-opt log."""
    script = tmp_path / "script.lua"
    script.write_text(source)
    log = tmp_path / "jit.log"
    ours = subprocess.run([rlua_jit, str(script)], capture_output=True, timeout=300,
                          env=dict(os.environ, PYPYLOG="jit-log-opt:%s" % log))
    assert_same(ours, run(LUA, [str(script)]))
    return log.read_text()


def allocations_and_calls(ops):
    """The operations among `ops` that allocate or call (a GC write
    barrier, cond_call_gc_wb, is no call)."""
    return [line for line in ops
            if " new" in line or (CALL_OPERATION.match(line) and
                                  "cond_call_gc_wb" not in line)]


def test_jit_loop_inlines_lua_call_and_builtin_without_allocating(rlua_jit, tmp_path):
    """The frame is a virtualizable, callee frames hide behind virtual
    references and builtins are promoted: the loop body allocates nothing
    (no frame, no argument list, no number box) and calls nothing but the
    C square root."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, CALLING_LOOP)
    for body in loop_bodies_doing(log_text, "float_truediv", "the division of A"):
        text = "\n".join(body)
        assert not [line for line in body if " new" in line], text
        calls = [line for line in body
                 if re.match(r"\s*(?:\+\d+: )?(?:\w+ = )?(?:cond_)?call\w*\(", line)]
        assert all("sqrt" in line for line in calls), text


SORT_WITH_COMPARATOR = """
local seed, t = 42, {}
for i = 1, 200000 do seed = (seed * 16807) % 2147483647 t[i] = seed % 100000 end
table.sort(t, function(a, b) return a > b end)
print(t[1], t[100000], t[200000])
for i = 2, #t do assert(t[i - 1] >= t[i]) end
"""


def test_jit_sort_partition_inlines_the_lua_comparator(rlua_jit, tmp_path):
    """table.sort's partition is a JIT loop of its own (lib_table.partition_driver):
    its trace runs the Lua comparator inline, with no frame, no argument list and
    no call into the interpreter."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, SORT_WITH_COMPARATOR)
    sections = compiled_sections(
        log_text, r"table\.sort partition \((?:up|down), comparator anonymous\)")
    assert sections, "no compiled table.sort partition loop in the log"
    for _, ops in sections:
        assert allocations_and_calls(ops) == [], "\n".join(ops)


def compiled_sections(log_text, title_pattern):
    """(title match, operations without debug_merge_point) of each compiled
    loop whose title matches `title_pattern`."""
    found = []
    for match in re.finditer(r"\{jit-log-opt-loop\n# Loop \d+ \((%s)\) : loop with \d+ ops\n(.*?)"
                             r"\[[0-9a-f]+\] jit-log-opt-loop\}" % title_pattern, log_text, re.S):
        ops = [line for line in match.group(2).splitlines() if "debug_merge_point" not in line]
        found.append((match.group(1), ops))
    return found


def test_jit_sort_insertion_runs_the_lua_comparator_inline(rlua_jit, tmp_path):
    """The insertion sort of short ranges and the median of three are a JIT
    loop of their own (lib_table.insertion_driver): the comparator runs in
    its trace, with no frame, no argument list and no call."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, SORT_WITH_COMPARATOR)
    sections = compiled_sections(log_text,
                                 r"table\.sort insertion \(comparator anonymous\)")
    assert sections, "no compiled table.sort insertion loop in the log"
    for _, ops in sections:
        assert allocations_and_calls(ops) == [], "\n".join(ops)


# string.byte of one position, # of a sequence, an append and a chain of
# `..` over strings, in one hot loop
INLINE_STRING_AND_SEQUENCE_LOOP = """
local text = string.rep("abcdefgh", 2000)
local names = {"ab", "cd", "ef"}
local t, hash, total = {}, 0, 0
for i = 1, #text do
  hash = (hash * 31 + string.byte(text, i)) % 1000003
  t[#t + 1] = hash
  local a = names[i % 3 + 1]
  local s = a .. "-" .. a .. "." .. a
  total = total + #s
end
print(hash, #t, total, string.byte(text, 0), string.byte(text, 3, 5))
"""


def test_jit_loop_runs_byte_length_append_and_concat_inline(rlua_jit, tmp_path):
    """string.byte(s, i) and #t are loop-free (no call from the trace), an
    append calls only to double a full array part (a conditional call), and
    a `..` chain of strings is joined in the trace (no concat_values call,
    no list of operands)."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, INLINE_STRING_AND_SEQUENCE_LOOP)
    for body in loop_bodies_doing(log_text, "strgetitem", "reading a byte of the string"):
        text = "\n".join(body)
        calls = [line for line in body
                 if re.match(r"\s*(?:\+\d+: )?(?:\w+ = )?call\w*\(", line)]
        assert calls == [], text
        assert "concat_values" not in text and "new_array" not in text, text


# The inner loop runs twice per entry while n <= 3000, so its first hot back
# edge is followed by its last iteration; later entries run 300 iterations.
INNER_LOOP_HOT_ON_ITS_LAST_ITERATION = """
local total = 0
for n = 1, 6000 do
  local limit = 2
  if n > 3000 then limit = 300 end
  for i = 1, limit do
    total = total + i * n % 7
  end
end
print(total)
"""


def test_jit_inner_loop_trace_stays_in_its_loop(rlua_jit, tmp_path):
    """A root trace of a loop that leaves it and comes back through the
    loop's FOR_PREP is abandoned (targets/lua/loopentry.py): the inner
    loop's compiled loop (named after its header, the first instruction of
    its body on line 7) is its iteration only, not the exit, the outer
    loop's body and a new entry."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, INNER_LOOP_HOT_ON_ITS_LAST_ITERATION)
    loops = re.findall(r"\{jit-log-opt-loop\n# Loop \d+ \([^)]*script\.lua:7 \w+\) : loop with \d+ ops\n"
                       r"(.*?)\[[0-9a-f]+\] jit-log-opt-loop\}", log_text, re.S)
    assert loops, "the inner loop was never compiled"
    for ops in loops:
        assert "FOR_PREP" not in ops, ops
        assert "script.lua:4 " not in ops, ops     # the outer loop's body


# pairs over tables of three strategies, each traversal in a hot loop
PAIRS_LOOPS = """
local records = {}
for i = 1, 400 do records[i] = {id = i, name = "n" .. i, score = i % 7} end
local wide = {}
for i = 1, 40 do wide["key" .. i] = i end
local list = {}
for i = 1, 30 do list[i] = i * 2 end
local total, names = 0, 0
for round = 1, 300 do
  for _, record in pairs(records) do
    for key, value in pairs(record) do
      if key == "score" then total = total + value else names = names + 1 end
    end
  end
  for key, value in pairs(wide) do total = total + value end
  for index, value in pairs(list) do total = total + index * value end
end
print(total, names)
"""


def test_jit_pairs_loop_steps_without_key_lookups_or_calls_to_next(rlua_jit, tmp_path):
    """A generic for over `pairs(t)` keeps the traversal's position in its
    hidden control slot (targets/lua/traversal.py), so no optimized loop
    finds the previous key again (with `next` that is the position hint of
    a map or hash part, read and written each step) or calls for a map's
    key list; and `pairs` itself is inlined: no compiled code (loops and
    bridges) calls a builtin (call_may_force)."""
    log_text = run_with_jit_log(rlua_jit, tmp_path, PAIRS_LOOPS)
    bodies = optimized_loop_bodies(log_text)
    assert len(bodies) >= 3, log_text
    for body in bodies:
        text = "\n".join(body)
        for name in ("traversal_hint", "next_hint", "JSONMap.keys"):
            assert name not in text, text
    assert "call_may_force" not in log_text
