"""Calls a sandboxed program may make but never gets: processes, signals,
sockets, ownership, links and other escapes from the virtual world.

Each is a handler like any other, so that the controller still reads as a
table of system calls and ``rplug check`` counts them as served: the child
gets the failure a denying kernel would give (EPERM, or ENOTTY for ioctl)
and the refusal is written to the audit log.  There is no option to allow
any of them; the network in particular is always refused.
"""
import errno

from sandbox.calls import OSErrorToChild, signature


class Refusals:
    """Mixin: refuse process, signal, socket, ownership and link calls."""

    def refuse(self, call_text, error=errno.EPERM):
        """Fail the current call with ``error`` and note it in the audit log."""
        self.audit("refused %s (%s)" % (call_text, errno.errorcode.get(error, error)))
        raise OSErrorToChild(error)

    # -- processes and signals --------------------------------------------------

    @signature("system(p)i")
    def system(self, command_pointer):
        return self.refuse("system()")

    @signature("popen(pp)p")
    def popen(self, command_pointer, mode_pointer):
        return self.refuse("popen()")

    @signature("execv(pp)i")
    def execv(self, path_pointer, argv_pointer):
        return self.refuse("execv()")

    @signature("execve(ppp)i")
    def execve(self, path_pointer, argv_pointer, envp_pointer):
        return self.refuse("execve()")

    @signature("fork()i")
    def fork(self):
        return self.refuse("fork()")

    @signature("waitpid(ipi)i")
    def waitpid(self, pid, status_pointer, options):
        return self.refuse("waitpid(%d)" % pid, errno.ECHILD)

    @signature("kill(ii)i")
    def kill(self, pid, signal_number):
        return self.refuse("kill(%d, %d)" % (pid, signal_number))

    @signature("killpg(ii)i")
    def killpg(self, process_group, signal_number):
        return self.refuse("killpg(%d, %d)" % (process_group, signal_number))

    @signature("setsid()i")
    def setsid(self):
        return self.refuse("setsid()")

    @signature("nice(i)i")
    def nice(self, increment):
        return self.refuse("nice(%d)" % increment)

    # -- identity changes -------------------------------------------------------

    @signature("setuid(i)i")
    def setuid(self, uid):
        return self.refuse("setuid(%d)" % uid)

    @signature("setgid(i)i")
    def setgid(self, gid):
        return self.refuse("setgid(%d)" % gid)

    @signature("chroot(p)i")
    def chroot(self, path_pointer):
        return self.refuse("chroot()")

    # -- sockets ----------------------------------------------------------------

    @signature("socket(iii)i")
    def socket(self, domain, socket_type, protocol):
        return self.refuse("socket(%d, %d, %d)" % (domain, socket_type, protocol))

    @signature("connect(ipi)i")
    def connect(self, fd, address_pointer, address_length):
        return self.refuse("connect(%d)" % fd)

    @signature("bind(ipi)i")
    def bind(self, fd, address_pointer, address_length):
        return self.refuse("bind(%d)" % fd)

    @signature("listen(ii)i")
    def listen(self, fd, backlog):
        return self.refuse("listen(%d)" % fd)

    @signature("accept(ipp)i")
    def accept(self, fd, address_pointer, length_pointer):
        return self.refuse("accept(%d)" % fd)

    # -- descriptors the virtual world does not have ----------------------------

    @signature("pipe(p)i")
    def pipe(self, fds_pointer):
        return self.refuse("pipe()")

    @signature("dup(i)i")
    def dup(self, fd):
        return self.refuse("dup(%d)" % fd)

    @signature("dup2(ii)i")
    def dup2(self, fd, new_fd):
        return self.refuse("dup2(%d, %d)" % (fd, new_fd))

    @signature("ioctl(iip)i")
    def ioctl(self, fd, request, argument_pointer):
        return self.refuse("ioctl(%d, 0x%x)" % (fd, request & 0xFFFFFFFF), errno.ENOTTY)

    # -- ownership, permissions, links, special files ---------------------------

    @signature("chmod(pi)i")
    def chmod(self, path_pointer, mode):
        return self.refuse("chmod()")

    @signature("chown(pii)i")
    def chown(self, path_pointer, uid, gid):
        return self.refuse("chown()")

    @signature("link(pp)i")
    def link(self, old_pointer, new_pointer):
        return self.refuse("link()")

    @signature("symlink(pp)i")
    def symlink(self, target_pointer, link_pointer):
        return self.refuse("symlink()")

    @signature("mkfifo(pi)i")
    def mkfifo(self, path_pointer, mode):
        return self.refuse("mkfifo()")

    @signature("mknod(pii)i")
    def mknod(self, path_pointer, mode, device):
        return self.refuse("mknod()")

    @signature("utime(pp)i")
    def utime(self, path_pointer, times_pointer):
        return self.refuse("utime()")
