"""Cross-architecture builds (``--arch``, the crossarch plugin) run under qemu-user.

The translations, chosen to keep CI's cost down (each foreign one is about
70-90 s, and each is cached by its inputs):

- targetendianprobe for every architecture: s390x (big-endian) and the
  little-endian foreign CPUs must print what the x86-64 build prints;
- rpython's sha1sum goal program for s390x;
- the sandbox probe, ``--sandbox --sandbox-seccomp=off``, for every foreign
  architecture, driven by the host's controller through qemu (qemu-user
  refuses seccomp filters, see test_qemu_user_refuses_seccomp_filters);
- jsontool for every foreign architecture, compared with the x86-64 build.

Two foreign JIT builds run (ppc64le and s390x, the backends rpython has
besides x86; about 7-10 minutes each); the aarch64 JIT refusal costs only
the loading of the target.

``RPLUG_TEST_ARCHES=aarch64,s390x`` restricts the foreign architectures.
"""
import hashlib
import io
import json
import os
import random
import struct
import subprocess
import tarfile

import pytest

from rplug import paths
from rplug.build import ARCHES, HOST_ARCH, TRIPLETS, ElfLinkage, host_glibc, missing_tools, \
    qemu_prefix, version_tuple
from sandbox.arch import architecture_named
from sandbox.binary import elf_machine
from sandbox.controller import DefaultController

# the targets and options of the builds, shared with the prebuild list
from builds import (ENDIAN_PROBE, FOREIGN_SANDBOX_OPTIONS, JIT_ARCHES, JIT_PROBE, JSONTOOL,
                    SANDBOX_PROBE, foreign_arches)

RPLUG = os.path.join(paths.PY3_VENV, "bin", "rplug")
PY2 = os.path.join(paths.PY2_VENV, "bin", "python")
OLDEST_GLIBC_ALLOWED = "2.34"
# RPython's GC sizes its nursery from the L2 cache size in /proc/cpuinfo;
# qemu-s390x shows the host's x86 /proc/cpuinfo, so an s390x binary warns
QEMU_CPUINFO_WARNING = b"Warning: cannot find your CPU L2 cache size in /proc/cpuinfo\n"

FOREIGN = foreign_arches()


@pytest.fixture(scope="session", autouse=True)
def cross_tools():
    missing = sorted({tool for arch in FOREIGN for tool in missing_tools(arch)})
    assert not missing, ("cross tools missing: %s; `make setup` installs them"
                         % ", ".join(missing))


# -- the endianness probe ------------------------------------------------------

@pytest.fixture(scope="module")
def endian_output(translate, run_binary):
    """arch -> the probe's stdout lines (translated once per arch, cached)."""
    outputs = {}

    def output(arch):
        if arch not in outputs:
            binary = translate(ENDIAN_PROBE, arch=arch)
            result = run_binary(binary)
            assert result.returncode == 0, result.stderr.decode(errors="replace")
            outputs[arch] = result.stdout.decode().splitlines()
        return outputs[arch]
    return output


def portable(lines):
    return [line for line in lines if not line.startswith("native")]


def test_host_endian_probe_agrees_with_python(endian_output):
    lines = endian_output(HOST_ARCH)
    values = (-2, 0x1234, -0x123456789ab, 1.5, -0.1, b"ab", 0xFEDCBA98, 200)
    for order in "<>!":
        packed = struct.pack(order + "hiqdf2sIB", *values)
        assert "pack %shiqdf2sIB %s" % (order, packed.hex()) in lines
    packed = struct.pack("=hiqdf2sIB", *values)
    assert "native pack =hiqdf2sIB %s" % packed.hex() in lines
    assert "3**200 = %d" % 3 ** 200 in lines
    assert "3**200 hex = %s" % hex(3 ** 200) in lines
    sample = "A\xe9\u20ac\u4e2d\U0001f600z"
    assert "utf-8 %s" % sample.encode("utf-8").hex() in lines
    assert "utf-32-be %s roundtrip yes" % sample.encode("utf-32-be").hex() in lines
    assert "parse 0.1 -> 0.1" in lines
    assert "float 1e+22 e=1.000000000000e+22 f=10000000000000000000000.000 g=1e+22" in lines
    assert "regex: match 4..8" in lines
    assert "native struct order: little" in lines


