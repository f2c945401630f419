"""The resources a sandboxed run may use, and how each limit is enforced.

- wall-clock time: a deadline on every wait of the protocol channel;
- CPU time and address space: ``RLIMIT_CPU`` and ``RLIMIT_AS`` set in the
  child between fork and exec (core dumps are disabled too, since SIGXCPU
  would otherwise leave a core file of untrusted memory behind);
- output: counted by the ``output`` mixin and by the stderr relay;
- per-transfer bytes, stall time, calls, open files and disk bytes: guards
  that keep the controller's own memory and the host's disk bounded
  whatever the child does.

A violation is a ``LimitExceeded`` subclass and ends the run.
"""
import math
import resource
import signal

from sandbox.errors import ConfigurationError, CpuTimeExceeded, MemoryLimitExceeded
from sandbox.protocol import DEFAULT_MAX_TRANSFER, DEFAULT_STALL_SECONDS

# What the RPython runtime prints when an allocation fails.
_OUT_OF_MEMORY_MARKERS = (b"MemoryError", b"out of memory", b"Out of memory")


class Limits:
    """All limits of one run; None means unlimited."""

    def __init__(self, wall_seconds=None, cpu_seconds=None, memory_mb=None,
                 max_output_bytes=None, max_transfer_bytes=DEFAULT_MAX_TRANSFER,
                 stall_seconds=DEFAULT_STALL_SECONDS, max_calls=None,
                 max_open_files=64, max_disk_bytes=64 * 1024 * 1024):
        for name, value in (("wall_seconds", wall_seconds), ("cpu_seconds", cpu_seconds),
                            ("memory_mb", memory_mb), ("max_output_bytes", max_output_bytes),
                            ("max_calls", max_calls)):
            if value is not None and value <= 0:
                raise ConfigurationError("limit %s must be positive, not %r" % (name, value))
        for name, value in (("max_transfer_bytes", max_transfer_bytes),
                            ("stall_seconds", stall_seconds),
                            ("max_open_files", max_open_files),
                            ("max_disk_bytes", max_disk_bytes)):
            if value is None or value <= 0:
                raise ConfigurationError("limit %s must be positive, not %r" % (name, value))
        self.wall_seconds = wall_seconds
        self.cpu_seconds = cpu_seconds
        self.memory_mb = memory_mb
        self.max_output_bytes = max_output_bytes
        self.max_transfer_bytes = max_transfer_bytes
        self.stall_seconds = stall_seconds
        self.max_calls = max_calls
        self.max_open_files = max_open_files
        self.max_disk_bytes = max_disk_bytes

    def resource_limits(self):
        """``{RLIMIT_x: (soft, hard)}`` to set in the child before exec."""
        limits = {resource.RLIMIT_CORE: (0, 0)}
        if self.cpu_seconds is not None:
            seconds = math.ceil(self.cpu_seconds)
            # SIGXCPU at the soft limit, SIGKILL one second later if caught.
            limits[resource.RLIMIT_CPU] = (seconds, seconds + 1)
        if self.memory_mb is not None:
            size = int(self.memory_mb * 1024 * 1024)
            limits[resource.RLIMIT_AS] = (size, size)
        return limits

    def apply_in_child(self):
        """A ``preexec_fn`` setting ``resource_limits()``: only setrlimit after fork."""
        limits = list(self.resource_limits().items())

        def apply():
            for which, values in limits:
                resource.setrlimit(which, values)
        return apply

    def explain_death(self, returncode, cpu_seconds_used, stderr_tail):
        """The LimitExceeded that explains how the child ended, or None.

        ``returncode`` is Popen-style (negative for a signal).
        """
        if self.cpu_seconds is not None and (
                returncode == -signal.SIGXCPU
                or (returncode == -signal.SIGKILL and cpu_seconds_used >= self.cpu_seconds)):
            return CpuTimeExceeded(
                "the child used more than %g seconds of CPU time; raise --cpu if the "
                "program needs more" % self.cpu_seconds)
        if (self.memory_mb is not None and returncode != 0
                and any(marker in stderr_tail for marker in _OUT_OF_MEMORY_MARKERS)):
            return MemoryLimitExceeded(
                "the child ran out of memory under its limit of %g MB; raise --memory "
                "if the program needs more" % self.memory_mb)
        return None
