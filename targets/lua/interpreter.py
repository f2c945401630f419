"""The bytecode interpreter: frames, the dispatch loop, calls and errors.

Each Lua call runs `Interpreter.execute` on a fresh `Frame` (a recursive
interpreter: a Lua call is an RPython call).  Frames form a linked list
through `parent_ref` (used for error levels and tracebacks), and the
interpreter knows the running one through `frame_ref`; both are virtual
references, so that JIT traces need not allocate the frames of the calls
they inline.  Proper tail calls
are a trampoline: TAILCALL ends `run` with the callee in `frame.tail_*`, and
`execute` swaps in the callee's frame without growing the RPython stack.

The loop has a JitDriver with greens (pc, code): `can_enter_jit` is called
on loop back edges (JUMP_BACK, FOR_LOOP), so a `--opt=jit` translation traces
hot Lua loops.

Errors: helpers raise LuaRuntimeError; `run`'s caller turns it into a
LuaError("chunk:line: message") using the frame's pc, closes pending
`<close>` variables, and records a traceback entry (traceback.py).  Deep
recursion gives a Lua "stack overflow" error: either from the call-depth
limit or from RPython's own stack check (rstackovf.StackOverflow).

Two kinds of calls, as in PUC Lua: the CALL instruction (`call_from_lua`)
and calls made by builtins and metamethod dispatch (`call`), which PUC makes
on the C stack and limits to 200 nested levels ("C stack overflow").  Each
callee learns how its caller named it (`next_call_site`, e.g. "local 'f'")
for tracebacks and argument errors.
"""
from rpython.rlib import jit
from rpython.rlib.rstackovf import StackOverflow, check_stack_overflow

from targets.lua import opcodes as op
from targets.lua import loopentry
from targets.lua import operators
from targets.lua import traceback
from targets.lua import traversal
from targets.lua.compiler import compile_source
from targets.lua.errors import LuaError, LuaRuntimeError, LuaSyntaxError
from targets.lua.objects import (W_Object, W_Nil, W_Integer, W_Float, W_String,
                                 W_PlainString, W_Number, W_Closure, W_Builtin,
                                 W_Function, Cell, w_nil, w_true, w_false,
                                 w_int, w_bool)
from targets.lua.operators import OperandError
from targets.lua.arguments import ArgumentError
from targets.lua.table import W_Table, table_or_none
from targets.lua.lib_base import NEXT
from targets.lua.stdio import OutputStream
from targets.lua.luanumber import MAXINT, MININT
from rpython.rlib.rarithmetic import intmask, r_uint
import math

# Lua-level calls nested deeper than this raise "stack overflow"; small by
# default because untranslated runs live inside CPython's recursion limit.
# The translated target raises it (see targetlua.py).
MAX_CALL_DEPTH = 220
# nested calls from builtins/metamethods (LUAI_MAXCCALLS in PUC Lua)
MAX_C_CALLS = 200


def confirm_enter_jit(pc, code, sp, frame, self):
    """Before tracing starts or compiled code runs at (pc, code)."""
    loopentry.confirm_root_trace(code, pc, frame)
    return True


def get_printable_location(pc, code):
    return "%s:%d %s" % (code.chunkname, code.line_at(pc),
                         op.OPCODE_NAMES[code.bytecode[pc]])


# what Interpreter.cursor_step did
STEPPED = 0
TRAVERSED = 1
NO_CURSOR = 2

# is_recursive: Lua calls re-enter this loop (and with a second driver,
# table.sort's partition, rpython needs the recursive one named)
jitdriver = jit.JitDriver(greens=["pc", "code"], reds=["sp", "frame", "self"],
                          virtualizables=["frame"], is_recursive=True,
                          get_printable_location=get_printable_location,
                          confirm_enter_jit=confirm_enter_jit)


# the varargs of frames that have none (shared, never mutated: a frame
# reads its varargs only)
NO_VARARGS = []

# what `run` returns for `return x` (the value is in
# Interpreter.single_result): `run` is the JIT's portal, so a list it
# returns is allocated whenever the call is not inlined (recursion, a
# call_assembler); run_frame, which runs in the caller's trace, builds the
# list there, where the caller consumes it and it stays virtual
ONE_RESULT = [w_nil]


@jit.dont_look_inside
def write_overflow(overflow, index, w_value):
    """`overflow` (or a new list) with overflow[index] = w_value."""
    if overflow is None:
        overflow = []
    while len(overflow) <= index:
        overflow.append(w_nil)
    overflow[index] = w_value
    return overflow


