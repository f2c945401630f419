"""Set up everything rplug needs on a fresh machine, incrementally.

Runs on the system Python 3 with the standard library only (it creates the
virtualenvs everything else runs in).  Each step records a stamp holding the
hash of its inputs, so a second run does nothing unless a pin changed:

1. Debian packages (C compiler, make, libffi, the cross compilers and
   qemu-user of cross-architecture builds) when missing;
2. ``build/py3``: a Python 3 venv with this package (console script ``rplug``)
   and the pins of ``requirements/py3.txt``;
3. ``build/py2``: a Python 2.7 virtualenv, created by the py3 venv's
   ``virtualenv`` (Python 2 has no ``venv``), holding the pins of
   ``requirements/py2.txt`` (the RPython toolchain).

Usage: python3 -m rplug.bootstrap [--quiet] [--cross-libffi]

It also (always; ``--cross-libffi`` only names that step) puts the target's libffi into the cross sysroots of ppc64le and
s390x, for foreign ``--opt=jit`` builds (ensure_cross_libffi).
"""
import hashlib
import os
import platform
import shutil
import subprocess
import sys

from rplug.paths import PROJECT_ROOT, BUILD_DIR, PY2_VENV, PY3_VENV
from rplug.python2 import find_python2, Python2NotFound

APT_PACKAGES = {
    # command or file that proves the package is present -> Debian package
    "gcc": "gcc",
    "make": "make",
    "/usr/include/ffi.h": "libffi-dev",
    "pkg-config": "pkg-config",
    "lua5.4": "lua5.4",          # the oracle of the Lua target's differential tests
    # ... and of its json module (tests/translated/test_lua_json.py)
    "/usr/lib/%s-linux-gnu/lua/5.4/cjson.so" % platform.machine(): "lua-cjson",
    "luajit": "luajit",          # the peer of bench/lua/run.py (about 1 MB)
    "pypy3": "pypy3",            # a peer of bench/json/run.py (about 35 MB)
    # cross-architecture builds (--arch, rplug build): Debian's cross
    # compilers with their C libraries in /usr/TRIPLET, and qemu-user to run
    # RPython's probes and the tests' binaries (no binfmt_misc registration:
    # rplug starts foreign programs as `qemu-ARCH -L /usr/TRIPLET PROGRAM`)
    "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
    "powerpc64le-linux-gnu-gcc": "gcc-powerpc64le-linux-gnu",
    "s390x-linux-gnu-gcc": "gcc-s390x-linux-gnu",
    "qemu-aarch64": "qemu-user",
    "qemu-ppc64le": "qemu-user",
    "qemu-s390x": "qemu-user",
}


class SetupError(Exception):
    """A set-up step failed in a way the user must fix."""


def say(message):
    print("[setup] " + message, flush=True)


def _present(probe):
    if probe.startswith("/"):
        return os.path.exists(probe) or _multiarch_header(probe)
    return shutil.which(probe) is not None


def _multiarch_header(path):
    name = os.path.basename(path)
    include = "/usr/include"
    if not os.path.isdir(include):
        return False
    return any(os.path.exists(os.path.join(include, d, name))
               for d in os.listdir(include) if d.endswith("-linux-gnu"))


