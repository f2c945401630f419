"""The child's file descriptor table and the calls that use a descriptor.

Other mixins put ``OpenFile`` objects in the table (the VFS for ``open``,
``output`` for 1 and 2, ``input`` for 0); this one answers ``read``,
``write``, ``close``, ``lseek``, ``fstat64`` and ``isatty`` for all of them.
The table is bounded (``Limits.max_open_files``, EMFILE beyond) because each
entry may hold a host descriptor of the controller, and each transfer is
clamped to ``Limits.max_transfer_bytes``: a short read or write is what POSIX
allows, so a huge count from the child costs the controller nothing.
"""
import errno

from sandbox.calls import OSErrorToChild, signature

SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2


class FileDescriptors:
    """Mixin: the descriptor table and the calls on descriptors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_files = {}

    def install_file(self, open_file, fd=None):
        """Put ``open_file`` at ``fd`` (default: the lowest free number) and return it."""
        if fd is None:
            if len(self.open_files) >= self.limits.max_open_files:
                open_file.close()
                raise OSErrorToChild(errno.EMFILE)
            fd = 0
            while fd in self.open_files:
                fd += 1
        elif fd in self.open_files:
            self.open_files.pop(fd).close()
        self.open_files[fd] = open_file
        return fd

    def file_at(self, fd):
        """The OpenFile at ``fd``; EBADF if there is none."""
        try:
            return self.open_files[fd]
        except KeyError:
            raise OSErrorToChild(errno.EBADF) from None

    def close_all_files(self):
        """Release every host resource the table holds (end of run)."""
        while self.open_files:
            self.open_files.popitem()[1].close()

    def run(self):
        try:
            return super().run()
        finally:
            self.close_all_files()

    @signature("read(ipi)i")
    def read(self, fd, buffer, count):
        open_file = self.file_at(fd)
        if count < 0:
            raise OSErrorToChild(errno.EINVAL)
        if count and not buffer:
            raise OSErrorToChild(errno.EFAULT)
        data = open_file.read(min(count, self.limits.max_transfer_bytes))[:count]
        self.write_memory(buffer, data)
        return len(data)

    @signature("write(ipi)i")
    def write(self, fd, buffer, count):
        open_file = self.file_at(fd)
        if count < 0:
            raise OSErrorToChild(errno.EINVAL)
        data = self.read_memory(buffer, min(count, self.limits.max_transfer_bytes))
        return open_file.write(data)

    @signature("close(i)i")
    def close(self, fd):
        self.file_at(fd)
        self.open_files.pop(fd).close()
        return 0

    @signature("lseek(iii)i")
    def lseek(self, fd, offset, whence):
        open_file = self.file_at(fd)
        if whence not in (SEEK_SET, SEEK_CUR, SEEK_END):
            raise OSErrorToChild(errno.EINVAL)
        return open_file.seek(offset, whence)

    @signature("fstat64(ip)i")
    def fstat64(self, fd, stat_buffer):
        info = self.file_at(fd).stat()
        self.write_memory(stat_buffer, self.arch.pack("stat", info.as_struct_values()))
        return 0

    @signature("isatty(i)i")
    def isatty(self, fd):
        if self.file_at(fd).isatty:
            return 1
        raise OSErrorToChild(errno.ENOTTY, result=0)
