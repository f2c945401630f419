"""A JIT loop that calls an external function on every iteration.

Translated with `--opt=jit --sandbox`, the loop is compiled to machine code
after a few hundred iterations; the call inside it must still reach the
sandbox stub (a request to the controller), never the real C function --
seccomp would kill the child if it did.  The probe prints the sum of the
results, the value of one call, and how many iterations ran in compiled
code, so a test can check all three.

    jitprobe N
"""
import os

from rpython.rlib.jit import JitDriver, we_are_jitted

driver = JitDriver(greens=[], reds=['i', 'n', 'total', 'jitted'])


def loop(n):
    i = 0
    total = 0
    jitted = 0
    while i < n:
        driver.jit_merge_point(i=i, n=n, total=total, jitted=jitted)
        total += os.getpid()
        if we_are_jitted():
            jitted += 1
        i += 1
    return total, jitted


def entry_point(argv):
    n = int(argv[1])
    total, jitted = loop(n)
    os.write(1, 'pid %d\ntotal %d\njitted %d\n' % (os.getpid(), total, jitted))
    return 0


def target(*args):
    return entry_point, None


def jitpolicy(driver):
    from rpython.jit.codewriter.policy import JitPolicy
    return JitPolicy()
