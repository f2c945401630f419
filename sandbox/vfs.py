"""The virtual filesystem: path calls answered from a ``VirtualTree``.

Options (keyword arguments of the controller):

- ``mounts``: ``[(host_path, virtual_path, writable), ...]``; what
  ``--mount HOST:VIRTUAL[:ro|rw]`` gives;
- ``tmp_dir``: a host directory the controller owns, shown writable at
  ``/tmp`` (``--tmp DIR``).

Everything else is read-only: a write, create, unlink, mkdir, rmdir or
rename outside a writable mount fails with EROFS and leaves the host
unchanged.  Only regular files and directories of the host are ever opened
(a FIFO or device in a mount would block or leak the controller), always with
``O_NOFOLLOW`` after the confinement checks of ``sandbox.vfs_tree``; bytes
written to the host are bounded by ``Limits.max_disk_bytes`` (ENOSPC).
"""
import errno
import os
import stat

from sandbox.calls import NULL, OSErrorToChild, signature
from sandbox.files import DirectoryHandle, DiskBudget, HostFile, NullDevice, host_call
from sandbox.vfs_tree import (PATH_MAX, Device, HostEntry, Mount, VirtualDir, VirtualTree,
                              confined_host_path)

# Open flags with the same value on every supported Linux target (generic ABI);
# O_DIRECTORY and O_NOFOLLOW differ and come from ``self.arch``.
O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR = 3, 0, 1, 2
O_CREAT, O_EXCL, O_TRUNC, O_APPEND = 0o100, 0o200, 0o1000, 0o2000
X_OK, W_OK, R_OK = 1, 2, 4
_HOST_FLAGS_ALWAYS = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NOCTTY | os.O_NONBLOCK


class _DirectoryStream:
    """An ``opendir`` in progress: the listing and where ``readdir`` is."""

    def __init__(self, entries):
        self.entries = entries
        self.position = 0


