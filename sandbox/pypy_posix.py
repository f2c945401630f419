"""The rest of PyPy's ``posix`` module: every call a sandboxed PyPy may send.

PyPy's ``os`` has more functions than the programs the default controller
was written for, and a request nobody serves ends the run.  This mixin
answers the remaining ones so that a Python program gets an ``OSError`` it
can handle, never a dead interpreter:

- names this checkout's rpython uses for the stat family (``stat``,
  ``lstat``, ``fstat``: the same ``struct stat`` as ``stat64`` on 64-bit
  Linux) go to the VFS's handlers;
- pure computations (``WIFEXITED`` and the other wait-status macros,
  ``major``/``minor``/``makedev``) are computed;
- questions with a virtual answer get it: ``umask`` (kept per run),
  ``readlink`` inside a mount, ``fcntl`` descriptor flags, ``fsync``,
  ``ftruncate`` of a writable file (within the disk budget), process group
  and session (the virtual pid), ``getgroups``/``getresuid``/``getresgid``,
  ``pathconf``, ``ctermid``;
- everything that would change identity, terminals, links, times or
  processes is refused like ``sandbox.refusals`` does (EPERM, audited).

Nothing here touches the host outside a mount's confinement.
"""
import errno
import os
import stat

from sandbox.calls import NULL, OSErrorToChild, signature
from sandbox.files import HostFile
from sandbox.identity import VIRTUAL_PID
from sandbox.vfs import O_ACCMODE
from sandbox.vfs_tree import PATH_MAX, NAME_MAX, HostEntry

F_GETFD, F_SETFD, F_GETFL, F_SETFL = 1, 2, 3, 4
FD_CLOEXEC = 1
_PC_NAME_MAX, _PC_PATH_MAX = 3, 4
DEFAULT_UMASK = 0o022
CTERMID = b"/dev/tty"


