"""Calendar conversions of the C library (``struct tm``), in the virtual time zone.

PyPy's ``time`` module calls ``localtime`` at start-up (to learn the time
zone) and its functions call ``gmtime``, ``mktime``, ``strftime``,
``asctime`` and ``ctime``.  In the child these would read the host's
``/etc/localtime``; here the controller answers them, and the virtual world's
zone is UTC without daylight saving, so ``localtime`` is ``gmtime`` and
nothing about the host's zone reaches the child.

Like the C library, ``localtime``/``gmtime`` return one static ``struct tm``
and ``asctime``/``ctime`` one static string buffer: each is allocated in the
child once and overwritten by the next call.  ``tzset`` has nothing to do.
"""
import calendar
import errno
import time

from sandbox.calls import OSErrorToChild, signature
from sandbox.cstructs import Layout

# struct tm of glibc on every 64-bit Linux target: nine ints, then
# long tm_gmtoff and const char *tm_zone.
TM = Layout("tm", 56, {
    "tm_sec": (0, "i"), "tm_min": (4, "i"), "tm_hour": (8, "i"), "tm_mday": (12, "i"),
    "tm_mon": (16, "i"), "tm_year": (20, "i"), "tm_wday": (24, "i"), "tm_yday": (28, "i"),
    "tm_isdst": (32, "i"), "tm_gmtoff": (40, "q"), "tm_zone": (48, "Q")})
ZONE_NAME = b"UTC"
ASCTIME_BUFFER = 26
MAX_FORMAT_BYTES = 4096
MAX_STRFTIME_BYTES = 1 << 20
# years Python's calendar functions can represent
MIN_YEAR, MAX_YEAR = 1, 9999


