"""C layouts: checked against the host's real headers (x86_64) with cffi."""
import importlib.util
import platform
import struct
import sys

import pytest

from sandbox.arch import ARCHITECTURES
from sandbox.cstructs import DIRENT, RUSAGE, STAT_X86_64, TIMESPEC, TIMEVAL, TMS, UTSNAME

DECLARATIONS = """
    typedef int... dev_t; typedef int... ino_t; typedef int... nlink_t; typedef int... mode_t;
    typedef int... uid_t; typedef int... gid_t; typedef int... off_t;
    typedef int... blksize_t; typedef int... blkcnt_t; typedef int... clock_t;
    typedef int... time_t; typedef int... suseconds_t;
    struct timespec { time_t tv_sec; long tv_nsec; ...; };
    struct timeval { time_t tv_sec; suseconds_t tv_usec; ...; };
    struct stat64 { dev_t st_dev; ino_t st_ino; nlink_t st_nlink; mode_t st_mode;
                    uid_t st_uid; gid_t st_gid; dev_t st_rdev; off_t st_size;
                    blksize_t st_blksize; blkcnt_t st_blocks; struct timespec st_atim;
                    struct timespec st_mtim; struct timespec st_ctim; ...; };
    struct tms { clock_t tms_utime; clock_t tms_stime; clock_t tms_cutime;
                 clock_t tms_cstime; ...; };
    struct rusage { struct timeval ru_utime; struct timeval ru_stime; ...; };
    struct utsname { char sysname[...]; char nodename[...]; char release[...];
                     char version[...]; char machine[...]; char domainname[...]; ...; };
    struct dirent { ino_t d_ino; off_t d_off; unsigned short d_reclen;
                    unsigned char d_type; char d_name[...]; ...; };
"""
SOURCE = """
    #define _GNU_SOURCE
    #include <sys/stat.h>
    #include <sys/time.h>
    #include <sys/times.h>
    #include <sys/resource.h>
    #include <sys/utsname.h>
    #include <dirent.h>
    #include <time.h>
"""


@pytest.fixture(scope="module")
def host_headers(tmp_path_factory):
    """The ``ffi`` of a tiny cffi module compiled against the host's headers."""
    if platform.machine() != "x86_64":
        pytest.skip("the cffi check covers the x86_64 layouts only")
    cffi = pytest.importorskip("cffi")
    builder = cffi.FFI()
    builder.cdef(DECLARATIONS)
    builder.set_source("_rplug_host_layouts", SOURCE)
    build_dir = tmp_path_factory.mktemp("cffi")
    library_path = builder.compile(tmpdir=str(build_dir))
    spec = importlib.util.spec_from_file_location("_rplug_host_layouts", library_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop("_rplug_host_layouts", None)
    return module.ffi


def real_field(ffi, c_name, field):
    """(offset, size, signed) of a field, through timespec/timeval for the times."""
    nested = {"st_atime": ("st_atim", "tv_sec"), "st_atime_nsec": ("st_atim", "tv_nsec"),
              "st_mtime": ("st_mtim", "tv_sec"), "st_mtime_nsec": ("st_mtim", "tv_nsec"),
              "st_ctime": ("st_ctim", "tv_sec"), "st_ctime_nsec": ("st_ctim", "tv_nsec"),
              "ru_utime_sec": ("ru_utime", "tv_sec"), "ru_utime_usec": ("ru_utime", "tv_usec"),
              "ru_stime_sec": ("ru_stime", "tv_sec"), "ru_stime_usec": ("ru_stime", "tv_usec")}
    if field in nested:
        outer, inner = nested[field]
        inner_struct = "struct timespec" if outer.startswith("st_") else "struct timeval"
        offset = ffi.offsetof(c_name, outer) + ffi.offsetof(inner_struct, inner)
        ctype = dict(ffi.typeof(inner_struct).fields)[inner].type
    else:
        offset = ffi.offsetof(c_name, field)
        ctype = dict(ffi.typeof(c_name).fields)[field].type
    if ctype.kind == "array":
        return offset, ffi.sizeof(ctype), None
    return offset, ffi.sizeof(ctype), ffi.cast(ctype, -1) < 0


@pytest.mark.parametrize("layout, c_name", [
    (STAT_X86_64, "struct stat64"), (TIMESPEC, "struct timespec"),
    (TIMEVAL, "struct timeval"), (TMS, "struct tms"), (RUSAGE, "struct rusage"),
    (UTSNAME, "struct utsname"), (DIRENT, "struct dirent")])
def test_layout_matches_the_host_headers(host_headers, layout, c_name):
    ffi = host_headers
    assert layout.size == ffi.sizeof(c_name)
    for field, (offset, code) in layout.fields.items():
        real_offset, real_size, real_signed = real_field(ffi, c_name, field)
        if isinstance(code, int):
            assert (offset, code) == (real_offset, real_size), field
        else:
            assert (offset, struct.calcsize(code)) == (real_offset, real_size), field
            assert code.islower() == real_signed, field


def test_s390x_packs_big_endian_with_its_own_stat_layout():
    s390x = ARCHITECTURES["s390x"]
    raw = s390x.pack("stat", {"st_size": 0x0102, "st_blksize": 4096, "st_mtime": 1})
    assert raw[48:56] == (0x0102).to_bytes(8, "big")
    assert raw[104:112] == (4096).to_bytes(8, "big")
    assert raw[72:80] == (1).to_bytes(8, "big")


def test_aarch64_stat_puts_mode_before_nlink():
    aarch64 = ARCHITECTURES["aarch64"]
    raw = aarch64.pack("stat", {"st_mode": 0o100644, "st_nlink": 3})
    assert aarch64.layout("stat").size == 128
    assert raw[16:20] == (0o100644).to_bytes(4, "little") and raw[20:24] == (3).to_bytes(4, "little")


def test_char_arrays_are_truncated_to_keep_a_nul():
    raw = UTSNAME.pack("little", {"nodename": b"x" * 100})
    assert raw[65:65 + 64] == b"x" * 64 and raw[65 + 64] == 0
    assert UTSNAME.unpack("little", raw)["nodename"] == b"x" * 64
