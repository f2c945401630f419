"""What a virtual file descriptor refers to.

An ``OpenFile`` answers the operations of a descriptor; the base class
fails each of them the way Linux does for a descriptor that cannot do it,
so a subclass only writes what it supports.  ``StatInfo`` is the virtual
``struct stat`` of anything the child can see: the controller never passes a
host's owner, inode or device number through, only sizes, times and mode.
"""
import errno
import hashlib
import os
import stat

from sandbox.calls import OSErrorToChild

# The identity and birth time of everything virtual (2000-01-01T00:00:00Z).
VIRTUAL_UID = 1000
VIRTUAL_GID = 1000
VIRTUAL_EPOCH = 946684800
VIRTUAL_DEVICE = 0x2a
BLOCK_SIZE = 4096


def virtual_inode(virtual_path):
    """A stable inode number for a virtual path (hides the host's)."""
    return int.from_bytes(hashlib.blake2b(virtual_path, digest_size=6).digest(), "little") | 1


class StatInfo:
    """The fields of a virtual ``struct stat`` (times in nanoseconds)."""

    def __init__(self, mode, size=0, inode=1, nlink=1, mtime_ns=VIRTUAL_EPOCH * 10 ** 9,
                 rdev=0):
        self.mode = mode
        self.size = size
        self.inode = inode
        self.nlink = nlink
        self.mtime_ns = mtime_ns
        self.rdev = rdev

    @classmethod
    def from_host(cls, host_stat, virtual_path, writable):
        """The virtual view of a host file: its kind, permissions, size and times."""
        mode = host_stat.st_mode & (stat.S_IFMT(host_stat.st_mode) | 0o777)
        if not writable:
            mode &= ~0o222
        return cls(mode, size=host_stat.st_size, inode=virtual_inode(virtual_path),
                   nlink=host_stat.st_nlink, mtime_ns=host_stat.st_mtime_ns)

    def as_struct_values(self):
        """Field values for ``sandbox.cstructs`` ``stat`` layouts."""
        seconds, nanoseconds = divmod(self.mtime_ns, 10 ** 9)
        values = {"st_dev": VIRTUAL_DEVICE, "st_ino": self.inode, "st_nlink": self.nlink,
                  "st_mode": self.mode, "st_uid": VIRTUAL_UID, "st_gid": VIRTUAL_GID,
                  "st_rdev": self.rdev, "st_size": self.size, "st_blksize": BLOCK_SIZE,
                  "st_blocks": (self.size + 511) // 512}
        for stamp in ("atime", "mtime", "ctime"):
            values["st_" + stamp] = seconds
            values["st_%s_nsec" % stamp] = nanoseconds
        return values

    def is_dir(self):
        return stat.S_ISDIR(self.mode)


def character_device_stat(virtual_path, rdev):
    return StatInfo(stat.S_IFCHR | 0o666, inode=virtual_inode(virtual_path), rdev=rdev)


class OpenFile:
    """A virtual descriptor's target; every operation fails unless overridden."""

    isatty = False

    def read(self, count):
        raise OSErrorToChild(errno.EBADF)

    def write(self, data):
        raise OSErrorToChild(errno.EBADF)

    def seek(self, offset, whence):
        raise OSErrorToChild(errno.ESPIPE)

    def stat(self):
        raise NotImplementedError("every OpenFile must say what it is")

    def close(self):
        """Release what the controller holds for this descriptor."""


class NullDevice(OpenFile):
    """``/dev/null``: reads end at once, writes vanish."""

    def __init__(self, virtual_path):
        self._stat = character_device_stat(virtual_path, rdev=0x103)

    def read(self, count):
        return b""

    def write(self, data):
        return len(data)

    def seek(self, offset, whence):
        return 0

    def stat(self):
        return self._stat


class ContentFile(OpenFile):
    """A read-only virtual regular file with fixed content (``/proc/cpuinfo``...)."""

    def __init__(self, virtual_path, content):
        self._content = content
        self._position = 0
        self._stat = StatInfo(stat.S_IFREG | 0o444, size=len(content),
                              inode=virtual_inode(virtual_path))

    def read(self, count):
        chunk = self._content[self._position:self._position + count]
        self._position += len(chunk)
        return chunk

    def seek(self, offset, whence):
        base = (0, self._position, len(self._content))[whence]
        if base + offset < 0:
            raise OSErrorToChild(errno.EINVAL)
        self._position = base + offset
        return self._position

    def stat(self):
        return self._stat


class DirectoryHandle(OpenFile):
    """A directory opened with ``open()``: only ``fstat`` works; read is EISDIR."""

    def __init__(self, stat_info):
        self._stat = stat_info

    def read(self, count):
        raise OSErrorToChild(errno.EISDIR)

    def stat(self):
        return self._stat


class DiskBudget:
    """Bytes the child may still write to host files during the run (ENOSPC after)."""

    def __init__(self, max_bytes):
        self.remaining = max_bytes

    def spend(self, count):
        """How many of ``count`` bytes may be written now."""
        allowed = min(count, self.remaining)
        if allowed <= 0 and count > 0:
            raise OSErrorToChild(errno.ENOSPC)
        self.remaining -= allowed
        return allowed


class HostFile(OpenFile):
    """A host file the controller opened for the child (one host fd)."""

    def __init__(self, host_fd, virtual_path, readable, writable, disk_budget):
        self._fd = host_fd
        self._virtual_path = virtual_path
        self._readable = readable
        self._writable = writable
        self._disk_budget = disk_budget

    def read(self, count):
        if not self._readable:
            raise OSErrorToChild(errno.EBADF)
        return host_call(os.read, self._fd, count)

    def write(self, data):
        if not self._writable:
            raise OSErrorToChild(errno.EBADF)
        allowed = self._disk_budget.spend(len(data))
        written = host_call(os.write, self._fd, data[:allowed])
        self._disk_budget.remaining += allowed - written
        return written

    def seek(self, offset, whence):
        return host_call(os.lseek, self._fd, offset, whence)

    def stat(self):
        return StatInfo.from_host(host_call(os.fstat, self._fd), self._virtual_path,
                                  self._writable)

    def close(self):
        os.close(self._fd)


def host_call(function, *args):
    """Run a host operation; its OSError becomes the same errno in the child."""
    try:
        return function(*args)
    except OSError as error:
        raise OSErrorToChild(error.errno or errno.EIO) from None
    except (OverflowError, ValueError):
        raise OSErrorToChild(errno.EINVAL) from None
