"""A JIT loop that calls an external function on every iteration.

Translated with `--opt=jit --sandbox`, the loop is compiled to machine code
after a few hundred iterations; the call inside it must still reach the
sandbox stub (a request to the controller), never the real C function --
seccomp would kill the child if it did.  The loop also adds floats and
takes a rarely-true branch (every seventh iteration), so a foreign JIT
backend must get float registers and a bridge right.  The probe prints the
sum of the results, the value of one call, the float sum (truncated), the
count of the rare branch, and how many iterations ran in compiled code, so
a test can check them all.

    jitprobe N
"""
import os

from rpython.rlib.jit import JitDriver, we_are_jitted

driver = JitDriver(greens=[], reds=['i', 'n', 'total', 'jitted', 'sevens', 'halves'])


def loop(n):
    i = 0
    total = 0
    jitted = 0
    halves = 0.0
    sevens = 0
    while i < n:
        driver.jit_merge_point(i=i, n=n, total=total, jitted=jitted, halves=halves,
                               sevens=sevens)
        total += os.getpid()
        halves += i * 0.5
        if i % 7 == 0:
            sevens += 1
        if we_are_jitted():
            jitted += 1
        i += 1
    return total, jitted, halves, sevens


def entry_point(argv):
    n = int(argv[1])
    total, jitted, halves, sevens = loop(n)
    os.write(1, 'pid %d\ntotal %d\njitted %d\nhalves %d\nsevens %d\n'
             % (os.getpid(), total, jitted, int(halves), sevens))
    return 0


def target(*args):
    return entry_point, None


def jitpolicy(driver):
    from rpython.jit.codewriter.policy import JitPolicy
    return JitPolicy()