@pytest.mark.parametrize("arch", FOREIGN)
def test_endian_probe_matches_host(endian_output, arch):
    foreign = endian_output(arch)
    host = endian_output(HOST_ARCH)
    assert portable(foreign) == portable(host)
    order = "big" if arch == "s390x" else "little"
    assert "native struct order: %s" % order in foreign
    native_pack = [l for l in foreign if l.startswith("native pack =")][0]
    values = (-2, 0x1234, -0x123456789ab, 1.5, -0.1, b"ab", 0xFEDCBA98, 200)
    assert native_pack.split()[-1] == struct.pack((">" if order == "big" else "<")
                                                  + "hiqdf2sIB", *values).hex()
    native_utf16 = [l for l in foreign if l.startswith("native utf-16 ")][0]
    assert native_utf16.split()[2].startswith("feff" if order == "big" else "fffe")


def test_sha1sum_goal_program_on_big_endian_s390x(translate, run_binary, rpython_goal, tmp_path):
    """rpython's own goal program: word loads of SHA-1 depend on the byte order."""
    if "s390x" not in FOREIGN:
        pytest.skip("s390x not selected")
    data = bytes(range(256)) * 999 + b"tail"
    sample = tmp_path / "sample.bin"
    sample.write_bytes(data)
    result = run_binary(translate(rpython_goal("targetsha1sum"), arch="s390x"), str(sample))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == [hashlib.sha1(data).hexdigest(), str(sample)]


# -- glibc requirement ---------------------------------------------------------

@pytest.mark.parametrize("arch", [HOST_ARCH] + FOREIGN)
def test_binaries_need_an_older_glibc_than_the_host(translate, arch):
    binary = translate(ENDIAN_PROBE, arch=arch)
    linkage = ElfLinkage(binary)
    assert elf_machine(binary) == arch
    assert linkage.linkage == "dynamic"
    required = linkage.glibc_required()
    assert version_tuple(required) <= version_tuple(OLDEST_GLIBC_ALLOWED), required
    assert version_tuple(required) < version_tuple(host_glibc())
    assert "libc.so.6" in linkage.version_needs


# -- the sandbox, foreign child, host controller ------------------------------

@pytest.fixture
def area(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "hello.txt").write_bytes(b"hello from the host\n")
    (data / "sub").mkdir()
    (tmp_path / "tmp").mkdir()
    (tmp_path / "outside.txt").write_bytes(b"secret outside the mounts\n")
    return tmp_path


def run_foreign_sandboxed(binary, arch, area, *args):
    argv0 = "/bin/probe"
    output = io.BytesIO()
    errors = io.BytesIO()
    process = DefaultController(
        binary, list(args), argv0=argv0, arch=architecture_named(arch),
        launcher=qemu_prefix(arch) + ["-0", argv0],
        mounts=[(str(area / "data"), "/data", False)], tmp_dir=str(area / "tmp"),
        output_streams={1: output, 2: errors}, stderr=errors)
    status = process.run()
    return status, output.getvalue(), errors.getvalue().replace(QEMU_CPUINFO_WARNING, b"")


@pytest.mark.parametrize("arch", FOREIGN)
def test_foreign_sandboxed_probe_under_host_controller(translate, arch, area):
    binary = translate(SANDBOX_PROBE, FOREIGN_SANDBOX_OPTIONS, arch=arch)
    dump = subprocess.run(qemu_prefix(arch) + [binary], env={"RPY_SANDBOX_DUMP": "1"},
                          stdout=subprocess.PIPE, timeout=120).stdout.decode()
    fields = dict(line.split(": ", 1) for line in dump.splitlines())
    assert fields["Machine"] == arch
    assert fields["Byteorder"] == ("big" if arch == "s390x" else "little")
    assert fields["Wordsize"] == "8"

    assert run_foreign_sandboxed(binary, arch, area, "cat", "/data/hello.txt") \
        == (0, b"hello from the host\n", b"")
    status, out, _ = run_foreign_sandboxed(binary, arch, area, "listdir", "/data")
    assert (status, out) == (0, b"hello.txt\nsub\n")
    status, out, _ = run_foreign_sandboxed(binary, arch, area, "stat", "/data/hello.txt")
    assert (status, out) == (0, b"20\n")
    status, _, _ = run_foreign_sandboxed(binary, arch, area, "write", "/tmp/out.txt", "boxed")
    assert status == 0
    assert (area / "tmp" / "out.txt").read_bytes() == b"boxed"
    status, out, _ = run_foreign_sandboxed(binary, arch, area, "args", "one", "two words")
    assert (status, out) == (0, b"one\ntwo words\n")


