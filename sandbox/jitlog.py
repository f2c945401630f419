"""The JIT's log hooks, answered as "no log".

A binary translated with ``--opt=jit --sandbox`` asks at start-up whether the
binary JIT log (RPython's ``jitlog``, enabled on a real host by the JITLOG
environment variable and a file it opens) is wanted.  Inside the sandbox it
never is: the child would need a file of its own on the host.
"""
from sandbox.calls import signature


class JitLog:
    """Mixin: jitlog_enabled, jitlog_try_init_using_env, jitlog_write_marked."""

    @signature("jitlog_enabled()i")
    def jitlog_enabled(self):
        return 0

    @signature("jitlog_try_init_using_env()v")
    def jitlog_try_init_using_env(self):
        return None

    @signature("jitlog_write_marked(pi)v")
    def jitlog_write_marked(self, buffer, length):
        # only reached if jitlog_enabled() said yes, which it never does
        return None
