"""C structures the controller writes into the child's memory, per architecture.

A handler never computes an offset itself: it asks ``arch.layout("stat")`` for
the layout and packs a dict of field values.  Fields not given are zero, so
padding and reserved words are always zero-filled, never left over from the
controller.  Byte order is not part of a layout: the same layout is packed
little- or big-endian by ``Architecture`` (``sandbox.arch``).

Sources of truth (glibc, 64-bit Linux):

- ``struct stat64``: RPython's ``rposix_stat`` calls ``stat64``/``fstat64``/
  ``lstat64`` on Linux.  On every 64-bit target here ``struct stat64`` is
  ``struct stat``; three layouts exist: x86_64 and ppc64le share one (nlink
  before mode, 8-byte blksize), aarch64 uses the generic one (mode before
  nlink, 4-byte blksize), s390x puts the three timestamps before blksize.
- ``timeval``, ``timespec``, ``tms``, ``rusage``, ``utsname`` and ``dirent``
  (``dirent64``) are the same on all four.

The x86_64 layouts are checked against the host's headers with cffi in
``tests/controller/test_cstructs.py``.
"""
import struct


class Layout:
    """Offsets and C types of the fields of one structure.

    ``fields`` maps a field name to ``(offset, code)`` where ``code`` is a
    ``struct`` format character (``q`` ``Q`` ``i`` ``I`` ``H`` ``B``) or an int
    for a char array of that many bytes (stored NUL-padded, truncated so that
    a NUL always ends it).
    """

    def __init__(self, name, size, fields):
        self.name = name
        self.size = size
        self.fields = fields
        for field, (offset, code) in fields.items():
            width = code if isinstance(code, int) else struct.calcsize(code)
            if offset + width > size:
                raise ValueError("%s.%s overflows the structure" % (name, field))

    def pack(self, byteorder, values):
        """The structure's bytes with ``values`` (unknown names are a bug: KeyError)."""
        prefix = "<" if byteorder == "little" else ">"
        raw = bytearray(self.size)
        for field, value in values.items():
            offset, code = self.fields[field]
            if isinstance(code, int):
                text = bytes(value)[:code - 1]
                raw[offset:offset + len(text)] = text
            else:
                struct.pack_into(prefix + code, raw, offset, value)
        return bytes(raw)

    def unpack(self, byteorder, raw):
        """The field values stored in ``raw`` (which must be ``size`` bytes)."""
        prefix = "<" if byteorder == "little" else ">"
        values = {}
        for field, (offset, code) in self.fields.items():
            if isinstance(code, int):
                values[field] = bytes(raw[offset:offset + code]).split(b"\0", 1)[0]
            else:
                values[field] = struct.unpack_from(prefix + code, raw, offset)[0]
        return values


def _stat_fields(**offsets):
    """Fields of ``struct stat``: each timestamp is a timespec (sec, nsec)."""
    fields = dict(offsets)
    for stamp in ("atime", "mtime", "ctime"):
        offset = fields.pop("st_%s" % stamp)[0]
        fields["st_%s" % stamp] = (offset, "q")
        fields["st_%s_nsec" % stamp] = (offset + 8, "q")
    return fields


STAT_X86_64 = Layout("stat", 144, _stat_fields(
    st_dev=(0, "Q"), st_ino=(8, "Q"), st_nlink=(16, "Q"), st_mode=(24, "I"),
    st_uid=(28, "I"), st_gid=(32, "I"), st_rdev=(40, "Q"), st_size=(48, "q"),
    st_blksize=(56, "q"), st_blocks=(64, "q"),
    st_atime=(72, "ts"), st_mtime=(88, "ts"), st_ctime=(104, "ts")))

STAT_PPC64LE = STAT_X86_64   # same declaration order and types (bits/struct_stat.h)

STAT_AARCH64 = Layout("stat", 128, _stat_fields(
    st_dev=(0, "Q"), st_ino=(8, "Q"), st_mode=(16, "I"), st_nlink=(20, "I"),
    st_uid=(24, "I"), st_gid=(28, "I"), st_rdev=(32, "Q"), st_size=(48, "q"),
    st_blksize=(56, "i"), st_blocks=(64, "q"),
    st_atime=(72, "ts"), st_mtime=(88, "ts"), st_ctime=(104, "ts")))

STAT_S390X = Layout("stat", 144, _stat_fields(
    st_dev=(0, "Q"), st_ino=(8, "Q"), st_nlink=(16, "Q"), st_mode=(24, "I"),
    st_uid=(28, "I"), st_gid=(32, "I"), st_rdev=(40, "Q"), st_size=(48, "q"),
    st_atime=(56, "ts"), st_mtime=(72, "ts"), st_ctime=(88, "ts"),
    st_blksize=(104, "q"), st_blocks=(112, "q")))

TIMEVAL = Layout("timeval", 16, {"tv_sec": (0, "q"), "tv_usec": (8, "q")})

TIMESPEC = Layout("timespec", 16, {"tv_sec": (0, "q"), "tv_nsec": (8, "q")})

TMS = Layout("tms", 32, {"tms_utime": (0, "q"), "tms_stime": (8, "q"),
                         "tms_cutime": (16, "q"), "tms_cstime": (24, "q")})

# struct rusage: two timevals then fourteen longs; only the times are filled.
RUSAGE = Layout("rusage", 144, {"ru_utime_sec": (0, "q"), "ru_utime_usec": (8, "q"),
                                "ru_stime_sec": (16, "q"), "ru_stime_usec": (24, "q")})

UTSNAME_FIELD_LENGTH = 65
UTSNAME = Layout("utsname", 6 * UTSNAME_FIELD_LENGTH, {
    name: (index * UTSNAME_FIELD_LENGTH, UTSNAME_FIELD_LENGTH)
    for index, name in enumerate(("sysname", "nodename", "release", "version",
                                  "machine", "domainname"))})

DIRENT_NAME_LENGTH = 256
DIRENT = Layout("dirent", 280, {"d_ino": (0, "Q"), "d_off": (8, "q"),
                                "d_reclen": (16, "H"), "d_type": (18, "B"),
                                "d_name": (19, DIRENT_NAME_LENGTH)})

COMMON_LAYOUTS = {layout.name: layout
                  for layout in (TIMEVAL, TIMESPEC, TMS, RUSAGE, UTSNAME, DIRENT)}