@pytest.mark.parametrize("arch", FOREIGN[-1:])
@pytest.mark.parametrize("path", ["/data/../outside.txt", "/etc/passwd", "../outside.txt"])
def test_foreign_sandboxed_probe_cannot_escape(translate, arch, area, path):
    binary = translate(SANDBOX_PROBE, FOREIGN_SANDBOX_OPTIONS, arch=arch)
    status, out, err = run_foreign_sandboxed(binary, arch, area, "cat", path)
    assert status != 0
    assert b"secret" not in out and b"root:" not in out
    before = sorted(os.listdir(str(area)))
    status, _, _ = run_foreign_sandboxed(binary, arch, area, "write", "/data/new.txt", "x")
    assert status != 0
    assert sorted(os.listdir(str(area))) == before
    assert not (area / "data" / "new.txt").exists()


@pytest.mark.parametrize("arch", FOREIGN)
def test_qemu_user_refuses_seccomp_filters(arch, tmp_path):
    """Why foreign sandboxed builds run under qemu need --sandbox-seccomp=off.

    qemu-user answers prctl(PR_SET_SECCOMP) with EINVAL (a filter written for
    the guest's system calls would judge qemu's host calls), so a binary
    translated with the default --sandbox-seccomp=on stops at start-up with
    "installing the seccomp filter failed; refusing to run unconfined".
    """
    source = tmp_path / "seccomp.c"
    source.write_text(
        "#include <errno.h>\n#include <stdio.h>\n#include <sys/prctl.h>\n"
        "#include <linux/filter.h>\n#include <linux/seccomp.h>\n"
        "int main(void) {\n"
        "  struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};\n"
        "  struct sock_fprog program = {1, allow};\n"
        "  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n"
        "  int rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program);\n"
        "  printf(\"%d %d\\n\", rc, rc ? errno : 0);\n  return 0;\n}\n")
    binary = tmp_path / "seccomp"
    subprocess.run([TRIPLETS[arch] + "-gcc", str(source), "-o", str(binary)], check=True)
    result = subprocess.run(qemu_prefix(arch) + [str(binary)], stdout=subprocess.PIPE,
                            timeout=60)
    assert result.stdout.split() == [b"-1", b"%d" % 22]      # EINVAL


# -- jsontool ------------------------------------------------------------------

def json_documents(tmp_path):
    rng = random.Random(7)
    documents = {
        "numbers.json": [1, -0.0, 1e300, 2.5e-310, 123456789012345678901234567890,
                         0.1, 1.7976931348623157e308, -12345.678e-5],
        "strings.json": ["caf\u00e9", "\u20ac\U0001f600", "tab\tnew\nline", "\\\"quoted\""],
        "nested.json": {"a": [{"b": [None, True, False]}, {"c": {"d": []}}],
                        "k%d" % rng.randrange(99): [rng.uniform(-1e6, 1e6) for _ in range(50)]},
    }
    paths_ = []
    for name, document in documents.items():
        path = tmp_path / name
        path.write_text(json.dumps(document))
        paths_.append(path)
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"a": [1, 2,, 3]}')
    paths_.append(invalid)
    # 128 KB and more: read in place from the string (jsondecoder/scanner.py)
    records = json.dumps([{"screen_name": "user%d" % i, "id": i, "text": "caf\u00e9 " * (i % 9)}
                          for i in range(6000)])
    assert len(records) > 1 << 17
    for name, text in (("large.json", records), ("large-cut.json", records[:-7])):
        path = tmp_path / name
        path.write_text(text)
        paths_.append(path)
    return paths_


@pytest.mark.parametrize("arch", FOREIGN)
def test_jsontool_matches_host(translate, run_binary, arch, tmp_path):
    host = translate(JSONTOOL)
    foreign = translate(JSONTOOL, arch=arch)
    for path in json_documents(tmp_path):
        for args in (["--pretty", path], [path]):
            expected = run_binary(host, *args)
            got = run_binary(foreign, *args)
            stderr = got.stderr.replace(QEMU_CPUINFO_WARNING, b"")
            assert (got.returncode, got.stdout, stderr) == \
                (expected.returncode, expected.stdout, expected.stderr), (arch, args)


# -- JIT -----------------------------------------------------------------------

