"""Translated binaries reused across runs, keyed by a hash of their inputs.

A cache entry is a directory ``build/bin-cache/<name>-<key>/`` holding the
binary and ``manifest.json``: the project files the translation imported or
read, with their content hashes.  ``key`` hashes what is known before
translating (target path, options, architecture, the RPython toolchain);
the manifest covers the rest (the target's modules, the plugins, the
libraries it uses), so an edit to any of them forces a new translation while
an unrelated edit does not.  A file modified after the translation started
(once the lock is held) is recorded as edited: RPython may or may not have
seen the edit, so the next request translates again rather than reuse a
binary of unknown inputs.

Each entry has a lock (``<entry>.lock``), held from the check to the end of
its translation: two processes asking for the same binary at once (a test
and ``rplug.prebuild``, say) translate it once, and the second reuses it.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time

from rplug import paths
from rplug.translate import target_name, translate


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


EDITED_DURING_TRANSLATION = "edited during the translation"
# (target, options, arch) this process translated itself (tests/translated/conftest.py
# reports those that tests/translated/builds.py could have built beforehand)
TRANSLATED_BY_THIS_PROCESS = []


def _recorded_digest(path, started):
    if os.stat(path).st_mtime >= started:
        return EDITED_DURING_TRANSLATION
    return _sha256_file(path)


def _toolchain_identity(rpython):
    parts = [open(os.path.join(paths.PROJECT_ROOT, "requirements", "py2.txt")).read()]
    if rpython:
        parts.append(os.path.abspath(rpython))
    return "\n".join(parts)


def input_key(target, options, arch=None, rpython=None):
    h = hashlib.sha256()
    for part in (os.path.relpath(os.path.abspath(target), paths.PROJECT_ROOT),
                 "\0".join(options), arch or "native", _toolchain_identity(rpython)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _files_current(entry):
    try:
        with open(os.path.join(entry, "manifest.json")) as f:
            recorded = json.load(f)
    except (OSError, ValueError):
        return False
    for relpath, digest in recorded["files"].items():
        path = os.path.join(paths.PROJECT_ROOT, relpath)
        if not os.path.exists(path) or _sha256_file(path) != digest:
            return False
    return os.path.exists(os.path.join(entry, recorded["binary"]))


def cached_translate(target, options=(), target_args=(), arch=None, rpython=None,
                     quiet=True, out=None):
    """Path of a binary for (target, options, arch), translating only if needed."""
    options = list(options)
    target_args = list(target_args)
    name = target_name(target)
    entry = os.path.join(paths.BINARY_CACHE, "%s-%s" % (
        name, input_key(target, options + ["--"] + target_args, arch, rpython)))
    binary = os.path.join(entry, name)
    if _files_current(entry):
        return binary
    with _entry_lock(entry):
        if not _files_current(entry):
            _translate_into(entry, name, target, options, target_args, arch, rpython, quiet, out)
    return binary


@contextlib.contextmanager
def _entry_lock(entry):
    os.makedirs(os.path.dirname(entry), exist_ok=True)
    with open(entry + ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _translate_into(entry, name, target, options, target_args, arch, rpython, quiet, out):
    binary = os.path.join(entry, name)
    shutil.rmtree(entry, ignore_errors=True)
    os.makedirs(entry)
    file_list = os.path.join(entry, "files.json")
    extra = ["--arch", arch] if arch else []
    kwargs = {"out": out} if out is not None else {}
    started = []
    translate(extra + options + [target] + target_args, binary, rpython=rpython, manifest=file_list,
              quiet=quiet, on_start=lambda: started.append(time.time()), **kwargs)
    with open(file_list) as f:
        files = json.load(f)
    manifest = {"binary": name, "target": target, "options": options, "arch": arch,
                "files": {rel: _recorded_digest(os.path.join(paths.PROJECT_ROOT, rel), started[0])
                          for rel in files}}
    # written whole, then renamed: a reader never sees half a manifest
    with open(os.path.join(entry, "manifest.json.new"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.rename(os.path.join(entry, "manifest.json.new"), os.path.join(entry, "manifest.json"))
    TRANSLATED_BY_THIS_PROCESS.append((target, options, arch))
