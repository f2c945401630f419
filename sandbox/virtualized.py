"""``VirtualizedProcess``: run a sandboxed binary and answer its calls.

The child is started with an empty environment and pipes on stdin, stdout
and stderr, then the controller serves requests (docs/protocol.md section 2)
until the child exits.  Each request is dispatched on its exact signature
text to the handler method tagged with it (``sandbox.calls.signature``),
collected from the class MRO, so a controller is assembled from mixins, one
capability each, and a subclass overrides a handler by redefining it.

Policy is deny by default: a request no handler serves ends the run with an
``UnsupportedCall`` naming the call and its decoded arguments.  Any
``SandboxError`` (and any other exception) kills and reaps the child before
it propagates; a normal run returns the child's exit status (128 + signal
number when a signal ended it).
"""
import errno
import os
import shutil
import signal
import subprocess
import threading
import time

from sandbox.arch import host_architecture
from sandbox.calls import NULL, OSErrorToChild, Ptr, signature
from sandbox.dump import parse_dump
from sandbox.errors import (CallLimitExceeded, ChildClosedInput, ConfigurationError,
                            LimitExceeded,
                            MemoryLimitExceeded,
                            OutputLimitExceeded, ProtocolError, SandboxError,
                            UnsupportedCall)
from sandbox.limits import Limits
from sandbox.protocol import ChildChannel
from sandbox.stderr_relay import StderrRelay

# What a failing call returns when the handler does not say (section 3 result codes).
_FAILURE_RESULTS = {"i": -1, "f": -1.0, "p": NULL, "v": None}
_AUDIT_LINES_SHOWN = 100
_POLL_SECONDS = 0.01


