"""Root loop traces that leave their loop are abandoned (JIT only).

A loop gets hot on a back edge and its trace follows the next iteration.
When that iteration leaves the loop (a `break`, or the last iteration), the
trace runs on through the enclosing code until it meets the same loop again
and closes there: the compiled "loop" is then the exit path plus a fresh
entry, and ordinary iterations fall out of it into bridges that cannot jump
back into it.  Mandelbrot's inner loop showed this: its first trace covered
one escaping point, and the ordinary iterations cost ~150 instructions more
each.  LuaJIT refuses such traces ("leaving loop in root trace"); here the
same rule is kept for numeric `for` loops: a root trace started at a loop's
header that comes back to that loop's FOR_PREP, in the same frame, is
aborted.  The loop's counter starts over, so a later iteration is traced
instead, or the enclosing loop gets hot first and takes the inner one in.
(The rule was tried on while, repeat and generic for loops too, with an
instruction marking their entry: fannkuch_redux, whose while loops run a
few iterations per entry, went from 923 M to 992 M instructions, with six
aborted traces and more bridges, so it stayed with numeric loops.)

How it works, without a trace of it in compiled code:
- `confirm_enter_jit` (called by RPython just before tracing starts, and
  before entering compiled code) records the loop header about to be traced;
- FOR_LOOP reports each back edge it takes while tracing: the trace of the
  recorded loop closes there, so the loop is marked as traced, and later
  confirmations (entries into its compiled code) record nothing;
- FOR_PREP asks, while tracing, whether it re-enters the recorded loop; if
  so the `not_in_trace` call raises, which makes RPython abort the trace
  (the exception is caught right there, and execution goes on unchanged).
A loop whose trace was refused MAX_REFUSALS times is left to RPython.  (A
root trace aborted for another reason, too long say, leaves its record
behind; a bridge traced later through that loop's entry in the same frame
would be refused as well.  The count bounds that too.)
"""

from rpython.rlib import jit
from rpython.rlib.nonconst import NonConstant
from rpython.rlib.objectmodel import compute_unique_id

from targets.lua import opcodes as op

MAX_REFUSALS = 8
TRACED = MAX_REFUSALS    # refusal count that marks a loop already traced


def for_loop_header(bytecode, body_start):
    """The pc where a numeric for loop whose body starts at `body_start`
    has its loop header (FOR_LOOP's can_enter_jit): past the STORE_LOCAL
    of the loop variable when the body starts with it."""
    if bytecode[body_start] == op.STORE_LOCAL:
        return body_start + 3
    return body_start


def initial_refusals(bytecode):
    """Code.loop_trace_refusals of new code: 0 at numeric for headers,
    TRACED (nothing to record) everywhere else, so that confirm_enter_jit
    at function entries and while loops costs a list read.  (Recording
    takes unique ids, and the id of a young frame costs the GC a table
    entry: when every confirmation recorded, table_records went from 807 M
    to 893 M instructions.)"""
    refusals = [TRACED] * (len(bytecode) // 3 + 1)
    for pc in range(0, len(bytecode) - 2, 3):
        if bytecode[pc] == op.FOR_LOOP:
            refusals[for_loop_header(bytecode, bytecode[pc + 2]) // 3] = 0
    return refusals


class LeftTracedLoop(Exception):
    """Raised (while tracing only) to abort a root trace that re-enters
    the loop it started in."""


class PendingRootTrace(object):
    """The loop whose root trace may be under way, as unique ids of its
    code and frame and its header pc (all -1 when there is none).  Ids, not
    the objects: confirm_enter_jit is annotated after the rest of the
    program, too late to give these fields a new type (so forget() gives
    them theirs), and ids keep no frame alive."""

    def __init__(self):
        self.code_id = -1
        self.header = -1
        self.frame_id = -1

    def matches(self, code, header, frame):
        return (self.header == header and
                self.code_id == compute_unique_id(code) and
                self.frame_id == compute_unique_id(frame))

    def forget(self):
        # NonConstant: without it these fields would be annotated as the
        # constant -1 before confirm_root_trace's assignments are seen
        self.code_id = NonConstant(-1)
        self.header = NonConstant(-1)
        self.frame_id = NonConstant(-1)


pending = PendingRootTrace()


def confirm_root_trace(code, header, frame):
    """Called before tracing starts (or compiled code runs) at `header`:
    remember it, unless the loop there was traced or refused enough."""
    if code.loop_trace_refusals[header // 3] < MAX_REFUSALS:
        # assigned here, not in a method: the rtyper has classes' methods
        # fixed before confirm_enter_jit is seen
        pending.code_id = compute_unique_id(code)
        pending.header = header
        pending.frame_id = compute_unique_id(frame)
    else:
        pending.forget()


@jit.not_in_trace
def back_edge(code, header, frame, trace_length):
    """A FOR_LOOP back edge to `header` in the jitted interpreter: while
    tracing the pending loop, its root trace closes here."""
    if trace_length >= 0 and pending.matches(code, header, frame):
        code.loop_trace_refusals[header // 3] = TRACED
        pending.forget()


def entering_for_loop(code, body_start, frame):
    """FOR_PREP in jitted code (the loop's body starts at `body_start`):
    abort a root trace of this very loop that left it and came back.
    Traced inline; only the not_in_trace call below sees the trace."""
    header = for_loop_header(code.bytecode, body_start)
    try:
        loop_entry(code, header, frame, jit.current_trace_length())
    except LeftTracedLoop:
        pass


@jit.not_in_trace
def loop_entry(code, header, frame, trace_length):
    """A FOR_PREP of the loop at `header` in the jitted interpreter: raises
    LeftTracedLoop while tracing the pending loop's root trace."""
    if trace_length >= 0 and pending.matches(code, header, frame):
        code.loop_trace_refusals[header // 3] += 1
        pending.forget()
        raise LeftTracedLoop
