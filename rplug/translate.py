"""Run a translation under Python 2.7 and show it to a person.

The Python 2.7 half (``translator_plugins.frontend``) does the work and
prints ``@@rplug`` lines; this half holds the log file, the progress display,
the one-paragraph error, the slots that bound how many translations run at
once, and the temporary tree RPython writes (kept under ``build/`` and
removed afterwards).
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from rplug import paths

MARKER = "@@rplug "
TAIL_LINES = 8


class TranslationError(Exception):
    """A translation failed; the message is one paragraph plus the log path."""

    def __init__(self, paragraph, log_path):
        Exception.__init__(self, "%s\n  full log: %s" % (paragraph.rstrip(), log_path))
        self.paragraph = paragraph
        self.log_path = log_path


def python2_executable():
    python = os.path.join(paths.PY2_VENV, "bin", "python")
    if not os.path.exists(python):
        raise TranslationError(
            "the Python 2.7 toolchain is not set up (%s is missing); run "
            "`make setup` (or `python3 -m rplug.bootstrap`) first" % python, "(none)")
    return python


def target_name(target):
    base = os.path.basename(target)
    if base.endswith(".py"):
        base = base[:-3]
    return base[len("target"):] if base.startswith("target") and len(base) > 6 else base


class _TranslateLock:
    """One of the machine's translation slots, held for the whole translation.

    ``RPLUG_TRANSLATIONS`` (default 1) says how many translations may run at
    once; slot ``i`` is an flock on ``build/.translate.lock`` (``.1``, ``.2``
    ... for the others), so the limit holds across every process using this
    ``build/``.  A translation is one CPU-bound Python process, so a
    two-core CI run sets 2 to keep both cores busy.

    Background translations (``RPLUG_TRANSLATION_BACKGROUND=1``, set by
    rplug.prebuild) give way: while anybody else waits for a slot (a shared
    flock on ``build/.translate.lock.wanted``, gone with its process), they
    take none, so a test that needs a binary now is not queued behind the
    whole prebuild list.
    """

    POLL_SECONDS = 0.5

    def __init__(self, report):
        self.report = report
        self.handle = None
        self.background = os.environ.get("RPLUG_TRANSLATION_BACKGROUND") == "1"

    @staticmethod
    def slot_paths():
        slots = max(1, int(os.environ.get("RPLUG_TRANSLATIONS") or 1))
        return [paths.TRANSLATE_LOCK + ("" if i == 0 else ".%d" % i) for i in range(slots)]

    @staticmethod
    def _wanted_path():
        return paths.TRANSLATE_LOCK + ".wanted"

    @classmethod
    def _somebody_waits(cls):
        with open(cls._wanted_path(), "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def _try_slots(self, slot_paths):
        if self.background and self._somebody_waits():
            return None
        for path in slot_paths:
            handle = open(path, "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return handle
        return None

    def __enter__(self):
        os.makedirs(os.path.dirname(paths.TRANSLATE_LOCK), exist_ok=True)
        slot_paths = self.slot_paths()
        self.handle = self._try_slots(slot_paths)
        if self.handle is None:
            self.report("waiting for one of %d running translation(s) to finish (%s)"
                        % (len(slot_paths), paths.TRANSLATE_LOCK))
            wanted = None
            if not self.background:
                wanted = open(self._wanted_path(), "a")
                fcntl.flock(wanted, fcntl.LOCK_SH)
            try:
                while self.handle is None:
                    time.sleep(self.POLL_SECONDS)
                    self.handle = self._try_slots(slot_paths)
            finally:
                if wanted is not None:
                    wanted.close()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class _Progress:
    """Turns phase markers into lines like ``[rplug]  12.3s  rtype_lltype``."""

    def __init__(self, out, quiet):
        self.out = out
        self.quiet = quiet
        self.started = time.time()
        self.error = None

    def line(self, text):
        if not text.startswith(MARKER):
            return
        kind, _, rest = text[len(MARKER):].rstrip("\n").partition(" ")
        if kind == "error":
            self.error = json.loads(rest)
        elif kind == "rpython" and not self.quiet:
            # says which toolchain ran: PyPI's rpython or a checkout's (--rpython)
            self.say("rpython: %s" % json.loads(rest))
        elif kind == "phase" and not self.quiet:
            goal, _, title = rest.partition(" ")
            self.say("%s (%s)..." % (title.replace("_", " "), goal))
        elif kind == "done" and not self.quiet:
            goal, _, seconds = rest.partition(" ")
            self.say("  %s done in %ss" % (goal, seconds))

    def say(self, text):
        elapsed = time.time() - self.started
        self.out.write("[rplug %6.1fs] %s\n" % (elapsed, text))
        self.out.flush()


def _log_path(name):
    os.makedirs(paths.LOG_DIR, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return os.path.join(paths.LOG_DIR, "translate-%s-%s-%d.log" % (name, stamp, os.getpid()))


def _tail(log_path):
    with open(log_path, errors="replace") as f:
        lines = [l.rstrip() for l in f if l.strip() and not l.startswith(MARKER)]
    return "\n".join(lines[-TAIL_LINES:]) or "(the log is empty)"


def translate(args, output, rpython=None, manifest=None, quiet=False, out=sys.stderr,
              on_start=None):
    """Translate; ``args`` are plugin + RPython options, the target and its args.

    ``on_start()``, if given, is called once the lock is held, just before
    RPython starts (the build cache snapshots the inputs then).
    Returns the path of the binary.  Raises TranslationError.
    """
    python = python2_executable()
    target = next((a for a in args if a.endswith(".py") and not a.startswith("-")), None)
    if target is None:
        raise TranslationError("no target given: name an RPython target file (TARGET.py)",
                               "(none)")
    if not os.path.isfile(target):
        raise TranslationError("target %s does not exist" % target, "(none)")
    output = os.path.abspath(output)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    log_path = _log_path(target_name(target))
    os.makedirs(paths.USESSION_DIR, exist_ok=True)
    usession = tempfile.mkdtemp(prefix="run-", dir=paths.USESSION_DIR)
    cmd = [python, "-m", "translator_plugins.frontend"]
    if rpython:
        cmd += ["--rpython", os.path.abspath(rpython)]
    if manifest:
        cmd += ["--manifest", os.path.abspath(manifest)]
    # --output goes before the target so that RPython (not the target) sees it
    target_index = args.index(target)
    cmd += (list(args[:target_index]) + ["--batch", "--output", output, os.path.abspath(target)]
            + list(args[target_index + 1:]))
    env = dict(os.environ, PYPY_USESSION_DIR=usession, PYPY_USESSION_BASENAME="rplug",
               PYTHONPATH=paths.PROJECT_ROOT, PYTHONDONTWRITEBYTECODE="1", TERM="dumb")
    progress = _Progress(out, quiet)
    with _TranslateLock(progress.say):
        if on_start is not None:
            on_start()
        progress.say("translating %s (log: %s)" % (target, log_path))
        try:
            with open(log_path, "w") as log:
                log.write("$ %s\n# temporary tree: %s\n" % (" ".join(cmd), usession))
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL,
                                        # newer RPython drivers (PyPy checkouts) copy
                                        # the binary into the current directory
                                        cwd=os.path.dirname(output),
                                        env=env, text=True, errors="replace", bufsize=1)
                for line in proc.stdout:
                    log.write(line)
                    progress.line(line)
                returncode = proc.wait()
        finally:
            shutil.rmtree(usession, ignore_errors=True)
    if returncode != 0 or not os.path.exists(output):
        paragraph = progress.error or _tail(log_path)
        raise TranslationError("translation of %s failed: %s" % (target, paragraph), log_path)
    progress.say("wrote %s" % output)
    return output