class BrokenDownTime:
    """Mixin: localtime, gmtime, mktime, tzset, asctime, ctime, strftime (zone UTC)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._static_tm = None
        self._zone_pointer = None
        self._asctime_buffer = None

    # -- helpers ------------------------------------------------------------------

    def _read_time_t(self, pointer):
        return int.from_bytes(self.read_memory(pointer, 8), self.arch.byteorder, signed=True)

    def _read_tm(self, pointer):
        return TM.unpack(self.arch.byteorder, self.read_memory(pointer, TM.size))

    def _struct_time(self, seconds):
        """time.struct_time of ``seconds`` in UTC; EOVERFLOW outside years 1-9999."""
        try:
            broken_down = time.gmtime(seconds)
        except (OverflowError, OSError, ValueError):
            raise OSErrorToChild(errno.EOVERFLOW) from None
        if not MIN_YEAR <= broken_down.tm_year <= MAX_YEAR:
            raise OSErrorToChild(errno.EOVERFLOW)
        return broken_down

    def _tm_values(self, broken_down):
        if self._zone_pointer is None:
            self._zone_pointer = self.allocate_in_child(ZONE_NAME + b"\0")
        return {"tm_sec": broken_down.tm_sec, "tm_min": broken_down.tm_min,
                "tm_hour": broken_down.tm_hour, "tm_mday": broken_down.tm_mday,
                "tm_mon": broken_down.tm_mon - 1, "tm_year": broken_down.tm_year - 1900,
                "tm_wday": (broken_down.tm_wday + 1) % 7, "tm_yday": broken_down.tm_yday - 1,
                "tm_isdst": 0, "tm_gmtoff": 0, "tm_zone": self._zone_pointer}

    @staticmethod
    def _as_struct_time(fields):
        """A struct_time from C ``tm`` fields (no normalisation)."""
        return time.struct_time((fields["tm_year"] + 1900, fields["tm_mon"] + 1,
                                 fields["tm_mday"], fields["tm_hour"], fields["tm_min"],
                                 fields["tm_sec"], (fields["tm_wday"] - 1) % 7,
                                 fields["tm_yday"] + 1, 0))

    def _static_tm_holding(self, seconds):
        if self._static_tm is None:
            self._static_tm = self.allocate_in_child(bytes(TM.size))
        values = self._tm_values(self._struct_time(seconds))
        self.write_memory(self._static_tm, TM.pack(self.arch.byteorder, values))
        return self._static_tm

    def _asctime_of(self, broken_down):
        if not MIN_YEAR <= broken_down.tm_year <= MAX_YEAR:
            raise OSErrorToChild(errno.EOVERFLOW)
        # C's "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n"
        text = ("%s%3d %s %d\n" % (time.strftime("%a %b", broken_down), broken_down.tm_mday,
                                   time.strftime("%H:%M:%S", broken_down),
                                   broken_down.tm_year)).encode()
        if self._asctime_buffer is None:
            self._asctime_buffer = self.allocate_in_child(bytes(ASCTIME_BUFFER))
        self.write_memory(self._asctime_buffer, text[:ASCTIME_BUFFER - 1] + b"\0")
        return self._asctime_buffer

    # -- the calls ------------------------------------------------------------------

    @signature("localtime(p)p")
    def localtime(self, time_pointer):
        return self._static_tm_holding(self._read_time_t(time_pointer))

    @signature("gmtime(p)p")
    def gmtime(self, time_pointer):
        return self._static_tm_holding(self._read_time_t(time_pointer))

    @signature("mktime(p)i")
    def mktime(self, tm_pointer):
        """Seconds of a broken-down UTC time; the ``tm`` is normalised in place."""
        fields = self._read_tm(tm_pointer)
        try:
            seconds = calendar.timegm((fields["tm_year"] + 1900, fields["tm_mon"] + 1,
                                       fields["tm_mday"], fields["tm_hour"], fields["tm_min"],
                                       fields["tm_sec"]))
            values = self._tm_values(self._struct_time(seconds))
        except (OverflowError, ValueError, OSErrorToChild):
            raise OSErrorToChild(errno.EOVERFLOW, result=-1) from None
        self.write_memory(tm_pointer, TM.pack(self.arch.byteorder, values))
        return seconds

    @signature("tzset()v")
    def tzset(self):
        """The zone is always UTC: nothing to read."""

    @signature("asctime(p)p")
    def asctime(self, tm_pointer):
        return self._asctime_of(self._as_struct_time(self._read_tm(tm_pointer)))

    @signature("ctime(p)p")
    def ctime(self, time_pointer):
        return self._asctime_of(self._struct_time(self._read_time_t(time_pointer)))

    @signature("strftime(pipp)i")
    def strftime(self, buffer, size, format_pointer, tm_pointer):
        """Format into ``buffer``; 0 if the result and its NUL do not fit in ``size``."""
        directives = self.read_cstring(format_pointer, MAX_FORMAT_BYTES)
        broken_down = self._as_struct_time(self._read_tm(tm_pointer))
        text = _format(directives, broken_down)
        if size <= 0 or len(text) + 1 > min(size, MAX_STRFTIME_BYTES):
            return 0
        self.write_memory(buffer, text + b"\0")
        return len(text)


def _format(directives, broken_down):
    """C strftime over ``directives`` (bytes), with %Z and %z of the UTC zone.

    Each directive is formatted on its own so that the host's zone name and
    offset never appear (Python would take them from the host for a tuple).
    """
    out = []
    index = 0
    while index < len(directives):
        char = directives[index:index + 1]
        if char != b"%" or index + 1 >= len(directives):
            out.append(char)
            index += 1
            continue
        directive = directives[index:index + 2]
        index += 2
        if directive == b"%Z":
            out.append(ZONE_NAME)
        elif directive == b"%z":
            out.append(b"+0000")
        else:
            try:
                out.append(time.strftime(directive.decode("latin-1"), broken_down)
                           .encode("latin-1", "replace"))
            except ValueError:
                out.append(directive)
    return b"".join(out)
