"""Who and where the child is: a virtual user on a virtual machine.

Nothing here reveals the host: the process is pid 2 of user and group 1000
on host ``sandbox``, one CPU, running Linux on the child's own architecture.
``sysconf`` answers the few names programs use to size things and fails
EINVAL for the rest.  The RPython GC sizes its nursery from
``/proc/cpuinfo`` and its heap from ``/proc/meminfo`` (and warns on stderr
without them), so the virtual machine has both, describing itself.
"""
import errno

from sandbox.calls import OSErrorToChild, signature
from sandbox.clock import CLOCK_TICKS_PER_SECOND
from sandbox.files import VIRTUAL_GID, VIRTUAL_UID, ContentFile

VIRTUAL_PID = 2
VIRTUAL_PARENT_PID = 1
VIRTUAL_HOSTNAME = b"sandbox"
VIRTUAL_CPUS = 1
PAGE_SIZE = 4096
VIRTUAL_MEMORY_BYTES = 1024 ** 3
_SC_ARG_MAX, _SC_CLK_TCK, _SC_OPEN_MAX, _SC_PAGESIZE = 0, 2, 4, 30
_SC_NPROCESSORS_CONF, _SC_NPROCESSORS_ONLN, _SC_PHYS_PAGES = 83, 84, 85


VIRTUAL_L2_CACHE_KB = 1024


class Identity:
    """Mixin: getpid, getppid, get[e]uid, get[e]gid, uname, gethostname, sysconf, cpu count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        virtual_tree = getattr(self, "virtual_tree", None)
        if virtual_tree is not None:
            cpuinfo = ("processor\t: 0\nmodel name\t: rplug virtual CPU\n"
                       "cache size\t: %d KB\n\n" % VIRTUAL_L2_CACHE_KB).encode()
            meminfo = ("MemTotal:       %d kB\n" % (self.virtual_memory_bytes() // 1024)).encode()
            virtual_tree.add_device("/proc/cpuinfo", lambda path: ContentFile(path, cpuinfo))
            virtual_tree.add_device("/proc/meminfo", lambda path: ContentFile(path, meminfo))

    def virtual_memory_bytes(self):
        """The memory the virtual machine has: the --memory limit, or 1 GiB."""
        if self.limits.memory_mb is not None:
            return int(self.limits.memory_mb * 1024 * 1024)
        return VIRTUAL_MEMORY_BYTES

    @signature("getpid()i")
    def getpid(self):
        return VIRTUAL_PID

    @signature("getppid()i")
    def getppid(self):
        return VIRTUAL_PARENT_PID

    @signature("getuid()i")
    def getuid(self):
        return VIRTUAL_UID

    @signature("geteuid()i")
    def geteuid(self):
        return VIRTUAL_UID

    @signature("getgid()i")
    def getgid(self):
        return VIRTUAL_GID

    @signature("getegid()i")
    def getegid(self):
        return VIRTUAL_GID

    @signature("uname(p)i")
    def uname(self, utsname_pointer):
        self.write_memory(utsname_pointer, self.arch.pack("utsname", {
            "sysname": b"Linux", "nodename": VIRTUAL_HOSTNAME, "release": b"6.1.0-rplug",
            "version": b"#1 SMP rplug sandbox", "machine": self.arch.machine.encode(),
            "domainname": b"(none)"}))
        return 0

    @signature("gethostname(pi)i")
    def gethostname(self, buffer, size):
        answer = VIRTUAL_HOSTNAME + b"\0"
        if size < len(answer):
            raise OSErrorToChild(errno.ENAMETOOLONG)
        self.write_memory(buffer, answer)
        return 0

    @signature("sysconf(i)i")
    def sysconf(self, name):
        memory_bytes = self.virtual_memory_bytes()
        values = {_SC_ARG_MAX: 131072, _SC_CLK_TCK: CLOCK_TICKS_PER_SECOND,
                  _SC_OPEN_MAX: self.limits.max_open_files, _SC_PAGESIZE: PAGE_SIZE,
                  _SC_NPROCESSORS_CONF: VIRTUAL_CPUS, _SC_NPROCESSORS_ONLN: VIRTUAL_CPUS,
                  _SC_PHYS_PAGES: memory_bytes // PAGE_SIZE}
        if name not in values:
            raise OSErrorToChild(errno.EINVAL)
        return values[name]

    @signature("rpy_cpu_count()i")
    def rpy_cpu_count(self):
        return VIRTUAL_CPUS