class _ChildRequestedExit(Exception):
    """``_exit`` was called: end the run with this status."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def collect_handlers(cls):
    """``{signature text: function}`` over the MRO, most derived class winning."""
    handlers = {}
    for klass in reversed(cls.__mro__):
        seen_here = {}
        for attribute in vars(klass).values():
            parsed = getattr(attribute, "sandbox_signature", None)
            if parsed is None:
                continue
            if parsed.text in seen_here:
                raise TypeError("%s has two handlers for %s: %s and %s"
                                % (klass.__name__, parsed.text,
                                   seen_here[parsed.text].__name__, attribute.__name__))
            seen_here[parsed.text] = attribute
        handlers.update(seen_here)
    return handlers


def exit_status(returncode):
    """Shell-style exit status from a Popen returncode (128 + N for signal N)."""
    return returncode if returncode >= 0 else 128 - returncode


class VirtualizedProcess:
    """A sandboxed child and the table of calls the controller answers.

    ``executable`` is the host path of the binary; the child sees ``argv0``
    (a virtual path) and ``args``.  ``arch`` is the child's ``Architecture``
    (default: the host's).  The child's raw stderr goes to ``stderr`` (a
    binary stream) or, if None, into ``self.child_stderr``.  ``debug``, a
    text stream, receives one line per call and its answer; ``audit``, a text
    stream, receives the controller's security notes (refused calls, escape
    attempts).  ``launcher``, a command prefix such as ``["qemu-s390x", "-L",
    "/usr/s390x-linux-gnu"]``, starts the binary through an emulator: the
    child is ``launcher + [executable] + args`` (qemu-user keeps the virtual
    argv[0] when the prefix ends with ``-0 ARGV0``); ``arch`` must then name
    the binary's architecture, not the host's.
    """

    handlers = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.handlers = collect_handlers(cls)

    def __init__(self, executable, args=(), *, argv0=None, arch=None, limits=None,
                 stderr=None, debug=None, audit=None, launcher=()):
        self.executable = os.path.abspath(executable)   # the child starts in /
        self.launcher = list(launcher)
        self.argv = [argv0 or "/bin/" + os.path.basename(executable)] + list(args)
        self.arch = arch or host_architecture()
        self.limits = limits or Limits()
        self.call_count = 0
        self._stderr_destination = stderr
        self._debug_stream = debug
        self._audit_stream = audit
        self._audit_lines = 0
        self._popen = None
        self._channel = None
        self._relay = None
        self.returncode = None
        self._cpu_seconds_used = 0.0
        self._life_lock = threading.Lock()   # the relay thread may kill the child

    # -- what the dump says --------------------------------------------------

    @classmethod
    def check_dump(cls, dump_text):
        """Signatures a binary's section-5 dump lists that this class does not serve.

        Raises ``DumpError`` for a malformed dump, another protocol version or
        a non-Linux platform.
        """
        info = parse_dump(dump_text)
        return sorted(sig.text for sig in info.signatures if sig.text not in cls.handlers)

    # -- running -------------------------------------------------------------

    def run(self):
        """Run the child to the end and return its exit status.

        Raises a ``SandboxError`` if the child broke the protocol or a limit;
        the child is dead and reaped whatever happens.
        """
        if self._popen is not None:
            raise RuntimeError("a VirtualizedProcess runs once; make a new one")
        self._start_child()
        try:
            self._connect()
            return self._serve()
        except SandboxError as error:
            self._kill_and_reap()
            limit_error = self._limit_error()
            if limit_error is not None and not isinstance(error, LimitExceeded):
                raise limit_error from error
            raise
        finally:
            self._kill_and_reap()
            self._close_pipes()

    def _start_child(self):
        argv, executable = self.argv, self.executable
        if self.launcher:
            argv = self.launcher + [self.executable] + self.argv[1:]
            executable = shutil.which(self.launcher[0]) or self.launcher[0]
        try:
            self._popen = subprocess.Popen(
                argv, executable=executable, env={}, cwd="/",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                close_fds=True, start_new_session=True,
                preexec_fn=self.limits.apply_in_child())
        except OSError as error:
            raise ConfigurationError("cannot start %s: %s" % (self.executable,
                                                              error.strerror)) from None

    def _connect(self):
        deadline = None
        if self.limits.wall_seconds is not None:
            deadline = time.monotonic() + self.limits.wall_seconds
        self._channel = ChildChannel(
            self._popen.stdout.fileno(), self._popen.stdin.fileno(),
            byteorder=self.arch.byteorder, wordsize=self.arch.wordsize,
            max_transfer=self.limits.max_transfer_bytes,
            stall_seconds=self.limits.stall_seconds, deadline=deadline)
        self._relay = StderrRelay(self._popen.stderr.fileno(), self._stderr_destination,
                                  self.limits.max_output_bytes, self._kill_child)
        self._relay.start()

    def _serve(self):
        known = {text: function.sandbox_signature for text, function in self.handlers.items()}
        try:
            while True:
                request = self._channel.read_request(known)
                if request is None:
                    break
                self.call_count += 1
                if self.limits.max_calls is not None and self.call_count > self.limits.max_calls:
                    raise CallLimitExceeded(
                        "the child made more than %d calls (flood); raise max_calls if "
                        "the program needs more" % self.limits.max_calls)
                self._answer(request)
        except _ChildRequestedExit as exit_request:
            self._kill_and_reap()
            self._raise_limit_error()
            return exit_request.status & 0xFF
        except ChildClosedInput:
            if not self._wait_for_exit(self.limits.stall_seconds):
                raise
        return self._finish()

    def _answer(self, request):
        signature = request.signature
        handler = self.handlers.get(signature.text)
        if handler is None:
            raise UnsupportedCall(request.call_text(), request.offset)
        try:
            result = handler(self, *request.args)
        except OSErrorToChild as failure:
            result = failure.result
            if result is None:
                result = _FAILURE_RESULTS[signature.rescode]
            self._channel.set_errno(failure.errno)
            if self._debug_stream is not None:   # formatting costs on the hot path
                self.debug("%s -> %r (errno %s)" % (
                    request.call_text(), result, errno.errorcode.get(failure.errno, failure.errno)))
        else:
            if self._debug_stream is not None:
                self.debug("%s -> %r" % (request.call_text(), result))
        self._channel.send_result(signature.rescode, self._checked_result(signature, result))

    def _checked_result(self, signature, result):
        """``result`` if it fits the result code; TypeError is a handler bug."""
        code = signature.rescode
        if code == "v":
            valid = result is None
        elif code == "f":
            valid = isinstance(result, (int, float))
        elif code == "i":
            valid = isinstance(result, int) and -2 ** 63 <= result < 2 ** 63
        else:
            valid = isinstance(result, int) and 0 <= result < 2 ** (8 * self.arch.wordsize)
        if not valid:
            raise TypeError("handler of %s returned %r, which does not fit result code %r"
                            % (signature.text, result, code))
        return result

    def _finish(self):
        """The child closed its stdout: it must exit now; return its status."""
        if not self._wait_for_exit(self.limits.stall_seconds):
            raise ProtocolError("the child closed its stdout but did not exit",
                                self._channel.offset)
        self._relay.join(self.limits.stall_seconds)
        self._raise_limit_error()
        return exit_status(self.returncode)

    def _limit_error(self):
        """The LimitExceeded that explains the end of the (reaped) child, or None."""
        if self._relay is not None and self._relay.overflowed:
            return OutputLimitExceeded(
                "the child wrote more than %d bytes on its raw stderr; raise "
                "--max-output if the program needs more" % self.limits.max_output_bytes)
        if self.returncode is None:
            return None
        tail = self._relay.tail if self._relay is not None else b""
        return self.limits.explain_death(self.returncode, self._cpu_seconds_used, tail)

    def _raise_limit_error(self):
        limit_error = self._limit_error()
        if limit_error is not None:
            raise limit_error

    # -- the child's life ----------------------------------------------------

    def _wait_for_exit(self, seconds):
        """Reap the child if it exits within ``seconds``; True if it did."""
        give_up = time.monotonic() + seconds
        while self.returncode is None:
            self._reap(os.WNOHANG)
            if self.returncode is None:
                if time.monotonic() >= give_up:
                    return False
                time.sleep(_POLL_SECONDS)
        return True

    def _reap(self, options):
        with self._life_lock:
            if self.returncode is not None:
                return
            pid, status, usage = os.wait4(self._popen.pid, options)
            if pid == 0:
                return
            self.returncode = os.waitstatus_to_exitcode(status)
            self._popen.returncode = self.returncode
            self._cpu_seconds_used = usage.ru_utime + usage.ru_stime

    def _kill_child(self):
        """SIGKILL the child unless reaped (its pid could be reused after that)."""
        with self._life_lock:
            if self._popen is not None and self.returncode is None:
                os.kill(self._popen.pid, signal.SIGKILL)

    def _kill_and_reap(self):
        if self._popen is None or self.returncode is not None:
            return
        self._kill_child()
        self._reap(0)

    def _close_pipes(self):
        for pipe in (self._popen.stdin, self._popen.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        if self._relay is not None:
            self._relay.join(self.limits.stall_seconds)
        self._popen.stderr.close()

    # -- services for handlers -----------------------------------------------

    def read_memory(self, pointer, size):
        """``size`` bytes of the child's memory at ``pointer`` (EFAULT for NULL)."""
        if not pointer and size:
            raise OSErrorToChild(errno.EFAULT)
        return self._channel.read_memory(pointer, size)

    def read_cstring(self, pointer, maxlen):
        """The NUL-terminated string at ``pointer``, at most ``maxlen`` bytes."""
        if not pointer:
            raise OSErrorToChild(errno.EFAULT)
        return self._channel.read_string(pointer, maxlen)

    def write_memory(self, pointer, data):
        """Store ``data`` in the child at ``pointer`` (EFAULT for NULL)."""
        if not pointer and data:
            raise OSErrorToChild(errno.EFAULT)
        self._channel.write_memory(pointer, data)

    def allocate_in_child(self, data):
        """A new block of the child's memory holding ``data``."""
        pointer = self._channel.allocate(data)
        if not pointer:
            if self.limits.memory_mb is not None:
                raise MemoryLimitExceeded(
                    "the child could not allocate %d bytes under its limit of %g MB; "
                    "raise --memory if the program needs more"
                    % (len(data), self.limits.memory_mb))
            raise SandboxError("the child could not allocate %d bytes of memory"
                               % len(data))
        return Ptr(pointer)

    def free_in_child(self, pointer):
        """Free a block ``allocate_in_child`` returned."""
        self._channel.free(pointer)

    def seconds_left(self):
        """Wall-clock seconds the run has left, or None without a limit."""
        deadline = self._channel.deadline
        return None if deadline is None else max(0.0, deadline - time.monotonic())

    def wait_readable(self, fd):
        """Block until the controller's own ``fd`` is readable, within the deadline."""
        self._channel.wait_readable(fd)

    def debug(self, message):
        if self._debug_stream is not None:
            self._debug_stream.write("rplug: %s\n" % message)
            self._debug_stream.flush()

    def audit(self, message):
        """Record a security-relevant event (the first lines of each run)."""
        stream = self._audit_stream
        if stream is None:
            return
        self._audit_lines += 1
        if self._audit_lines <= _AUDIT_LINES_SHOWN:
            stream.write("rplug audit: %s\n" % message)
        elif self._audit_lines == _AUDIT_LINES_SHOWN + 1:
            stream.write("rplug audit: further events of this run are not shown\n")
        stream.flush()

    # -- the one call every controller serves ----------------------------------

    @signature("_exit(i)v")
    def _exit(self, status):
        """The child asks to end now: end the run with that status."""
        raise _ChildRequestedExit(status)


VirtualizedProcess.handlers = collect_handlers(VirtualizedProcess)