class PyPyPosix:
    """Mixin: PyPy's remaining posix calls (needs the VFS, descriptors, refusals)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.umask_value = DEFAULT_UMASK
        self._ctermid_pointer = None

    # -- the stat family under the names PyPy's rpython uses -------------------

    @signature("stat(pp)i")
    def stat(self, path_pointer, stat_buffer):
        return self.stat64(path_pointer, stat_buffer)

    @signature("lstat(pp)i")
    def lstat(self, path_pointer, stat_buffer):
        return self.lstat64(path_pointer, stat_buffer)

    @signature("fstat(ip)i")
    def fstat(self, fd, stat_buffer):
        return self.fstat64(fd, stat_buffer)

    # -- pure computations ------------------------------------------------------

    @signature("WCOREDUMP(i)i")
    def WCOREDUMP(self, status):
        return int(os.WCOREDUMP(status & 0xFFFFFFFF))

    @signature("WEXITSTATUS(i)i")
    def WEXITSTATUS(self, status):
        return os.WEXITSTATUS(status & 0xFFFFFFFF)

    @signature("WIFCONTINUED(i)i")
    def WIFCONTINUED(self, status):
        return int(os.WIFCONTINUED(status & 0xFFFFFFFF))

    @signature("WIFEXITED(i)i")
    def WIFEXITED(self, status):
        return int(os.WIFEXITED(status & 0xFFFFFFFF))

    @signature("WIFSIGNALED(i)i")
    def WIFSIGNALED(self, status):
        return int(os.WIFSIGNALED(status & 0xFFFFFFFF))

    @signature("WIFSTOPPED(i)i")
    def WIFSTOPPED(self, status):
        return int(os.WIFSTOPPED(status & 0xFFFFFFFF))

    @signature("WSTOPSIG(i)i")
    def WSTOPSIG(self, status):
        return os.WSTOPSIG(status & 0xFFFFFFFF)

    @signature("WTERMSIG(i)i")
    def WTERMSIG(self, status):
        return os.WTERMSIG(status & 0xFFFFFFFF)

    @signature("major(i)i")
    def major(self, device):
        return os.major(device & 0xFFFFFFFFFFFFFFFF)

    @signature("minor(i)i")
    def minor(self, device):
        return os.minor(device & 0xFFFFFFFFFFFFFFFF)

    @signature("makedev(ii)i")
    def makedev(self, major, minor):
        try:
            return os.makedev(major & 0xFFFFFFFF, minor & 0xFFFFFFFF)
        except (OverflowError, ValueError):
            raise OSErrorToChild(errno.EINVAL) from None

    # -- virtual answers ----------------------------------------------------------

    @signature("umask(i)i")
    def umask(self, mask):
        previous, self.umask_value = self.umask_value, mask & 0o777
        return previous

    @signature("readlink(ppi)i")
    def readlink(self, path_pointer, buffer, size):
        """A symlink's target inside a mount; the host path of one never shows."""
        location = self.resolve(path_pointer, follow_last=False)
        node = location.node
        if node is None:
            raise OSErrorToChild(errno.ENOENT)
        if not (isinstance(node, HostEntry) and node.is_symlink()):
            raise OSErrorToChild(errno.EINVAL)
        target = os.readlink(node.confined_path())
        if target.startswith(b"/"):
            parts = node.mount.relative_parts(target)
            if parts is None:
                self.audit("refused readlink of %s: it points outside its mount"
                           % location.virtual_path.decode("utf-8", "replace"))
                raise OSErrorToChild(errno.EACCES)
            # the same place, spelled relative to the link's directory
            target = os.path.relpath(os.path.join(b"/", *parts),
                                     os.path.join(b"/", *node.parts[:-1]))
        if size <= 0:
            raise OSErrorToChild(errno.EINVAL)
        answer = target[:size]
        self.write_memory(buffer, answer)
        return len(answer)

    @signature("fcntl(iii)i")
    def fcntl(self, fd, command, argument):
        open_file = self.file_at(fd)
        if command == F_GETFD:
            return FD_CLOEXEC
        if command in (F_SETFD, F_SETFL):
            return 0
        if command == F_GETFL:
            readable = getattr(open_file, "_readable", True)
            writable = getattr(open_file, "_writable", fd in (1, 2))
            return (os.O_RDWR if readable and writable
                    else os.O_WRONLY if writable else os.O_RDONLY) & O_ACCMODE
        self.audit("refused fcntl(%d, %d)" % (fd, command))
        raise OSErrorToChild(errno.EINVAL)

    @signature("fsync(i)i")
    def fsync(self, fd):
        self.file_at(fd)
        return 0

    @signature("fdatasync(i)i")
    def fdatasync(self, fd):
        self.file_at(fd)
        return 0

    @signature("ftruncate(ii)i")
    def ftruncate(self, fd, length):
        open_file = self.file_at(fd)
        if not isinstance(open_file, HostFile) or not open_file._writable:
            raise OSErrorToChild(errno.EINVAL)
        if length < 0:
            raise OSErrorToChild(errno.EINVAL)
        size = open_file.stat().size
        if length > size:
            if length - size > self.disk_budget.remaining:
                raise OSErrorToChild(errno.ENOSPC)
            self.disk_budget.remaining -= length - size
        try:
            os.ftruncate(open_file._fd, length)
        except OSError as error:
            raise OSErrorToChild(error.errno or errno.EIO) from None
        return 0

    @signature("getpgrp()i")
    def getpgrp(self):
        return VIRTUAL_PID

    @signature("getpgid(i)i")
    def getpgid(self, pid):
        return self._own_process(pid)

    @signature("getsid(i)i")
    def getsid(self, pid):
        return self._own_process(pid)

    @staticmethod
    def _own_process(pid):
        if pid not in (0, VIRTUAL_PID):
            raise OSErrorToChild(errno.ESRCH)
        return VIRTUAL_PID

    @signature("getgroups(ip)i")
    def getgroups(self, size, list_pointer):
        return 0                                # no supplementary groups

    @signature("getresuid(ppp)i")
    def getresuid(self, real_pointer, effective_pointer, saved_pointer):
        return self._write_three_ids(self.getuid(), real_pointer, effective_pointer,
                                     saved_pointer)

    @signature("getresgid(ppp)i")
    def getresgid(self, real_pointer, effective_pointer, saved_pointer):
        return self._write_three_ids(self.getgid(), real_pointer, effective_pointer,
                                     saved_pointer)

    def _write_three_ids(self, value, *pointers):
        for pointer in pointers:
            self.write_memory(pointer, value.to_bytes(4, self.arch.byteorder))
        return 0

    @signature("pathconf(pi)i")
    def pathconf(self, path_pointer, name):
        self._existing(path_pointer)
        return self._path_limit(name)

    @signature("fpathconf(ii)i")
    def fpathconf(self, fd, name):
        self.file_at(fd)
        return self._path_limit(name)

    @staticmethod
    def _path_limit(name):
        limits = {_PC_NAME_MAX: NAME_MAX, _PC_PATH_MAX: PATH_MAX}
        if name not in limits:
            raise OSErrorToChild(errno.EINVAL)
        return limits[name]

    @signature("confstr(ipi)i")
    def confstr(self, name, buffer, size):
        raise OSErrorToChild(errno.EINVAL, result=0)

    @signature("ctermid(p)p")
    def ctermid(self, buffer):
        """The name of the controlling terminal, which the child cannot open."""
        if buffer:
            self.write_memory(buffer, CTERMID + b"\0")
            return buffer
        if self._ctermid_pointer is None:
            self._ctermid_pointer = self.allocate_in_child(CTERMID + b"\0")
        return self._ctermid_pointer

    @signature("ttyname(i)p")
    def ttyname(self, fd):
        self.file_at(fd)
        raise OSErrorToChild(errno.ENOTTY)

    @signature("getlogin()p")
    def getlogin(self):
        raise OSErrorToChild(errno.ENOTTY)

    @signature("getloadavg(pi)i")
    def getloadavg(self, averages_pointer, count):
        return -1

    @signature("pypy__allow_attach()v")
    def pypy__allow_attach(self):
        """PyPy's prctl(PR_SET_PTRACER) for debuggers: nothing to allow here."""

    # -- refused --------------------------------------------------------------------

    @signature("fchdir(i)i")
    def fchdir(self, fd):
        return self.refuse("fchdir(%d)" % fd)

    @signature("fchmod(ii)i")
    def fchmod(self, fd, mode):
        return self.refuse("fchmod(%d)" % fd)

    @signature("fchown(iii)i")
    def fchown(self, fd, uid, gid):
        return self.refuse("fchown(%d)" % fd)

    @signature("lchown(pii)i")
    def lchown(self, path_pointer, uid, gid):
        return self.refuse("lchown()")

    @signature("utimes(pp)i")
    def utimes(self, path_pointer, times_pointer):
        return self.refuse("utimes()")

    @signature("statvfs(pp)i")
    def statvfs(self, path_pointer, buffer):
        return self.refuse("statvfs()", errno.ENOSYS)

    @signature("fstatvfs(ip)i")
    def fstatvfs(self, fd, buffer):
        return self.refuse("fstatvfs(%d)" % fd, errno.ENOSYS)

    @signature("pipe2(pi)i")
    def pipe2(self, fds_pointer, flags):
        return self.refuse("pipe2()")

    @signature("openpty(ppppp)i")
    def openpty(self, master_pointer, slave_pointer, name_pointer, termios_pointer,
                winsize_pointer):
        return self.refuse("openpty()")

    @signature("forkpty(pppp)i")
    def forkpty(self, master_pointer, name_pointer, termios_pointer, winsize_pointer):
        return self.refuse("forkpty()")

    @signature("tcgetpgrp(i)i")
    def tcgetpgrp(self, fd):
        return self.refuse("tcgetpgrp(%d)" % fd, errno.ENOTTY)

    @signature("tcsetpgrp(ii)i")
    def tcsetpgrp(self, fd, process_group):
        return self.refuse("tcsetpgrp(%d)" % fd, errno.ENOTTY)

    @signature("setpgid(ii)i")
    def setpgid(self, pid, process_group):
        return self.refuse("setpgid(%d, %d)" % (pid, process_group))

    @signature("setpgrp()i")
    def setpgrp(self):
        return self.refuse("setpgrp()")

    @signature("seteuid(i)i")
    def seteuid(self, uid):
        return self.refuse("seteuid(%d)" % uid)

    @signature("setegid(i)i")
    def setegid(self, gid):
        return self.refuse("setegid(%d)" % gid)

    @signature("setreuid(ii)i")
    def setreuid(self, real, effective):
        return self.refuse("setreuid(%d, %d)" % (real, effective))

    @signature("setregid(ii)i")
    def setregid(self, real, effective):
        return self.refuse("setregid(%d, %d)" % (real, effective))

    @signature("setresuid(iii)i")
    def setresuid(self, real, effective, saved):
        return self.refuse("setresuid(%d, %d, %d)" % (real, effective, saved))

    @signature("setresgid(iii)i")
    def setresgid(self, real, effective, saved):
        return self.refuse("setresgid(%d, %d, %d)" % (real, effective, saved))

    @signature("setgroups(ip)i")
    def setgroups(self, size, list_pointer):
        return self.refuse("setgroups()")

    @signature("initgroups(pi)i")
    def initgroups(self, user_pointer, group):
        return self.refuse("initgroups()")
