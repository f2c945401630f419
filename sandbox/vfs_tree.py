"""The virtual file tree and confined path resolution.

The child sees a tree of virtual directories (``VirtualDir``) whose leaves
are devices (``Device``) and mounts (``Mount``: a host file or directory,
read-only unless mounted ``rw``).  Nothing outside a mount exists for it.

Resolution walks a path one component at a time over a stack of
``(name, node)`` pairs starting at the virtual root or the working directory:

- ``..`` pops the stack and never goes above the virtual root, so no
  spelling of a path leaves the tree; absolute paths start at the virtual
  root, not the host's;
- inside a mount, each component is ``lstat``-ed on the host: a host
  symlink is followed *within its mount only*: its target's components get a
  floor (the mount's root) that ``..`` may not cross, and an absolute target
  must lie under the mount's host directory; anything else is an escape
  attempt, reported to ``audit`` and failed with EACCES;
- at most 40 symlinks per resolution (ELOOP), like Linux.

Before touching the host, ``HostEntry.confined_path`` re-checks with
``realpath`` that the path is still inside the mount, and callers open with
``O_NOFOLLOW``, so a host file swapped for a symlink after resolution is not
followed either.
"""
import collections
import errno
import os
import stat

from sandbox.calls import OSErrorToChild
from sandbox.errors import ConfigurationError
from sandbox.files import StatInfo, virtual_inode

PATH_MAX = 4096
NAME_MAX = 255
MAX_SYMLINKS = 40


class VirtualDir:
    """A directory that exists only in the controller; read-only for the child."""

    def __init__(self):
        self.entries = {}


class Device:
    """A special file; ``opener(virtual_path)`` makes its OpenFile."""

    def __init__(self, opener):
        self.opener = opener


class Mount:
    """A host file or directory shown in the virtual tree."""

    def __init__(self, host_path, writable):
        self.given_root = os.fsencode(os.path.abspath(host_path))
        self.host_root = os.fsencode(os.path.realpath(host_path))
        try:
            root_stat = os.stat(self.host_root)
        except OSError as error:
            raise ConfigurationError("cannot mount %s: %s" % (host_path, error.strerror)) from None
        self.is_dir = stat.S_ISDIR(root_stat.st_mode)
        if not self.is_dir and not stat.S_ISREG(root_stat.st_mode):
            raise ConfigurationError("cannot mount %s: only regular files and directories "
                                     "can be mounted" % host_path)
        self.writable = writable

    def relative_parts(self, host_target):
        """Components of absolute ``host_target`` under this mount, or None if outside."""
        target = os.path.normpath(host_target)
        for root in (self.host_root, self.given_root):
            if target == root:
                return []
            if target.startswith(root.rstrip(b"/") + b"/"):
                return target[len(root.rstrip(b"/")) + 1:].split(b"/")
        return None


class HostEntry:
    """A path inside a mount, with the ``lstat`` taken when it was resolved."""

    __slots__ = ("mount", "parts", "host_stat")

    def __init__(self, mount, parts, host_stat):
        self.mount = mount
        self.parts = parts
        self.host_stat = host_stat

    @property
    def host_path(self):
        return os.path.join(self.mount.host_root, *self.parts)

    def is_dir(self):
        return stat.S_ISDIR(self.host_stat.st_mode)

    def is_symlink(self):
        return stat.S_ISLNK(self.host_stat.st_mode)

    def confined_path(self):
        """The host path, after checking its real location is inside the mount."""
        return confined_host_path(self.mount, self.parts)


def confined_host_path(mount, parts):
    """Host path of ``parts`` in ``mount``; EACCES if its directory resolves outside."""
    host_path = os.path.join(mount.host_root, *parts)
    if not parts:
        return host_path
    real_directory = os.path.realpath(os.path.dirname(host_path))
    root = mount.host_root
    if real_directory != root and not real_directory.startswith(root.rstrip(b"/") + b"/"):
        raise OSErrorToChild(errno.EACCES)
    return host_path


