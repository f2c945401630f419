"""``rplug build``: one target translated for several architectures, packaged.

    rplug build --arch x86_64,aarch64,ppc64le,s390x [--sandbox] [--opt=jit|2]
        [RPYTHON OPTIONS] TARGET.py

Each architecture is translated in turn (``--arch`` of the crossarch plugin:
Debian's cross gcc, probes under qemu-user), smoke-tested on this machine
(through ``qemu-ARCH -L /usr/TRIPLET`` when foreign) and packaged as
``dist/NAME-VERSION-ARCH.tar.gz`` with a ``.sha256`` beside it.  The archive
holds ``NAME-VERSION-ARCH/bin/NAME``, the signature dump
(``NAME.sandbox-dump``) of a sandboxed binary, and ``MANIFEST.json``: target,
options, rpython version, compiler, date, linkage, the highest ``GLIBC_``
symbol version the binary needs, and the sha256 of every file.

The binaries are linked dynamically against glibc: they need a glibc at
least as new as the highest ``GLIBC_x.y`` version they reference (recorded
in the manifest and checked against this host's; for Debian 12's cross
toolchains that is 2.34, so they run on glibc 2.34 and later, which is
older than the build host's 2.36).

This module also holds what the tests need to run foreign binaries:
``run_prefix(binary)`` is the command prefix (``[]`` for this host's
architecture, ``qemu-ARCH -L /usr/TRIPLET`` otherwise), found from the ELF
header.
"""
import argparse
import datetime
import glob
import hashlib
import io
import json
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tarfile
import time

from rplug import paths
from rplug.buildcache import _files_current, cached_translate, input_key
from rplug.translate import TranslationError, target_name, translate
from sandbox.binary import elf_machine
from sandbox.emulation import ARCHES, HOST_ARCH, TRIPLETS, qemu_prefix

JIT_BACKENDS = {"x86_64": "x86", "ppc64le": "ppc", "s390x": "zarch"}   # none for aarch64
SMOKE_TIMEOUT = 120


class BuildError(Exception):
    """A build could not start (bad options, missing tools)."""


# -- running and inspecting binaries of any architecture ------------------------

def run_prefix(binary):
    """The command prefix that runs ``binary`` here (from its ELF header)."""
    return qemu_prefix(elf_machine(binary))


def command(binary, *args):
    """argv running ``binary`` with ``args`` on this host, through qemu if foreign."""
    return run_prefix(binary) + [os.path.abspath(binary)] + [str(a) for a in args]


def missing_tools(arch):
    """Commands this host lacks to build and run programs of ``arch``."""
    tools = ["%s-gcc" % TRIPLETS[arch]] + qemu_prefix(arch)[:1] if arch != HOST_ARCH else []
    return [tool for tool in tools if shutil.which(tool) is None]


PT_DYNAMIC, PT_INTERP = 2, 3
SHT_GNU_VERNEED = 0x6FFFFFFE