class Frame(object):
    """Activation of one Lua function: slots + operand stack in `stack`.

    The frame is the JIT's virtualizable: in a trace its `stack` entries
    and `pc` live in registers, so locals and temporaries are not written
    to memory (nor boxed) on every instruction.  That requires `stack` to
    keep its length (frame_size, fixed by the code): values pushed past its
    end by calls and `...` with an open result count go to `overflow`
    (index len(stack) + i is overflow[i]); only the instruction consuming
    them (CALL, TAILCALL, RETURN, SET_LIST) reads there, through
    `read_values`.  The JIT forbids passing `stack` itself around, so
    helpers take the frame."""
    _virtualizable_ = ["stack[*]", "pc"]
    _immutable_fields_ = ["closure", "code", "parent_ref"]

    @jit.unroll_safe
    def __init__(self, closure, args, parent_ref):
        self = jit.hint(self, access_directly=True, fresh_virtualizable=True)
        code = jit.promote(closure.code)   # constant frame_size in traces
        self.closure = closure
        self.code = code
        self.parent_ref = parent_ref   # virtual reference to the caller's frame
        self.pc = 0
        stack = [w_nil] * code.frame_size
        num_params = code.num_params
        nargs = len(args)
        for i in range(min(num_params, nargs)):
            stack[i] = args[i]
        self.stack = stack
        if code.is_vararg and nargs > num_params:
            self.varargs = args[num_params:]
        else:
            self.varargs = NO_VARARGS
        self.overflow = None          # values past the end of `stack`
        self.tbc_slots = None         # slots of pending <close> variables
        self.tail_function = None
        self.tail_args = None
        self.call_site = ""           # how the caller named us ("local 'f'")
        self.is_tail_call = False

    def parent_frame(self):
        """The calling Lua frame, or None (forces it out of a JIT trace)."""
        return self.parent_ref()

    def current_line(self):
        return self.code.line_at(self.pc)

    def position(self):
        return "%s:%d:" % (self.code.chunkname, self.current_line())

    @jit.unroll_safe
    def clear_above(self, sp):
        """Forget the operand stack's dead entries at a loop header: a JIT
        loop would otherwise carry (and allocate) the stale boxes left
        there by earlier instructions.  In a trace this is a few constant
        stores into the virtualizable, which cost nothing."""
        assert sp >= 0
        for i in range(sp, len(self.stack)):
            self.stack[i] = w_nil

    def get_slot(self, index):
        assert index >= 0
        return self.stack[index]

    def set_slot(self, index, w_value):
        assert index >= 0
        self.stack[index] = w_value

    def write_value(self, index, w_value):
        """Store at `index`, which may lie past the end of `stack`."""
        assert index >= 0
        size = len(self.stack)
        if index < size:
            self.stack[index] = w_value
            return
        self.overflow = write_overflow(self.overflow, index - size, w_value)

    @jit.unroll_safe
    def read_values(self, start, end):
        """The values at indices start..end-1 (`stack`, then `overflow`)."""
        assert start >= 0
        assert end >= start
        size = len(self.stack)
        values = [w_nil] * (end - start)
        for i in range(start, end):
            if i < size:
                values[i - start] = self.stack[i]
            else:
                values[i - start] = self.overflow[i - size]
        if end > size:
            self.overflow = None
        return values