class Location:
    """Where a path leads.

    ``node`` is None when only the last component is missing (so that it
    can be created); ``parent`` is the directory node holding ``name``.
    """

    __slots__ = ("node", "parent", "name", "virtual_path")

    def __init__(self, node, parent, name, virtual_path):
        self.node = node
        self.parent = parent
        self.name = name
        self.virtual_path = virtual_path


def _virtual_path(stack):
    return b"/" + b"/".join(name for name, _ in stack[1:])


class VirtualTree:
    """The child's whole file namespace."""

    def __init__(self, audit=None):
        self.root = VirtualDir()
        self._audit = audit or (lambda message: None)

    # -- building ---------------------------------------------------------------

    def add_mount(self, virtual_path, mount):
        self._attach(virtual_path, mount)

    def add_device(self, virtual_path, opener):
        self._attach(virtual_path, Device(opener))

    def _attach(self, virtual_path, node):
        parts = [part for part in os.fsencode(virtual_path).split(b"/") if part]
        if not os.fsencode(virtual_path).startswith(b"/") or not parts:
            raise ConfigurationError("virtual path %r must be absolute and not /" % virtual_path)
        if any(part in (b".", b"..") for part in parts):
            raise ConfigurationError("virtual path %r must not contain . or .." % virtual_path)
        directory = self.root
        for depth, part in enumerate(parts[:-1]):
            directory = directory.entries.setdefault(part, VirtualDir())
            if not isinstance(directory, VirtualDir):
                raise ConfigurationError("cannot put %s inside /%s, which is not a virtual "
                                         "directory" % (virtual_path,
                                                        b"/".join(parts[:depth + 1]).decode()))
        if parts[-1] in directory.entries:
            raise ConfigurationError("%s is given twice" % virtual_path)
        directory.entries[parts[-1]] = node

    # -- resolving ----------------------------------------------------------------

    def resolve(self, path, cwd=b"/", follow_last=True):
        """The Location of bytes ``path`` seen from virtual directory ``cwd``."""
        if not path:
            raise OSErrorToChild(errno.ENOENT)
        if len(path) >= PATH_MAX:
            raise OSErrorToChild(errno.ENAMETOOLONG)
        stack = [(b"", self.root)]
        pending = collections.deque()
        if not path.startswith(b"/"):
            pending.extend((part, None) for part in cwd.split(b"/"))
        pending.extend((part, None) for part in path.split(b"/"))
        links_followed = 0
        while pending:
            part, floor = pending.popleft()
            if part in (b"", b"."):
                continue
            if part == b"..":
                if floor is not None and len(stack) <= floor:
                    self._escape(stack, b"..", "a symlink's '..' leaves its mount")
                if len(stack) > 1:
                    stack.pop()
                continue
            if len(part) > NAME_MAX:
                raise OSErrorToChild(errno.ENAMETOOLONG)
            is_last = all(rest == b"" for rest, _ in pending)
            trailing_slash = is_last and bool(pending)
            parent = stack[-1][1]
            child = self._lookup(parent, part)
            if child is None:
                if is_last:
                    return Location(None, parent, part, _join(_virtual_path(stack), part))
                raise OSErrorToChild(errno.ENOENT)
            if isinstance(child, HostEntry) and child.is_symlink():
                if is_last and not follow_last and not trailing_slash:
                    stack.append((part, child))
                    break
                links_followed += 1
                if links_followed > MAX_SYMLINKS:
                    raise OSErrorToChild(errno.ELOOP)
                self._expand_symlink(child, stack, pending)
                continue
            stack.append((part, child))
        node = stack[-1][1]
        parent = stack[-2][1] if len(stack) > 1 else None
        return Location(node, parent, stack[-1][0], _virtual_path(stack))

    def _lookup(self, parent, name):
        """The node ``name`` in directory node ``parent``, or None if missing."""
        if isinstance(parent, VirtualDir):
            child = parent.entries.get(name)
            if isinstance(child, Mount):
                return self._mount_root(child)
            return child
        if isinstance(parent, HostEntry) and parent.is_dir():
            parts = parent.parts + (name,)
            try:
                host_stat = os.lstat(os.path.join(parent.mount.host_root, *parts))
            except FileNotFoundError:
                return None
            except OSError as error:
                raise OSErrorToChild(error.errno or errno.EIO) from None
            return HostEntry(parent.mount, parts, host_stat)
        raise OSErrorToChild(errno.ENOTDIR)

    @staticmethod
    def _mount_root(mount):
        try:
            return HostEntry(mount, (), os.stat(mount.host_root))
        except OSError:
            return None          # the host removed it: it no longer exists here

    def _expand_symlink(self, link, stack, pending):
        """Replace a symlink by its target's components, confined to its mount."""
        try:
            target = os.readlink(link.host_path)
        except OSError as error:
            raise OSErrorToChild(error.errno or errno.EIO) from None
        floor = len(stack) - len(link.parts) + 1   # stack length with the mount root on top
        if target.startswith(b"/"):
            parts = link.mount.relative_parts(target)
            if parts is None:
                self._escape(stack, target, "a symlink points outside its mount")
            del stack[floor:]
        else:
            parts = target.split(b"/")
        pending.extendleft((part, floor) for part in reversed(parts))

    def _escape(self, stack, target, reason):
        self._audit("refused path through %s: %s (%s)"
                    % (_virtual_path(stack).decode("utf-8", "replace"), reason,
                       target.decode("utf-8", "replace")))
        raise OSErrorToChild(errno.EACCES)

    # -- describing -----------------------------------------------------------------

    def stat_of(self, location):
        """The StatInfo of an existing Location."""
        node = location.node
        if isinstance(node, VirtualDir):
            return StatInfo(stat.S_IFDIR | 0o555, size=BLOCK_SIZE_OF_VIRTUAL_DIR,
                            inode=virtual_inode(location.virtual_path),
                            nlink=2 + len(node.entries))
        if isinstance(node, Device):
            device = node.opener(location.virtual_path)
            try:
                return device.stat()
            finally:
                device.close()
        return StatInfo.from_host(node.host_stat, location.virtual_path, node.mount.writable)

    def list_directory(self, location):
        """``[(name, d_type), ...]`` of a directory Location, with . and .."""
        node = location.node
        entries = [(b".", DT_DIR), (b"..", DT_DIR)]
        if isinstance(node, VirtualDir):
            for name in sorted(node.entries):
                child = node.entries[name]
                kind = DT_DIR
                if isinstance(child, Device):
                    mode = self.stat_of(Location(child, node, name, b"")).mode
                    kind = DT_REG if stat.S_ISREG(mode) else DT_CHR
                elif isinstance(child, Mount) and not child.is_dir:
                    kind = DT_REG
                entries.append((name, kind))
            return entries
        if not (isinstance(node, HostEntry) and node.is_dir()):
            raise OSErrorToChild(errno.ENOTDIR)
        try:
            with os.scandir(node.confined_path()) as scan:
                host_entries = sorted((entry.name, _d_type(entry)) for entry in scan)
        except OSError as error:
            raise OSErrorToChild(error.errno or errno.EIO) from None
        return entries + host_entries


BLOCK_SIZE_OF_VIRTUAL_DIR = 4096
DT_UNKNOWN, DT_CHR, DT_DIR, DT_REG, DT_LNK = 0, 2, 4, 8, 10


def _d_type(entry):
    if entry.is_symlink():
        return DT_LNK
    if entry.is_dir(follow_symlinks=False):
        return DT_DIR
    if entry.is_file(follow_symlinks=False):
        return DT_REG
    return DT_UNKNOWN


def _join(directory, name):
    return directory.rstrip(b"/") + b"/" + name