def ensure_apt_packages(packages=APT_PACKAGES):
    """Install the Debian packages whose probe is missing, or explain why not."""
    missing = sorted({pkg for probe, pkg in packages.items() if not _present(probe)})
    if not missing:
        return
    say("installing Debian packages: " + " ".join(missing))
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SetupError(
            "these Debian packages are missing and cannot be installed without "
            "root and apt-get: %s; install them by hand and re-run" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(["apt-get", "install", "-y", "-qq"] + missing, env=env)
    if result.returncode != 0:
        raise SetupError("apt-get could not install %s (exit %d)"
                         % (" ".join(missing), result.returncode))


def _digest(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _read(relpath):
    with open(os.path.join(PROJECT_ROOT, relpath), "rb") as f:
        return f.read()


def _stamp_current(venv, digest):
    stamp = os.path.join(venv, ".rplug-stamp")
    try:
        with open(stamp) as f:
            return f.read().strip() == digest
    except OSError:
        return False


def _write_stamp(venv, digest):
    with open(os.path.join(venv, ".rplug-stamp"), "w") as f:
        f.write(digest + "\n")


def _run(cmd, what):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        sys.stdout.write(result.stdout.decode(errors="replace")[-4000:])
        raise SetupError("%s failed (exit %d): %s" % (what, result.returncode, " ".join(cmd)))


def ensure_py3_venv():
    digest = _digest(_read("requirements/py3.txt"), _read("setup.cfg"),
                     _read("rplug/bootstrap.py"), sys.version)
    python = os.path.join(PY3_VENV, "bin", "python")
    if os.path.exists(python) and _stamp_current(PY3_VENV, digest):
        return python
    say("creating Python 3 venv in %s" % os.path.relpath(PY3_VENV, PROJECT_ROOT))
    if not os.path.exists(python):
        _run([sys.executable, "-m", "venv", PY3_VENV], "python3 -m venv")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _run(pip + ["-r", os.path.join(PROJECT_ROOT, "requirements/py3.txt")], "pip install (py3 pins)")
    # compat mode: a plain .pth path entry instead of an import finder, which
    # costs every `rplug` start-up ~10 ms
    _run(pip + ["--no-build-isolation", "--config-settings", "editable_mode=compat",
                "-e", PROJECT_ROOT], "pip install -e . (rplug)")
    _write_stamp(PY3_VENV, digest)
    return python


def _precompile(python):
    """Byte-compile the Python 3 packages now: with PYTHONDONTWRITEBYTECODE
    set (as on some CI machines) every `rplug run` would otherwise compile
    them from source, tripling its start-up time."""
    _run([python, "-m", "compileall", "-q", os.path.join(PROJECT_ROOT, "rplug"),
          os.path.join(PROJECT_ROOT, "sandbox")], "compileall")


def ensure_py2_venv(py3_python):
    python2 = find_python2()
    digest = _digest(_read("requirements/py2.txt"), python2)
    python = os.path.join(PY2_VENV, "bin", "python")
    if os.path.exists(python) and _stamp_current(PY2_VENV, digest):
        return python
    say("creating Python 2.7 virtualenv in %s (from %s)"
        % (os.path.relpath(PY2_VENV, PROJECT_ROOT), python2))
    if not os.path.exists(python):
        _run([py3_python, "-m", "virtualenv", "-q", "-p", python2, PY2_VENV],
             "virtualenv for Python 2.7")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
           "--no-python-version-warning"]
    pins = [line.split("#")[0].strip()
            for line in _read("requirements/py2.txt").decode().splitlines()]
    pins = [p for p in pins if p]
    rpython_pins = [p for p in pins if p.startswith("rpython")]
    other_pins = [p for p in pins if not p.startswith("rpython")]
    # rpython's metadata asks for pytest<3 (its own test suite); ours differs.
    _run(pip + ["--no-deps"] + rpython_pins, "pip install rpython (py2)")
    _run(pip + other_pins, "pip install py2 pins")
    _write_stamp(PY2_VENV, digest)
    return python


# foreign targets with a JIT backend: Debian architecture -> GNU triplet
CROSS_LIBFFI = {"ppc64el": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu"}


def ensure_cross_libffi(targets=CROSS_LIBFFI):
    """Put each JIT target's libffi into its cross sysroot.

    A foreign ``--opt=jit`` build calls C through libffi, compiled for the
    target.  Debian has it only as a multiarch package (libffi-dev:ARCH),
    whose libc6:ARCH would be found next to the cross sysroot's own libc
    under ``qemu -L``; so the two packages are downloaded, not installed, and
    their headers and libraries unpacked into ``/usr/TRIPLET/{include,lib}``,
    where ``TRIPLET-gcc`` and ``qemu -L /usr/TRIPLET`` look.  This adds the
    foreign architectures to dpkg's list; no foreign package is installed.
    """
    import tempfile
    missing = {arch: triplet for arch, triplet in targets.items()
               if not os.path.exists("/usr/%s/include/ffi.h" % triplet)}
    if not missing:
        return
    if os.geteuid() != 0:
        raise SetupError("the cross sysroots' libffi needs root (dpkg --add-architecture, "
                         "writing /usr/TRIPLET)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for arch in sorted(missing):
        _run(["dpkg", "--add-architecture", arch], "dpkg --add-architecture")
    # an index that fails to update (a mirror mid-sync) only matters if the
    # download below fails, which says so
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    for arch, triplet in sorted(missing.items()):
        say("unpacking libffi-dev:%s into /usr/%s" % (arch, triplet))
        with tempfile.TemporaryDirectory() as work:
            result = subprocess.run(["apt-get", "download", "libffi-dev:" + arch,
                                     "libffi8:" + arch], cwd=work, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if result.returncode != 0:
                raise SetupError("apt-get download libffi-dev:%s failed: %s"
                                 % (arch, result.stdout.decode(errors="replace")[-500:]))
            unpacked = os.path.join(work, "root")
            for deb in sorted(os.listdir(work)):
                if deb.endswith(".deb"):
                    _run(["dpkg-deb", "-x", os.path.join(work, deb), unpacked], "dpkg-deb -x")
            for kind in ("include", "lib"):
                source = os.path.join(unpacked, "usr", kind, triplet)
                for name in sorted(os.listdir(source)):
                    if name.startswith(("ffi", "libffi")):
                        destination = os.path.join("/usr", triplet, kind, name)
                        if os.path.lexists(destination):
                            os.remove(destination)
                        shutil.copy2(os.path.join(source, name), destination,
                                     follow_symlinks=False)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    os.makedirs(BUILD_DIR, exist_ok=True)
    try:
        ensure_apt_packages()
        ensure_cross_libffi()
        py3 = ensure_py3_venv()
        _precompile(py3)
        ensure_py2_venv(py3)
    except (SetupError, Python2NotFound) as e:
        print("rplug setup: error: %s" % e, file=sys.stderr)
        return 1
    say("ready: %s, %s" % (os.path.relpath(PY3_VENV, PROJECT_ROOT),
                           os.path.relpath(PY2_VENV, PROJECT_ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
