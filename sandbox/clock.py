"""Time as the child sees it.

By default the clock is virtual: wall time starts at ``VIRTUAL_EPOCH``
(2000-01-01) and every clock query moves all clocks forward by one
microsecond, and a sleep moves them by its duration without waiting.  A run
is then reproducible, reveals nothing about the host, and a program that
waits for time to pass still terminates.  With ``real_time=True`` the wall
and monotonic clocks are the host's, CPU clocks count the time since the
child started, and sleeps really sleep (never past the wall-clock limit).
"""
import errno
import time

from sandbox.calls import OSErrorToChild, signature
from sandbox.files import VIRTUAL_EPOCH

CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1
CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID = 2, 3
CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME = 4, 5, 6, 7
_WALL_CLOCKS = (CLOCK_REALTIME, CLOCK_REALTIME_COARSE)
_SINCE_START_CLOCKS = (CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE,
                       CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID)
TICK_NS = 1000
# Virtual time never passes this (about a century), so sleeping "forever"
# cannot push a clock beyond what a 64-bit time field holds.
MAX_ELAPSED_NS = 100 * 365 * 24 * 3600 * 10 ** 9
CLOCKS_PER_SEC = 1000000
CLOCK_TICKS_PER_SECOND = 100        # sysconf(_SC_CLK_TCK), the unit of times()
RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD = -1, 0, 1


class Clock:
    """Mixin: time, gettimeofday, clock_gettime, clock_getres, clock, times, getrusage, select."""

    def __init__(self, *args, real_time=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.real_time = real_time
        self._virtual_elapsed_ns = 0
        self._real_start_ns = time.monotonic_ns()

    def elapsed_ns(self):
        """Nanoseconds since the child started, by the clock in use."""
        if self.real_time:
            return time.monotonic_ns() - self._real_start_ns
        self._virtual_elapsed_ns = min(self._virtual_elapsed_ns + TICK_NS, MAX_ELAPSED_NS)
        return self._virtual_elapsed_ns

    def wall_clock_ns(self):
        """Nanoseconds since the Unix epoch, by the clock in use."""
        if self.real_time:
            return time.time_ns()
        return VIRTUAL_EPOCH * 10 ** 9 + self.elapsed_ns()

    def _clock_ns(self, clock_id):
        if clock_id in _WALL_CLOCKS:
            return self.wall_clock_ns()
        if clock_id in _SINCE_START_CLOCKS:
            return self.elapsed_ns()
        raise OSErrorToChild(errno.EINVAL)

    def _time_t(self, seconds):
        return seconds.to_bytes(8, self.arch.byteorder, signed=True)

    @signature("time(p)i")
    def time(self, result_pointer):
        seconds = self.wall_clock_ns() // 10 ** 9
        if result_pointer:
            self.write_memory(result_pointer, self._time_t(seconds))
        return seconds

    @signature("gettimeofday(pp)i")
    def gettimeofday(self, timeval_pointer, timezone_pointer):
        seconds, nanoseconds = divmod(self.wall_clock_ns(), 10 ** 9)
        self.write_memory(timeval_pointer, self.arch.pack(
            "timeval", {"tv_sec": seconds, "tv_usec": nanoseconds // 1000}))
        if timezone_pointer:
            self.write_memory(timezone_pointer, bytes(8))   # UTC, no DST
        return 0

    @signature("clock_gettime(ip)i")
    def clock_gettime(self, clock_id, timespec_pointer):
        seconds, nanoseconds = divmod(self._clock_ns(clock_id), 10 ** 9)
        self.write_memory(timespec_pointer, self.arch.pack(
            "timespec", {"tv_sec": seconds, "tv_nsec": nanoseconds}))
        return 0

    @signature("clock_getres(ip)i")
    def clock_getres(self, clock_id, timespec_pointer):
        if clock_id not in _WALL_CLOCKS + _SINCE_START_CLOCKS:
            raise OSErrorToChild(errno.EINVAL)
        if timespec_pointer:
            resolution = 1 if self.real_time else TICK_NS
            self.write_memory(timespec_pointer, self.arch.pack(
                "timespec", {"tv_sec": 0, "tv_nsec": resolution}))
        return 0

    @signature("clock()i")
    def clock(self):
        return self.elapsed_ns() * CLOCKS_PER_SEC // 10 ** 9

    @signature("times(p)i")
    def times(self, tms_pointer):
        ticks = self.elapsed_ns() * CLOCK_TICKS_PER_SECOND // 10 ** 9
        self.write_memory(tms_pointer, self.arch.pack("tms", {"tms_utime": ticks}))
        return ticks

    @signature("getrusage(ip)i")
    def getrusage(self, who, rusage_pointer):
        if who not in (RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD):
            raise OSErrorToChild(errno.EINVAL)
        used_ns = 0 if who == RUSAGE_CHILDREN else self.elapsed_ns()
        seconds, nanoseconds = divmod(used_ns, 10 ** 9)
        self.write_memory(rusage_pointer, self.arch.pack(
            "rusage", {"ru_utime_sec": seconds, "ru_utime_usec": nanoseconds // 1000}))
        return 0

    @signature("select(ipppp)i")
    def select(self, nfds, read_set, write_set, error_set, timeout_pointer):
        """Only ``select(0, NULL, NULL, NULL, &timeout)``, RPython's ``time.sleep``."""
        if nfds or read_set or write_set or error_set:
            self.audit("refused select() on descriptors (only sleeping is served)")
            raise OSErrorToChild(errno.ENOSYS)
        if not timeout_pointer:
            raise OSErrorToChild(errno.EINVAL)      # would sleep forever
        raw = self.read_memory(timeout_pointer, self.arch.layout("timeval").size)
        timeout = self.arch.unpack("timeval", raw)
        if timeout["tv_sec"] < 0 or not 0 <= timeout["tv_usec"] < 10 ** 6:
            raise OSErrorToChild(errno.EINVAL)
        duration_ns = min(timeout["tv_sec"] * 10 ** 9 + timeout["tv_usec"] * 1000,
                          MAX_ELAPSED_NS)
        if self.real_time:
            left = self.seconds_left()
            time.sleep(duration_ns / 1e9 if left is None else min(duration_ns / 1e9, left))
        else:
            self._virtual_elapsed_ns = min(self._virtual_elapsed_ns + duration_ns,
                                           MAX_ELAPSED_NS)
        return 0