class VirtualFileSystem:
    """Mixin: open/stat/access/getcwd/chdir/unlink/mkdir/rmdir/rename/opendir..."""

    def __init__(self, *args, mounts=(), tmp_dir=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.virtual_tree = VirtualTree(audit=self.audit)
        self.virtual_tree.add_device("/dev/null", NullDevice)
        for host_path, virtual_path, writable in mounts:
            self.virtual_tree.add_mount(virtual_path, Mount(host_path, writable))
        if tmp_dir is not None:
            self.virtual_tree.add_mount("/tmp", Mount(tmp_dir, writable=True))
        self.cwd = b"/"
        self.disk_budget = DiskBudget(self.limits.max_disk_bytes)
        self._directory_streams = {}

    # -- helpers ----------------------------------------------------------------

    def read_path(self, pointer):
        """The path string at ``pointer``; ENAMETOOLONG past PATH_MAX."""
        path = self.read_cstring(pointer, PATH_MAX)
        if len(path) >= PATH_MAX:
            raise OSErrorToChild(errno.ENAMETOOLONG)
        return path

    def resolve(self, pointer, follow_last=True):
        return self.virtual_tree.resolve(self.read_path(pointer), self.cwd, follow_last)

    def _existing(self, pointer, follow_last=True):
        location = self.resolve(pointer, follow_last)
        if location.node is None:
            raise OSErrorToChild(errno.ENOENT)
        return location

    @staticmethod
    def _writable_host_entry(location):
        """The HostEntry of an existing Location in a writable mount, else EROFS."""
        node = location.node
        if not (isinstance(node, HostEntry) and node.mount.writable):
            raise OSErrorToChild(errno.EROFS)
        if not node.parts:
            raise OSErrorToChild(errno.EBUSY)       # a mount point itself
        return node

    @staticmethod
    def _writable_parent(location):
        """(mount, parts) where a missing Location would be created, else EROFS."""
        parent = location.parent
        if not (isinstance(parent, HostEntry) and parent.mount.writable and parent.is_dir()):
            raise OSErrorToChild(errno.EROFS)
        return parent.mount, parent.parts + (location.name,)

    def _write_stat(self, location, stat_buffer):
        info = self.virtual_tree.stat_of(location)
        self.write_memory(stat_buffer, self.arch.pack("stat", info.as_struct_values()))
        return 0

    # -- opening ------------------------------------------------------------------

    @signature("open(pii)i")
    def open(self, path_pointer, flags, mode):
        accmode = flags & O_ACCMODE
        if accmode == O_ACCMODE:
            raise OSErrorToChild(errno.EINVAL)
        writes = accmode != O_RDONLY or bool(flags & O_TRUNC)
        location = self.resolve(path_pointer, follow_last=not flags & self.arch.o_nofollow)
        node = location.node
        if node is None:
            if not flags & O_CREAT:
                raise OSErrorToChild(errno.ENOENT)
            mount, parts = self._writable_parent(location)
            return self._open_host(mount, parts, location.virtual_path, flags, mode, accmode)
        if flags & O_CREAT and flags & O_EXCL:
            raise OSErrorToChild(errno.EEXIST)
        wants_directory = bool(flags & self.arch.o_directory)
        if isinstance(node, Device):
            if wants_directory:
                raise OSErrorToChild(errno.ENOTDIR)
            return self.install_file(node.opener(location.virtual_path))
        if isinstance(node, VirtualDir) or node.is_dir():
            if writes:
                raise OSErrorToChild(errno.EISDIR)
            return self.install_file(DirectoryHandle(self.virtual_tree.stat_of(location)))
        if wants_directory:
            raise OSErrorToChild(errno.ENOTDIR)
        if node.is_symlink():
            raise OSErrorToChild(errno.ELOOP)       # O_NOFOLLOW on a symlink
        if not stat.S_ISREG(node.host_stat.st_mode):
            self.audit("refused to open %s: not a regular file on the host"
                       % location.virtual_path.decode("utf-8", "replace"))
            raise OSErrorToChild(errno.EACCES)
        if writes and not node.mount.writable:
            raise OSErrorToChild(errno.EROFS)
        return self._open_host(node.mount, node.parts, location.virtual_path, flags, mode,
                               accmode)

    def _open_host(self, mount, parts, virtual_path, flags, mode, accmode):
        if len(self.open_files) >= self.limits.max_open_files:
            raise OSErrorToChild(errno.EMFILE)
        host_flags = {O_RDONLY: os.O_RDONLY, O_WRONLY: os.O_WRONLY, O_RDWR: os.O_RDWR}[accmode]
        for child_flag, host_flag in ((O_CREAT, os.O_CREAT), (O_EXCL, os.O_EXCL),
                                      (O_TRUNC, os.O_TRUNC), (O_APPEND, os.O_APPEND)):
            if flags & child_flag:
                host_flags |= host_flag
        host_path = confined_host_path(mount, parts)
        host_fd = host_call(os.open, host_path, host_flags | _HOST_FLAGS_ALWAYS, mode & 0o777)
        if not stat.S_ISREG(os.fstat(host_fd).st_mode):
            os.close(host_fd)
            raise OSErrorToChild(errno.EACCES)
        os.set_blocking(host_fd, True)
        return self.install_file(HostFile(host_fd, virtual_path, readable=accmode != O_WRONLY,
                                          writable=accmode != O_RDONLY,
                                          disk_budget=self.disk_budget))

    # -- looking ------------------------------------------------------------------

    @signature("stat64(pp)i")
    def stat64(self, path_pointer, stat_buffer):
        return self._write_stat(self._existing(path_pointer), stat_buffer)

    @signature("lstat64(pp)i")
    def lstat64(self, path_pointer, stat_buffer):
        return self._write_stat(self._existing(path_pointer, follow_last=False), stat_buffer)

    @signature("access(pi)i")
    def access(self, path_pointer, mode):
        if mode & ~(R_OK | W_OK | X_OK):
            raise OSErrorToChild(errno.EINVAL)
        location = self._existing(path_pointer)
        info = self.virtual_tree.stat_of(location)
        if mode & W_OK and not (isinstance(location.node, HostEntry)
                                and location.node.mount.writable):
            if not isinstance(location.node, Device):
                raise OSErrorToChild(errno.EROFS)
        for wanted, bits in ((R_OK, 0o444), (W_OK, 0o222), (X_OK, 0o111)):
            if mode & wanted and not info.mode & bits:
                raise OSErrorToChild(errno.EACCES)
        return 0

    @signature("getcwd(pi)p")
    def getcwd(self, buffer, size):
        answer = self.cwd + b"\0"
        if size <= 0 or not buffer:
            raise OSErrorToChild(errno.EINVAL)
        if len(answer) > size:
            raise OSErrorToChild(errno.ERANGE)
        self.write_memory(buffer, answer)
        return buffer

    @signature("chdir(p)i")
    def chdir(self, path_pointer):
        location = self._existing(path_pointer)
        if not self.virtual_tree.stat_of(location).is_dir():
            raise OSErrorToChild(errno.ENOTDIR)
        self.cwd = location.virtual_path
        return 0

    # -- changing (writable mounts only) ------------------------------------------

    @signature("unlink(p)i")
    def unlink(self, path_pointer):
        entry = self._writable_host_entry(self._existing(path_pointer, follow_last=False))
        if entry.is_dir():
            raise OSErrorToChild(errno.EISDIR)
        host_call(os.unlink, entry.confined_path())
        return 0

    @signature("mkdir(pi)i")
    def mkdir(self, path_pointer, mode):
        location = self.resolve(path_pointer, follow_last=False)
        if location.node is not None:
            raise OSErrorToChild(errno.EEXIST)
        mount, parts = self._writable_parent(location)
        host_call(os.mkdir, confined_host_path(mount, parts), mode & 0o777)
        return 0

    @signature("rmdir(p)i")
    def rmdir(self, path_pointer):
        entry = self._writable_host_entry(self._existing(path_pointer, follow_last=False))
        if not entry.is_dir():
            raise OSErrorToChild(errno.ENOTDIR)
        host_call(os.rmdir, entry.confined_path())
        return 0

    @signature("rename(pp)i")
    def rename(self, old_pointer, new_pointer):
        source = self._writable_host_entry(self._existing(old_pointer, follow_last=False))
        target = self.resolve(new_pointer, follow_last=False)
        if target.node is None:
            mount, parts = self._writable_parent(target)
        else:
            entry = self._writable_host_entry(target)
            mount, parts = entry.mount, entry.parts
        if mount is not source.mount:
            raise OSErrorToChild(errno.EXDEV)
        host_call(os.rename, source.confined_path(), confined_host_path(mount, parts))
        return 0

    # -- listing ------------------------------------------------------------------

    @signature("opendir(p)p")
    def opendir(self, path_pointer):
        location = self._existing(path_pointer)
        entries = self.virtual_tree.list_directory(location)
        if len(self._directory_streams) >= self.limits.max_open_files:
            raise OSErrorToChild(errno.EMFILE)
        # The DIR* the child holds is a dirent buffer in its own memory that
        # readdir fills and returns: one allocation per opendir, freed by closedir.
        handle = self.allocate_in_child(bytes(self.arch.layout("dirent").size))
        self._directory_streams[handle] = _DirectoryStream(entries)
        return handle

    @signature("readdir(p)p")
    def readdir(self, handle):
        stream = self._directory_streams.get(handle)
        if stream is None:
            raise OSErrorToChild(errno.EBADF)
        if stream.position >= len(stream.entries):
            return NULL                      # end of directory: errno untouched
        name, d_type = stream.entries[stream.position]
        stream.position += 1
        layout = self.arch.layout("dirent")
        self.write_memory(handle, self.arch.pack("dirent", {
            "d_ino": stream.position, "d_off": stream.position, "d_reclen": layout.size,
            "d_type": d_type, "d_name": name}))
        return handle

    @signature("closedir(p)i")
    def closedir(self, handle):
        if self._directory_streams.pop(handle, None) is None:
            raise OSErrorToChild(errno.EBADF)
        self.free_in_child(handle)
        return 0
