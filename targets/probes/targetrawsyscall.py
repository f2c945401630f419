"""An escape attempt: a C function falsely declared sandbox-safe.

`syscall()` is declared with sandboxsafe=True and pushed past the checker
with `reviewed_external` -- the mistake a careless reviewer could make.  The
stub rewrite then leaves it in-process, so only seccomp stands between it
and the kernel: the tests expect the child to die with SIGSYS before it can
print the result of getpid().
"""
import os

from rpython.rtyper.lltypesystem import rffi

from translator_plugins.sandbox.review import reviewed_external

SYS_GETPID = {'x86_64': 39, 'aarch64': 172, 'ppc64le': 20, 's390x': 20}[os.uname()[4]]

raw_syscall = rffi.llexternal('syscall', [rffi.LONG], rffi.LONG, sandboxsafe=True,
                              _nowrapper=True)
reviewed_external('syscall', 'deliberately wrong review, for the seccomp test')


def entry_point(argv):
    pid = raw_syscall(SYS_GETPID)
    os.write(1, 'escaped: pid %d\n' % pid)
    return 0


def target(*args):
    return entry_point, None