class ElfLinkage:
    """How a 64-bit ELF executable is linked: interpreter and versioned needs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            image = f.read()
        if image[:4] != b"\x7fELF" or image[4] != 2:
            raise BuildError("%s is not a 64-bit ELF file" % path)
        order = "<" if image[5] == 1 else ">"
        self.interpreter = None
        self.dynamic = False
        self.version_needs = {}     # library -> {version names}
        phoff, shoff = struct.unpack_from(order + "QQ", image, 32)
        phentsize, phnum, shentsize, shnum = struct.unpack_from(order + "HHHH", image, 54)
        for i in range(phnum):
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
                order + "IIQQQQ", image, phoff + i * phentsize)
            if p_type == PT_DYNAMIC:
                self.dynamic = True
            elif p_type == PT_INTERP:
                self.interpreter = image[p_offset:p_offset + p_filesz].rstrip(b"\0").decode()
        sections = [struct.unpack_from(order + "IIQQQQII", image, shoff + i * shentsize)
                    for i in range(shnum)]
        for _, sh_type, _, _, sh_offset, _, sh_link, sh_info in sections:
            if sh_type == SHT_GNU_VERNEED:
                strtab = sections[sh_link][4]
                self._read_verneed(image, order, sh_offset, sh_info, strtab)

    def _read_verneed(self, image, order, offset, count, strtab):
        def name_at(index):
            end = image.index(b"\0", strtab + index)
            return image[strtab + index:end].decode()
        for _ in range(count):
            _, aux_count, file_name, aux, next_need = struct.unpack_from(
                order + "HHIII", image, offset)
            versions = self.version_needs.setdefault(name_at(file_name), set())
            aux_offset = offset + aux
            for _ in range(aux_count):
                _, _, _, vna_name, vna_next = struct.unpack_from(order + "IHHII", image,
                                                                  aux_offset)
                versions.add(name_at(vna_name))
                aux_offset += vna_next
            offset += next_need

    @property
    def linkage(self):
        return "dynamic" if self.interpreter else "static"

    def glibc_required(self):
        """The highest ``GLIBC_x.y`` the binary needs, as "x.y" (None if static)."""
        versions = [v[len("GLIBC_"):] for needs in self.version_needs.values()
                    for v in needs if v.startswith("GLIBC_") and v[6:7].isdigit()]
        if not versions:
            return None
        return max(versions, key=version_tuple)


def version_tuple(text):
    return tuple(int(part) for part in text.split("."))


def host_glibc():
    return os.confstr("CS_GNU_LIBC_VERSION").split()[-1]


# -- one architecture ----------------------------------------------------------

class ArchResult:
    """What building one architecture gave: for the table and the manifest."""

    def __init__(self, arch, jit):
        self.arch = arch
        self.jit = jit
        self.binary = None
        self.seconds = None
        self.reused = False
        self.size = None
        self.glibc = None
        self.tests = []          # (name, passed, detail)
        self.dump = None         # the signature dump of a sandboxed binary
        self.artifact = None
        self.error = None

    @property
    def tests_passed(self):
        return sum(1 for _, passed, _ in self.tests if passed)


def jit_requested(options):
    for i, option in enumerate(options):
        if option in ("--opt=jit", "-Ojit") or (
                option in ("--opt", "-O") and i + 1 < len(options) and options[i + 1] == "jit"):
            return True
    return False


def _translate_for(arch, target, options, target_args, workdir, reuse, rpython, quiet):
    arch_option = None if arch == HOST_ARCH else arch
    if reuse:
        entry = os.path.join(paths.BINARY_CACHE, "%s-%s" % (target_name(target), input_key(
            target, options + ["--"] + target_args, arch_option, rpython)))
        reused = _files_current(entry)
        binary = cached_translate(target, options, target_args=target_args, arch=arch_option,
                                  rpython=rpython, quiet=quiet, out=sys.stderr)
        return binary, reused
    output = os.path.join(workdir, target_name(target))
    extra = ["--arch=%s" % arch] if arch_option else []
    translate(extra + options + [target] + target_args, output, rpython=rpython, quiet=quiet)
    return output, False


def _smoke_tests(result, sandboxed, smoke_args, reference_output):
    binary = result.binary
    tests = result.tests
    machine = elf_machine(binary)
    tests.append(("elf machine", machine == result.arch, machine))
    linkage = ElfLinkage(binary)
    result.glibc = linkage.glibc_required()
    fits = result.glibc is None or version_tuple(result.glibc) <= version_tuple(host_glibc())
    tests.append(("glibc", fits, "needs %s, host has %s" % (result.glibc, host_glibc())))
    if sandboxed:
        dump = subprocess.run(command(binary), env={"RPY_SANDBOX_DUMP": "1"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=SMOKE_TIMEOUT)
        fields = dict(line.split(": ", 1) for line in dump.stdout.decode(errors="replace")
                      .splitlines() if ": " in line)
        tests.append(("sandbox dump", dump.returncode == 0 and fields.get("Machine") == result.arch,
                      "Machine: %s" % fields.get("Machine")))
        result.dump = dump.stdout
        return None
    run = subprocess.run(command(binary, *smoke_args), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=SMOKE_TIMEOUT)
    tests.append(("runs", 0 <= run.returncode < 128,
                  "exit %d: %s" % (run.returncode, run.stderr.decode(errors="replace")[-200:])))
    if reference_output is not None:
        tests.append(("same output as %s" % HOST_ARCH, run.stdout == reference_output, ""))
    return run.stdout


# -- packaging -----------------------------------------------------------------

def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def rpython_version(rpython):
    if rpython:
        return "checkout %s" % os.path.abspath(rpython)
    found = glob.glob(os.path.join(paths.PY2_VENV, "lib", "python2.7", "site-packages",
                                   "rpython-*.dist-info"))
    if found:
        return os.path.basename(found[0])[len("rpython-"):-len(".dist-info")]
    return "unknown"


def compiler_version(arch):
    cc = "gcc" if arch == HOST_ARCH else TRIPLETS[arch] + "-gcc"
    try:
        out = subprocess.run([cc, "--version"], stdout=subprocess.PIPE, text=True).stdout
    except OSError:
        return cc
    return out.splitlines()[0] if out else cc


def package(result, name, version, target, options, rpython, dist_dir):
    """Write dist/NAME-VERSION-ARCH.tar.gz and its .sha256; return the archive path."""
    base = "%s-%s-%s" % (name, version, result.arch)
    with open(result.binary, "rb") as f:
        binary_bytes = f.read()
    files = {"bin/" + name: (binary_bytes, 0o755)}
    if result.dump is not None:
        files[name + ".sandbox-dump"] = (result.dump, 0o644)
    linkage = ElfLinkage(result.binary)
    manifest = {
        "name": name, "version": version, "arch": result.arch,
        "target": os.path.relpath(os.path.abspath(target), paths.PROJECT_ROOT),
        "options": options, "jit": result.jit, "jit_backend": JIT_BACKENDS.get(result.arch)
        if result.jit else None,
        "rpython": rpython_version(rpython), "compiler": compiler_version(result.arch),
        "built": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_host": "%s, glibc %s" % (HOST_ARCH, host_glibc()),
        "translation_seconds": None if result.reused else round(result.seconds, 1),
        "linkage": linkage.linkage, "interpreter": linkage.interpreter,
        "glibc_required": linkage.glibc_required(),
        "libraries": sorted(linkage.version_needs),
        "files": {path: _sha256(data) for path, (data, _) in sorted(files.items())},
    }
    files["MANIFEST.json"] = (json.dumps(manifest, indent=1, sort_keys=True).encode() + b"\n",
                              0o644)
    os.makedirs(dist_dir, exist_ok=True)
    archive = os.path.join(dist_dir, base + ".tar.gz")
    stamp = int(time.time())
    with tarfile.open(archive, "w:gz") as tar:
        for path, (data, mode) in sorted(files.items()):
            info = tarfile.TarInfo("%s/%s" % (base, path))
            info.size, info.mode, info.mtime = len(data), mode, stamp
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    with open(archive, "rb") as f:
        digest = _sha256(f.read())
    with open(archive + ".sha256", "w") as f:
        f.write("%s  %s\n" % (digest, os.path.basename(archive)))
    return archive


# -- the command ---------------------------------------------------------------

def parse_arches(text):
    arches = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in arches if a not in ARCHES]
    if unknown or not arches:
        raise BuildError("--arch %s: unknown architecture %s; choose from %s"
                         % (text, ", ".join(unknown) or "(none)", ",".join(ARCHES)))
    # this host's architecture first: its output is the reference of the others
    return sorted(dict.fromkeys(arches), key=lambda a: (a != HOST_ARCH, ARCHES.index(a)))


def default_version(target):
    try:
        out = subprocess.run(["git", "describe", "--tags", "--always", "--dirty"],
                             cwd=os.path.dirname(os.path.abspath(target)),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return "unversioned"
    return out.stdout.strip() or "unversioned"


def _say(index, total, arch, text):
    print("[build %d/%d %s] %s" % (index, total, arch, text), file=sys.stderr, flush=True)


def _shown_path(path):
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _human_size(size):
    return "%.1f MB" % (size / 1e6) if size >= 1e6 else "%d kB" % (size // 1000)


def summary_table(results):
    rows = [("arch", "JIT", "size", "translation", "glibc", "tests", "artifact")]
    for r in results:
        if r.error:
            rows.append((r.arch, "yes" if r.jit else "no", "-", "-", "-", "-",
                         "FAILED: " + r.error.splitlines()[0]))
            continue
        seconds = "reused" if r.reused else "%.1f s" % r.seconds
        rows.append((r.arch, JIT_BACKENDS[r.arch] if r.jit else "no", _human_size(r.size), seconds,
                     r.glibc or "static", "%d/%d" % (r.tests_passed, len(r.tests)),
                     _shown_path(r.artifact) if r.artifact else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths))
                     + "  " + row[-1])
    return "\n".join(lines)


def build(target, arches, options, target_args=(), version=None, name=None, dist_dir=None,
          reuse=False, rpython=None, smoke_args=(), quiet=False):
    """Build, test and package ``target`` for each arch; return the ArchResults."""
    options = list(options)
    target_args = list(target_args)
    name = name or target_name(target)
    version = version or default_version(target)
    dist_dir = dist_dir or os.path.join(paths.PROJECT_ROOT, "dist")
    sandboxed = "--sandbox" in options
    jit = jit_requested(options)
    results = []
    reference_output = None
    workroot = os.path.join(paths.BUILD_DIR, "release")
    for index, arch in enumerate(arches, 1):
        result = ArchResult(arch, jit)
        results.append(result)
        missing = missing_tools(arch)
        if missing:
            result.error = ("%s missing; run `make setup` (it installs the cross compilers "
                            "and qemu-user)" % ", ".join(missing))
            _say(index, len(arches), arch, "skipped: " + result.error)
            continue
        _say(index, len(arches), arch, "%s%s" % (
            "translating (or reusing a current cached build)" if reuse else "translating",
            " with the JIT" if jit else ""))
        workdir = os.path.join(workroot, "%s-%s" % (name, arch))
        os.makedirs(workdir, exist_ok=True)
        started = time.time()
        try:
            result.binary, result.reused = _translate_for(
                arch, target, options, target_args, workdir, reuse, rpython, quiet)
        except TranslationError as error:
            result.error = error.paragraph.replace("translation of %s failed: " % target, "")
            _say(index, len(arches), arch, "failed: %s\n  full log: %s"
                 % (result.error, error.log_path))
            continue
        result.seconds = time.time() - started
        result.size = os.path.getsize(result.binary)
        output = _smoke_tests(result, sandboxed, smoke_args,
                              reference_output if arch != HOST_ARCH else None)
        if arch == HOST_ARCH and smoke_args:
            reference_output = output
        result.artifact = package(result, name, version, target, options, rpython, dist_dir)
        _say(index, len(arches), arch, "%s in %s, tests %d/%d, %s" % (
            _human_size(result.size), "reused" if result.reused else "%.1f s" % result.seconds,
            result.tests_passed, len(result.tests), _shown_path(result.artifact)))
        for test, passed, detail in result.tests:
            if not passed:
                _say(index, len(arches), arch, "test %s FAILED: %s" % (test, detail))
    return results


BUILD_DESCRIPTION = """\
Translate TARGET.py for each architecture of --arch (one after the other),
smoke-test each binary on this machine (through qemu-user when foreign) and
write dist/NAME-VERSION-ARCH.tar.gz (binary, signature dump when sandboxed,
MANIFEST.json) and its .sha256.  Every option rplug does not know (--sandbox,
--opt=jit, ...) goes to each translation.  --opt=jit uses the target's JIT
backend (x86, ppc, zarch); rpython has none for aarch64, which is refused.
"""


def add_parser(subparsers):
    p = subparsers.add_parser(
        "build", help="translate a target for several architectures and package it",
        description=BUILD_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
        usage="rplug build --arch ARCH[,ARCH...] [--version V] [--dist DIR] [--reuse] "
              "[PLUGIN OPTIONS] [RPYTHON OPTIONS] TARGET.py [TARGET ARGS]")
    p.add_argument("--arch", default=HOST_ARCH, metavar="ARCH[,ARCH...]",
                   help="architectures to build, from %s (default: this host's, %s)"
                        % (",".join(ARCHES), HOST_ARCH))
    p.add_argument("--version", help="the version in the artifact names (default: git "
                                     "describe of the target's checkout)")
    p.add_argument("--name", help="the program name (default: from the target file)")
    p.add_argument("--dist", metavar="DIR", help="where the artifacts go (default: dist/)")
    p.add_argument("--reuse", action="store_true",
                   help="reuse binaries of build/bin-cache built from identical inputs")
    p.add_argument("--smoke-args", default="", metavar="ARGS",
                   help="arguments the smoke test runs each binary with; the output of "
                        "every architecture must equal this host's")
    p.add_argument("--rpython", metavar="PATH", default=os.environ.get("RPLUG_RPYTHON"),
                   help="use the rpython package of this PyPy checkout")
    p.add_argument("--quiet", "-q", action="store_true", help="no translation phases")
    p.set_defaults(func=run_build)


def run_build(args):
    passthrough = args.passthrough
    target = next((a for a in passthrough if a.endswith(".py") and not a.startswith("-")), None)
    if target is None:
        print("rplug build: error: no target given (TARGET.py)", file=sys.stderr)
        return 2
    index = passthrough.index(target)
    try:
        arches = parse_arches(args.arch)
        results = build(target, arches, passthrough[:index], passthrough[index + 1:],
                        version=args.version, name=args.name, dist_dir=args.dist,
                        reuse=args.reuse, rpython=args.rpython,
                        smoke_args=shlex.split(args.smoke_args), quiet=args.quiet)
    except BuildError as error:
        print("rplug build: error: %s" % error, file=sys.stderr)
        return 2
    print(summary_table(results))
    failed = [r for r in results if r.error or r.tests_passed != len(r.tests)]
    return 1 if failed else 0