def test_jit_for_aarch64_is_refused():
    result = subprocess.run([RPLUG, "translate", "--arch=aarch64", "--opt=jit", "--output",
                             os.path.join(paths.BUILD_DIR, "never-written"), JIT_PROBE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=1800)
    assert result.returncode != 0
    assert "--opt=jit --arch=aarch64: rpython has no JIT backend for aarch64" in result.stderr
    assert not os.path.exists(os.path.join(paths.BUILD_DIR, "never-written"))


@pytest.mark.parametrize("arch", JIT_ARCHES)
def test_foreign_jit_compiles_the_loop(translate, run_binary, arch, tmp_path):
    """The ppc backend (little-endian ppc64) and the zarch backend (big-endian s390x),
    under qemu: the loop and a bridge run as machine code and compute what the
    interpreter does."""
    if arch not in FOREIGN:
        pytest.skip("RPLUG_TEST_ARCHES leaves out %s" % arch)
    binary = translate(JIT_PROBE, ["--opt=jit"], arch=arch)
    summary = tmp_path / "jit-summary.log"
    result = run_binary(binary, "5000", env=dict(os.environ, PYPYLOG="jit-summary:%s" % summary))
    assert result.returncode == 0, result.stderr
    fields = dict(line.split(" ", 1) for line in result.stdout.decode().splitlines())
    assert int(fields["total"]) == 5000 * int(fields["pid"])
    assert int(fields["halves"]) == sum(range(5000)) // 2     # float adds in registers
    assert int(fields["sevens"]) == len(range(0, 5000, 7))    # the bridge of the rare branch
    assert int(fields["jitted"]) > 3000
    counts = dict(line.split(":", 1) for line in summary.read_text().splitlines() if ":" in line)
    assert int(counts["Total # of loops"]) >= 1
    assert int(counts["Total # of bridges"]) >= 1


# -- rplug build ---------------------------------------------------------------

def test_build_packages_every_arch(translate, tmp_path):
    arches = [HOST_ARCH] + FOREIGN[-1:]
    for arch in arches:
        translate(ENDIAN_PROBE, arch=arch)     # so that --reuse finds them
    dist = tmp_path / "dist"
    result = subprocess.run([RPLUG, "build", "--arch", ",".join(arches), "--reuse",
                             "--version", "1.0", "--dist", str(dist), "--smoke-args", "bigint",
                             "-q", ENDIAN_PROBE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    table = result.stdout.splitlines()
    assert table[0].split()[:6] == ["arch", "JIT", "size", "translation", "glibc", "tests"]
    for arch in arches:
        row = next(line.split() for line in table if line.startswith(arch + " "))
        assert row[1] == "no" and row[-2] in ("4/4", "3/3"), row
        archive = dist / ("endianprobe-1.0-%s.tar.gz" % arch)
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        assert (dist / (archive.name + ".sha256")).read_text() == \
            "%s  %s\n" % (digest, archive.name)
        with tarfile.open(str(archive)) as tar:
            names = sorted(tar.getnames())
            base = "endianprobe-1.0-%s/" % arch
            assert names == [base + "MANIFEST.json", base + "bin/endianprobe"]
            manifest = json.load(tar.extractfile(base + "MANIFEST.json"))
            binary = tar.extractfile(base + "bin/endianprobe").read()
        assert manifest["arch"] == arch
        assert manifest["target"] == "targets/probes/targetendianprobe.py"
        assert manifest["rpython"] == "0.2.1"
        assert manifest["files"] == {"bin/endianprobe": hashlib.sha256(binary).hexdigest()}
        assert manifest["glibc_required"] == ElfLinkage(translate(ENDIAN_PROBE, arch=arch)) \
            .glibc_required()
        assert ("gcc" in manifest["compiler"]) and manifest["built"].endswith("Z")


def test_py3_and_py2_arch_tables_agree():
    out = subprocess.run([PY2, "-c", "import json; from translator_plugins.crossarch.targets "
                          "import ARCHES; print(json.dumps(dict((a.name, [a.triplet, a.qemu, "
                          "a.jit_model is not None]) for a in ARCHES.values())))"],
                         cwd=paths.PROJECT_ROOT, stdout=subprocess.PIPE, check=True).stdout
    from rplug.build import JIT_BACKENDS
    expected = {arch: [TRIPLETS[arch], "qemu-" + arch, arch in JIT_BACKENDS] for arch in ARCHES}
    assert json.loads(out) == expected


def test_rplug_run_and_check_take_the_arch_from_the_binary(translate, area):
    """The CLI reads the ELF header: byte order, word size and qemu follow the child."""
    binary = translate(SANDBOX_PROBE, FOREIGN_SANDBOX_OPTIONS, arch="s390x")
    rplug = os.path.join(paths.PY3_VENV, "bin", "rplug")
    checked = subprocess.run([rplug, "check", binary], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "machine s390x, big-endian" in checked.stdout
    ran = subprocess.run([rplug, "run", "--mount", "%s:/data:ro" % (area / "data"), binary,
                          "cat", "/data/hello.txt"], capture_output=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == b"hello from the host\n"