class Interpreter(object):
    def __init__(self):
        self.w_globals = W_Table()
        self.string_metatable = None
        self.frame_ref = jit.vref_None  # virtual reference to the running frame
        self.call_depth = 0
        self.c_calls = 0              # nested calls made outside CALL
        self.next_call_site = ""      # call site name for the next callee
        self.single_result = None     # the value of a `run` that returned ONE_RESULT
        # builtins running since the current Lua frame made a call: `error`
        # uses it to tell whether level 1 is Lua code (1) or a builtin
        self.builtin_nesting = 0
        self.max_call_depth = MAX_CALL_DEPTH
        self.stdout = OutputStream(1)
        self.stderr = OutputStream(2)
        self.stderr.buffered = False
        self.w_loaded = W_Table()     # package.loaded
        self.script_name = ""
        # per-library state, created on first use by the library modules
        self.random_state = None      # lib_math.RandomState
        self.coroutine_state = None   # lib_coroutine.CoroutineState
        self.io_state = None          # lib_io.IOState
        self.json_state = None        # lib_json.JSONState

    def current_frame(self):
        """The running Lua frame, or None (forces it out of a JIT trace)."""
        return self.frame_ref()

    # ------------------------------------------------------------- loading

    def load(self, source, chunkname, w_env=None):
        """Compile a chunk into a closure whose _ENV is w_env (or _G)."""
        code = compile_source(source, chunkname)
        if w_env is None:
            w_env = self.w_globals
        return W_Closure(code, [Cell(w_env)])

    # --------------------------------------------------------------- calls

    def call(self, w_func, args, call_site=""):
        """Call any Lua value with a list of arguments; list of results.

        This is the entry for calls made by builtins and metamethod
        dispatch, which PUC Lua makes on the C stack: they are limited to
        MAX_C_CALLS nested levels ("C stack overflow").  `call_site` names
        the callee in tracebacks ("metamethod 'index'")."""
        if self.c_calls >= MAX_C_CALLS:
            raise LuaRuntimeError("C stack overflow")
        self.next_call_site = call_site
        self.c_calls += 1
        try:
            return self.call_from_lua(w_func, args)
        finally:
            self.c_calls -= 1

    def call_from_lua(self, w_func, args):
        """A call made by the CALL instruction (no C-stack accounting)."""
        if isinstance(w_func, W_Closure):
            return self.call_closure(w_func, args)
        if isinstance(w_func, W_Builtin):
            return self.call_builtin(w_func, args)
        w_handler = operators.get_metamethod(self, w_func, operators.MM_CALL)
        if w_handler is w_nil:
            raise OperandError("attempt to call a %s value" % w_func.type_name, 0)
        return self.call_from_lua(w_handler, [w_func] + args)

    def call_builtin(self, w_func, args):
        # a call site calls few builtins: a constant one lets the JIT
        # inline its body (math.sqrt becomes a float_sqrt)
        w_func = jit.promote(w_func)
        call_site = self.next_call_site
        self.next_call_site = ""
        self.builtin_nesting += 1
        try:
            return w_func.invoke(self, args)
        except OperandError as e:
            # the operand names of the calling instruction do not apply
            error = LuaRuntimeError(e.message)
            error.w_builtin = w_func
            error.builtin_call_site = call_site
            raise error
        except ArgumentError as e:
            if not e.claimed:
                e.claimed = True
                e.direct = self.builtin_nesting == 1
            if e.w_builtin is None:
                e.w_builtin = w_func
                e.builtin_call_site = call_site
            raise
        except LuaRuntimeError as e:
            if e.w_builtin is None:
                e.w_builtin = w_func
                e.builtin_call_site = call_site
            raise
        except LuaError as e:
            e.traceback.append(traceback.builtin_entry(w_func, call_site))
            raise
        finally:
            self.builtin_nesting -= 1

    def call_closure(self, w_closure, args):
        if self.call_depth >= self.max_call_depth:
            raise LuaRuntimeError("stack overflow")
        frame = Frame(w_closure, args, self.frame_ref)
        frame.call_site = self.next_call_site
        self.next_call_site = ""
        saved_ref = self.frame_ref
        saved_nesting = self.builtin_nesting
        self.builtin_nesting = 0
        self.call_depth += 1
        try:
            try:
                return self.execute(frame)
            except StackOverflow:
                check_stack_overflow()
                raise LuaRuntimeError("stack overflow")
        finally:
            self.frame_ref = saved_ref
            self.builtin_nesting = saved_nesting
            self.call_depth -= 1

    @jit.unroll_safe
    def execute(self, frame):
        """Run `frame`, then the frames its proper tail calls replace it
        with.  The running frame is known to the rest of the interpreter
        through a virtual reference (`frame_ref`), so that in a trace a
        callee's frame is not allocated unless something (an error, a
        traceback, debug.getinfo) asks for it."""
        while True:
            frame_ref = jit.virtual_ref(frame)
            self.frame_ref = frame_ref
            try:
                results = self.run_frame(frame)
            finally:
                jit.virtual_ref_finish(frame_ref, frame)
            w_tail = frame.tail_function
            if w_tail is None:
                return results
            assert isinstance(w_tail, W_Closure)   # run_frame called the others
            frame = Frame(w_tail, frame.tail_args, frame.parent_ref)
            frame.is_tail_call = True

    def run_frame(self, frame):
        """Run one frame; errors get its position and a traceback entry.
        A tail call to a closure is left in frame.tail_function."""
        try:
            results = self.run(frame)
            if results is ONE_RESULT:
                w_result = self.single_result
                self.single_result = None
                results = [w_result]
        except LuaRuntimeError as e:
            error = LuaError(W_PlainString("%s %s" % (frame.position(),
                                                 self.describe_error(frame, e))))
            if e.w_builtin is not None:
                error.traceback.append(traceback.builtin_entry(
                    e.w_builtin, e.builtin_call_site))
            self.unwind_frame(frame, error)
            raise error
        except LuaError as e:
            self.unwind_frame(frame, e)
            raise
        w_tail = frame.tail_function
        if w_tail is not None:
            if frame.tbc_slots is not None:
                self.close_variables(frame, 0, w_nil)
            if not isinstance(w_tail, W_Closure):
                frame.tail_function = None
                return self.call_from_lua(w_tail, frame.tail_args)
        return results

    def describe_error(self, frame, error):
        message = error.message
        if isinstance(error, ArgumentError) and error.direct:
            opcode = frame.code.bytecode[frame.pc]
            if opcode == op.CALL or opcode == op.TAILCALL:
                name = frame.code.operand_name(frame.pc, 0)
                if name:
                    return error.renamed(name)
        if isinstance(error, OperandError) and error.operand >= 0:
            name = frame.code.operand_name(frame.pc, error.operand)
            if name:
                message = "%s (%s)" % (message, name)
        return message

    def unwind_frame(self, frame, error):
        """An error leaves `frame`: close its <close> variables (their
        errors replace the original) and record a traceback line."""
        if frame.tbc_slots is not None:
            try:
                self.close_variables(frame, 0, error.w_value)
            except LuaError as e:
                error.w_value = e.w_value
        error.traceback.append(traceback.lua_entry(frame))

    @jit.unroll_safe
    def close_variables(self, frame, level, w_error):
        slots = frame.tbc_slots
        while slots is not None and len(slots) > 0 and slots[-1] >= level:
            slot = slots.pop()
            w_value = frame.get_slot(slot)
            if isinstance(w_value, Cell):
                w_value = w_value.w_value
            w_handler = operators.get_metamethod(self, w_value, operators.MM_CLOSE)
            if w_handler is not w_nil:
                self.call(w_handler, [w_value, w_error], "metamethod 'close'")

    def mark_close(self, frame, slot):
        w_value = frame.get_slot(slot)
        if isinstance(w_value, Cell):
            w_value = w_value.w_value
        if not w_value.is_truthy():
            return
        w_handler = operators.get_metamethod(self, w_value, operators.MM_CLOSE)
        if w_handler is w_nil:
            raise LuaRuntimeError("variable '%s' got a non-closable value" %
                                  self.slot_name(frame, slot))
        if frame.tbc_slots is None:
            frame.tbc_slots = []
        frame.tbc_slots.append(slot)

    def slot_name(self, frame, slot):
        """Name of the <close> variable (recorded on MARK_CLOSE)."""
        name = frame.code.operand_name(frame.pc, 0)
        if name:
            return name
        return "?"

    # -------------------------------------------------------------- the loop

    def run(self, frame):
        frame = jit.hint(frame, access_directly=True)
        code = frame.code
        pc = 0
        sp = code.num_slots
        while True:
            jitdriver.jit_merge_point(pc=pc, code=code, sp=sp, frame=frame,
                                      self=self)
            frame.pc = pc
            bytecode = code.bytecode
            opcode = bytecode[pc]
            a = bytecode[pc + 1]
            b = bytecode[pc + 2]
            pc += 3
            if opcode == op.LOAD_LOCAL:
                frame.set_slot(sp, frame.get_slot(a))
                sp += 1
            elif opcode == op.STORE_LOCAL:
                sp -= 1
                frame.set_slot(a, frame.get_slot(sp))
            elif opcode == op.LOAD_CONST:
                frame.set_slot(sp, code.constants[a])
                sp += 1
            elif opcode == op.LOAD_CELL:
                cell = frame.get_slot(a)
                assert isinstance(cell, Cell)
                frame.set_slot(sp, cell.w_value)
                sp += 1
            elif opcode == op.STORE_CELL:
                cell = frame.get_slot(a)
                assert isinstance(cell, Cell)
                sp -= 1
                cell.w_value = frame.get_slot(sp)
            elif opcode == op.NEW_CELL:
                sp -= 1
                frame.set_slot(a, Cell(frame.get_slot(sp)))
            elif opcode == op.LOAD_UPVAL:
                frame.set_slot(sp, frame.closure.upvalues[a].w_value)
                sp += 1
            elif opcode == op.STORE_UPVAL:
                sp -= 1
                frame.closure.upvalues[a].w_value = frame.get_slot(sp)
            elif opcode == op.LOAD_NIL:
                for i in range(a):
                    frame.set_slot(sp, w_nil)
                    sp += 1
            elif opcode == op.LOAD_TRUE:
                frame.set_slot(sp, w_true)
                sp += 1
            elif opcode == op.LOAD_FALSE:
                frame.set_slot(sp, w_false)
                sp += 1
            elif opcode == op.GET_GLOBAL:
                w_env = frame.closure.upvalues[a].w_value
                frame.set_slot(sp, self.get_field(w_env, code.constants[b]))
                sp += 1
            elif opcode == op.SET_GLOBAL:
                w_env = frame.closure.upvalues[a].w_value
                sp -= 1
                self.set_field(w_env, code.constants[b], frame.get_slot(sp))
            elif opcode == op.GET_FIELD:
                frame.set_slot(sp - 1, self.get_field(frame.get_slot(sp - 1),
                                                      code.constants[a]))
            elif opcode == op.GET_INDEX:
                sp -= 1
                frame.set_slot(sp - 1, self.get_index(frame.get_slot(sp - 1),
                                                      frame.get_slot(sp)))
            elif opcode == op.SET_FIELD:
                sp -= 2
                self.set_field(frame.get_slot(sp), code.constants[a],
                               frame.get_slot(sp + 1))
            elif opcode == op.SET_INDEX:
                sp -= 3
                self.set_index(frame.get_slot(sp), frame.get_slot(sp + 1),
                               frame.get_slot(sp + 2))
            elif opcode == op.METHOD:
                w_obj = frame.get_slot(sp - 1)
                frame.set_slot(sp - 1, self.get_field(w_obj, code.constants[a]))
                frame.set_slot(sp, w_obj)
                sp += 1
            elif opcode == op.ARITH:
                sp -= 1
                frame.set_slot(sp - 1, self.arith(a, frame.get_slot(sp - 1),
                                                  frame.get_slot(sp)))
            elif opcode == op.COMPARE:
                sp -= 1
                frame.set_slot(sp - 1, w_bool(self.compare(a, frame.get_slot(sp - 1),
                                                           frame.get_slot(sp))))
            elif opcode == op.UNARY:
                w_operand = frame.get_slot(sp - 1)
                if a == op.UN_MINUS:
                    w_result = operators.unary_minus(self, w_operand)
                elif a == op.UN_BNOT:
                    w_result = operators.bitwise_not(self, w_operand)
                else:
                    w_result = operators.length(self, w_operand)
                frame.set_slot(sp - 1, w_result)
            elif opcode == op.NOT:
                frame.set_slot(sp - 1, w_bool(not frame.get_slot(sp - 1).is_truthy()))
            elif opcode == op.CONCAT:
                if a == 2:
                    w_result = operators.concat2(self, frame.get_slot(sp - 2),
                                                 frame.get_slot(sp - 1))
                else:
                    w_result = self.concat_many(frame, sp - a, sp)
                sp -= a
                frame.set_slot(sp, w_result)
                sp += 1
            elif opcode == op.POP:
                sp -= a
            elif opcode == op.JUMP:
                pc = a
            elif opcode == op.JUMP_BACK:
                pc = a
                frame.clear_above(sp)
                jitdriver.can_enter_jit(pc=pc, code=code, sp=sp, frame=frame,
                                        self=self)
            elif opcode == op.JUMP_IF_FALSE:
                sp -= 1
                if not frame.get_slot(sp).is_truthy():
                    pc = a
            elif opcode == op.JUMP_IF_TRUE:
                sp -= 1
                if frame.get_slot(sp).is_truthy():
                    pc = a
            elif opcode == op.AND_JUMP:
                if not frame.get_slot(sp - 1).is_truthy():
                    pc = a
                else:
                    sp -= 1
            elif opcode == op.OR_JUMP:
                if frame.get_slot(sp - 1).is_truthy():
                    pc = a
                else:
                    sp -= 1
            elif opcode == op.CALL:
                base = code.num_slots + a
                args = frame.read_values(base + 1, sp)
                self.next_call_site = code.operand_name(pc - 3, 0)
                results = self.call_from_lua(frame.get_slot(base), args)
                sp = self.push_results(frame, base, results, b)
            elif opcode == op.TAILCALL:
                base = code.num_slots + a
                w_function = frame.get_slot(base)
                frame.tail_function = w_function
                frame.tail_args = frame.read_values(base + 1, sp)
                if not isinstance(w_function, W_Closure):
                    # builtins and __call run while this frame is current,
                    # so that their errors get this frame's position
                    self.next_call_site = code.operand_name(pc - 3, 0)
                    results = self.call_from_lua(w_function, frame.tail_args)
                    frame.tail_function = None
                    frame.tail_args = None
                    return results
                return []
            elif opcode == op.RETURN:
                base = code.num_slots + a
                if (sp == base + 1 and sp <= len(frame.stack) and
                        frame.tbc_slots is None):
                    self.single_result = frame.get_slot(base)
                    return ONE_RESULT
                results = frame.read_values(base, sp)
                if frame.tbc_slots is not None:
                    self.close_variables(frame, 0, w_nil)
                return results
            elif opcode == op.VARARG:
                varargs = frame.varargs
                if a < 0:
                    for w_value in varargs:
                        frame.write_value(sp, w_value)
                        sp += 1
                else:
                    for i in range(a):
                        if i < len(varargs):
                            frame.set_slot(sp, varargs[i])
                        else:
                            frame.set_slot(sp, w_nil)
                        sp += 1
            elif opcode == op.CLOSURE:
                frame.set_slot(sp, self.make_closure(frame, code.children[a]))
                sp += 1
            elif opcode == op.NEW_TABLE:
                frame.set_slot(sp, W_Table())
                sp += 1
            elif opcode == op.SET_LIST:
                base = code.num_slots + a
                w_table = frame.get_slot(base)
                assert isinstance(w_table, W_Table)
                w_table.set_list(b, frame.read_values(base + 1, sp))
                sp = base + 1
            elif opcode == op.TABLE_SET:
                w_table = frame.get_slot(code.num_slots + a)
                assert isinstance(w_table, W_Table)
                sp -= 2
                w_table.set(frame.get_slot(sp), frame.get_slot(sp + 1))
            elif opcode == op.FOR_PREP:
                if jit.we_are_jitted():
                    loopentry.entering_for_loop(code, pc, frame)
                if self.for_prep(frame, a, sp):
                    frame.set_slot(sp - 3, frame.get_slot(a))
                    sp -= 2
                else:
                    sp -= 3
                    pc = b
            elif opcode == op.FOR_LOOP:
                w_next = self.for_loop(frame, a)
                if w_next is not None:
                    if bytecode[b] == op.STORE_LOCAL:
                        # store the loop variable now: at the loop header
                        # its slot then holds this iteration's box, not the
                        # dead one of the previous iteration (which a JIT
                        # loop would have to allocate)
                        frame.set_slot(bytecode[b + 1], w_next)
                        pc = b + 3
                    else:
                        frame.set_slot(sp, w_next)
                        sp += 1
                        pc = b
                    frame.clear_above(sp)
                    if jit.we_are_jitted():
                        loopentry.back_edge(code, pc, frame,
                                            jit.current_trace_length())
                    jitdriver.can_enter_jit(pc=pc, code=code, sp=sp, frame=frame,
                                            self=self)
            elif opcode == op.TFOR_CALL:
                base_slot = a & 0xffff
                count = a >> 16
                step = self.cursor_step(frame, base_slot, count, sp)
                if step == STEPPED:
                    sp += count
                    continue
                if step == TRAVERSED:
                    pc = b
                    continue
                results = self.call(frame.get_slot(base_slot),
                                    [frame.get_slot(base_slot + 1),
                                     frame.get_slot(base_slot + 2)],
                                    "for iterator 'for iterator'")
                if len(results) == 0 or results[0] is w_nil:
                    pc = b
                else:
                    frame.set_slot(base_slot + 2, results[0])
                    for i in range(count):
                        if i < len(results):
                            frame.set_slot(sp, results[i])
                        else:
                            frame.set_slot(sp, w_nil)
                        sp += 1
            elif opcode == op.MARK_CLOSE:
                self.mark_close(frame, a)
            elif opcode == op.CLOSE:
                if frame.tbc_slots is not None:
                    self.close_variables(frame, a, w_nil)
            else:
                raise AssertionError("bad opcode")

    # ------------------------------------------------------- loop helpers

    @jit.unroll_safe
    def cursor_step(self, frame, base_slot, count, sp):
        """One step of a generic for whose iterator is `next` over a
        table, by position (traversal.py): STEPPED with the `count` loop
        variables stored from `sp` on, TRAVERSED at the end, or NO_CURSOR
        when the loop must call its iterator."""
        if frame.get_slot(base_slot) is not NEXT:
            return NO_CURSOR
        w_state = frame.get_slot(base_slot + 1)
        w_control = frame.get_slot(base_slot + 2)
        if isinstance(w_control, traversal.TraversalCursor):
            w_table = w_control.w_table
            if w_table is not w_state:
                return NO_CURSOR
            start = w_control.position + 1
        elif w_control is w_nil:
            # the first step; a control that is a key (`for k, v in next,
            # t, k0`) is for `next` itself to look up
            w_table = table_or_none(w_state)
            if w_table is None:
                return NO_CURSOR
            start = 0
        else:
            return NO_CURSOR
        position = w_table.filled_position_from(start)
        if position < 0:
            return TRAVERSED
        frame.set_slot(base_slot + 2, traversal.TraversalCursor(w_table, position))
        frame.set_slot(sp, w_table.key_at(position))
        if count > 1:
            frame.set_slot(sp + 1, w_table.value_at(position))
            for i in range(2, count):
                frame.set_slot(sp + i, w_nil)
        return STEPPED

    @jit.unroll_safe
    def push_results(self, frame, base, results, wanted):
        """Store call results at frame index `base`; returns the new sp."""
        if wanted < 0:
            for i in range(len(results)):
                frame.write_value(base + i, results[i])
            return base + len(results)
        for i in range(wanted):
            if i < len(results):
                frame.set_slot(base + i, results[i])
            else:
                frame.set_slot(base + i, w_nil)
        return base + wanted

    @jit.unroll_safe
    def concat_many(self, frame, start, end):
        """`..` of the operand stack entries start..end-1.  When all are
        strings or numbers (no __concat can apply) the pieces are joined
        right to left with RPython's string +, which a JIT trace keeps
        virtual up to the one final string; otherwise concat_values takes
        the list, for the metamethods and the errors (and for long chains,
        where the joins from the right would copy too much)."""
        if end - start > 8:
            return operators.concat_values(self, frame.read_values(start, end))
        for i in range(start, end):
            w_value = frame.get_slot(i)
            if not isinstance(w_value, W_String) and not isinstance(w_value, W_Number):
                return operators.concat_values(self, frame.read_values(start, end))
        result = operators.concat_piece(frame.get_slot(end - 1))
        i = end - 2
        while i >= start:
            result = operators.concat_piece(frame.get_slot(i)) + result
            i -= 1
        return W_PlainString(result)

    @jit.unroll_safe
    def make_closure(self, frame, child):
        upvalues = [None] * len(child.upvalue_source)
        for i in range(len(child.upvalue_source)):
            source = child.upvalue_source[i]
            if child.upvalue_from_local[i]:
                cell = frame.get_slot(source)
                assert isinstance(cell, Cell)
                upvalues[i] = cell
            else:
                upvalues[i] = frame.closure.upvalues[source]
        return W_Closure(child, upvalues)

    def get_field(self, w_obj, w_key):
        if isinstance(w_obj, W_Table):
            w_value = w_obj.get_hashed(w_key)
            if w_value is not w_nil or w_obj.w_metatable is None:
                return w_value
        return operators.index(self, w_obj, w_key)

    def set_field(self, w_obj, w_key, w_value):
        if isinstance(w_obj, W_Table) and w_obj.w_metatable is None:
            w_obj.set_hashed(w_key, w_value)
            return
        operators.set_index(self, w_obj, w_key, w_value)

    def get_index(self, w_obj, w_key):
        if isinstance(w_obj, W_Table):
            w_value = w_obj.get(w_key)
            if w_value is not w_nil or w_obj.w_metatable is None:
                return w_value
        return operators.index(self, w_obj, w_key)

    def set_index(self, w_obj, w_key, w_value):
        if isinstance(w_obj, W_Table) and w_obj.w_metatable is None:
            w_obj.set(w_key, w_value)
            return
        operators.set_index(self, w_obj, w_key, w_value)

    def arith(self, opnum, w_a, w_b):
        if isinstance(w_a, W_Integer) and isinstance(w_b, W_Integer):
            a = w_a.intval
            b = w_b.intval
            if opnum == op.ARITH_ADD:
                return w_int(intmask(r_uint(a) + r_uint(b)))
            if opnum == op.ARITH_SUB:
                return w_int(intmask(r_uint(a) - r_uint(b)))
        elif isinstance(w_a, W_Float) and isinstance(w_b, W_Float):
            if opnum == op.ARITH_ADD:
                return W_Float(w_a.floatval + w_b.floatval)
            if opnum == op.ARITH_MUL:
                return W_Float(w_a.floatval * w_b.floatval)
        return operators.arith(self, opnum, w_a, w_b)

    def compare(self, cmp, w_a, w_b):
        if isinstance(w_a, W_Integer) and isinstance(w_b, W_Integer):
            a = w_a.intval
            b = w_b.intval
            if cmp == op.CMP_LT:
                return a < b
            if cmp == op.CMP_LE:
                return a <= b
            if cmp == op.CMP_EQ:
                return a == b
        return operators.compare(self, cmp, w_a, w_b)

    def for_prep(self, frame, slot, sp):
        """Set up a numeric for loop from the three values on the stack;
        False if it runs zero times."""
        w_init = frame.get_slot(sp - 3)
        w_limit = frame.get_slot(sp - 2)
        w_step = frame.get_slot(sp - 1)
        if not isinstance(w_init, W_Integer) and not isinstance(w_init, W_Float):
            raise LuaRuntimeError("bad 'for' initial value (number expected, got %s)" %
                                  operators.type_name_for_error(w_init))
        if not isinstance(w_limit, W_Integer) and not isinstance(w_limit, W_Float):
            raise LuaRuntimeError("bad 'for' limit (number expected, got %s)" %
                                  operators.type_name_for_error(w_limit))
        if not isinstance(w_step, W_Integer) and not isinstance(w_step, W_Float):
            raise LuaRuntimeError("bad 'for' step (number expected, got %s)" %
                                  operators.type_name_for_error(w_step))
        if isinstance(w_init, W_Integer) and isinstance(w_step, W_Integer):
            init = w_init.intval
            step = w_step.intval
            if step == 0:
                raise LuaRuntimeError("'for' step is zero")
            if isinstance(w_limit, W_Integer):
                limit = w_limit.intval
            else:
                assert isinstance(w_limit, W_Float)
                f = w_limit.floatval
                if math.isnan(f):
                    return False
                if f >= 9223372036854775808.0:
                    limit = MAXINT
                elif f < -9223372036854775808.0:
                    limit = MININT
                elif step > 0:
                    limit = int(math.floor(f))
                else:
                    limit = int(math.ceil(f))
            if step > 0:
                if init > limit:
                    return False
                count = (r_uint(limit) - r_uint(init)) // r_uint(step)
            else:
                if init < limit:
                    return False
                count = (r_uint(init) - r_uint(limit)) // (r_uint(-(step + 1)) + r_uint(1))
            frame.set_slot(slot, w_init)
            frame.set_slot(slot + 1, w_int(intmask(count)))
            frame.set_slot(slot + 2, w_step)
            return True
        init = operators.tofloat(w_init)
        limit = operators.tofloat(w_limit)
        step = operators.tofloat(w_step)
        if step == 0.0:
            raise LuaRuntimeError("'for' step is zero")
        if step > 0.0:
            if not (init <= limit):
                return False
        elif not (init >= limit):
            return False
        frame.set_slot(slot, W_Float(init))
        frame.set_slot(slot + 1, W_Float(limit))
        frame.set_slot(slot + 2, W_Float(step))
        return True

    def for_loop(self, frame, slot):
        """Advance a numeric for loop; the new control value or None."""
        w_step = frame.get_slot(slot + 2)
        if isinstance(w_step, W_Integer):
            w_count = frame.get_slot(slot + 1)
            assert isinstance(w_count, W_Integer)
            count = r_uint(w_count.intval)
            if count == 0:
                return None
            w_index = frame.get_slot(slot)
            assert isinstance(w_index, W_Integer)
            next_value = intmask(r_uint(w_index.intval) + r_uint(w_step.intval))
            # the control slot and the visible variable get boxes of their
            # own: a box in two slots would be allocated on each iteration
            # of a JIT loop (aliased virtuals are forced at the back edge)
            frame.set_slot(slot, w_int(next_value))
            w_next = w_int(next_value)
            frame.set_slot(slot + 1, w_int(intmask(count - 1)))
            return w_next
        assert isinstance(w_step, W_Float)
        w_index = frame.get_slot(slot)
        w_limit = frame.get_slot(slot + 1)
        assert isinstance(w_index, W_Float) and isinstance(w_limit, W_Float)
        step = w_step.floatval
        value = w_index.floatval + step
        if step > 0.0:
            if not (value <= w_limit.floatval):
                return None
        elif not (value >= w_limit.floatval):
            return None
        frame.set_slot(slot, W_Float(value))
        return W_Float(value)
