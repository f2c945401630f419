"""Why a sandboxed run stopped early.

Every error the controller raises about the child or its limits is a
``SandboxError``: the run cannot go on, and by the time the exception reaches
the caller the child has been killed and reaped.  The message says what
happened, where (the byte offset in the child's output for protocol errors,
docs/protocol.md section 4) and, when the user can do something about it, what.

``OSErrorToChild`` (in ``sandbox.calls``) is not here on purpose: it is the
normal way for a handler to make a system call fail *inside* the child, and the
run goes on.
"""


class SandboxError(Exception):
    """The sandboxed run was stopped; the child is dead and reaped."""


class ConfigurationError(SandboxError):
    """The controller was asked for something impossible (bad mount, bad option)."""


class ProtocolError(SandboxError):
    """The child broke the wire protocol (docs/protocol.md section 4).

    ``offset`` is the byte offset in the child's output stream where the
    problem was found: the first byte of the offending message or field.
    """

    def __init__(self, problem, offset):
        super().__init__("%s (at byte %d of the child's output)" % (problem, offset))
        self.problem = problem
        self.offset = offset


class UnsupportedCall(ProtocolError):
    """The child asked for a call no handler serves: denied by default."""

    def __init__(self, call_text, offset):
        super().__init__(
            "the child called %s, which this controller does not serve; "
            "`rplug check BINARY` lists every call a binary can make" % call_text,
            offset)
        self.call_text = call_text


class DumpError(SandboxError):
    """A binary's section-5 dump is malformed or belongs to another protocol."""


class LimitExceeded(SandboxError):
    """The child went over one of the limits of ``sandbox.limits.Limits``."""


class WallTimeExceeded(LimitExceeded):
    """The run took longer than ``--timeout`` seconds of wall-clock time."""


class CpuTimeExceeded(LimitExceeded):
    """The child used more than ``--cpu`` seconds of CPU time."""


class MemoryLimitExceeded(LimitExceeded):
    """The child ran out of the address space ``--memory`` allowed it."""


class OutputLimitExceeded(LimitExceeded):
    """The child wrote more than ``--max-output`` bytes on stdout and stderr."""


class CallLimitExceeded(LimitExceeded):
    """The child made more requests than ``max_calls`` allows (a flood)."""


class ChildClosedInput(ProtocolError):
    """The child closed its stdin (usually: it died) while commands were pending."""
