"""The bytecode interpreter: frames, the dispatch loop, calls and errors.

Each Lua call runs `Interpreter.execute` on a fresh `Frame` (a recursive
interpreter: a Lua call is an RPython call).  Frames form a linked list
through `parent` (used for error levels and tracebacks).  Proper tail calls
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
from targets.lua import operators
from targets.lua import traceback
from targets.lua.compiler import compile_source
from targets.lua.errors import LuaError, LuaRuntimeError, LuaSyntaxError
from targets.lua.objects import (W_Object, W_Nil, W_Integer, W_Float, W_String,
                                 W_Closure, W_Builtin, W_Function, Cell,
                                 w_nil, w_true, w_false, w_int, w_bool)
from targets.lua.operators import OperandError
from targets.lua.arguments import ArgumentError
from targets.lua.table import W_Table
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


def get_printable_location(pc, code):
    return "%s:%d %s" % (code.chunkname, code.line_at(pc),
                         op.OPCODE_NAMES[code.bytecode[pc]])


jitdriver = jit.JitDriver(greens=["pc", "code"], reds=["sp", "frame", "self"],
                          get_printable_location=get_printable_location)


def stack_slice(stack, start, end):
    """stack[start:end] (the annotator needs the bounds proven sane)."""
    assert start >= 0
    assert end >= start
    return stack[start:end]


class Frame(object):
    """Activation of one Lua function: slots + operand stack in `stack`."""

    def __init__(self, closure, args, parent):
        code = closure.code
        self.closure = closure
        self.code = code
        self.parent = parent
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
            self.varargs = []
        self.tbc_slots = None         # slots of pending <close> variables
        self.tail_function = None
        self.tail_args = None
        self.call_site = ""           # how the caller named us ("local 'f'")
        self.is_tail_call = False

    def current_line(self):
        return self.code.line_at(self.pc)

    def position(self):
        return "%s:%d:" % (self.code.chunkname, self.current_line())

    def ensure_stack(self, size):
        if size > len(self.stack):
            self.stack.extend([w_nil] * (size - len(self.stack)))


class Interpreter(object):
    def __init__(self):
        self.w_globals = W_Table()
        self.string_metatable = None
        self.current_frame = None
        self.call_depth = 0
        self.c_calls = 0              # nested calls made outside CALL
        self.next_call_site = ""      # call site name for the next callee
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
        if isinstance(w_handler, W_Nil):
            raise OperandError("attempt to call a %s value" % w_func.type_name, 0)
        return self.call_from_lua(w_handler, [w_func] + args)

    def call_builtin(self, w_func, args):
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
        frame = Frame(w_closure, args, self.current_frame)
        frame.call_site = self.next_call_site
        self.next_call_site = ""
        saved_frame = self.current_frame
        saved_nesting = self.builtin_nesting
        self.current_frame = frame
        self.builtin_nesting = 0
        self.call_depth += 1
        try:
            try:
                return self.execute(frame)
            except StackOverflow:
                check_stack_overflow()
                raise LuaRuntimeError("stack overflow")
        finally:
            self.current_frame = saved_frame
            self.builtin_nesting = saved_nesting
            self.call_depth -= 1

    def execute(self, frame):
        while True:
            try:
                results = self.run(frame)
            except LuaRuntimeError as e:
                error = LuaError(W_String("%s %s" % (frame.position(),
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
            if w_tail is None:
                return results
            args = frame.tail_args
            if frame.tbc_slots is not None:
                self.close_variables(frame, 0, w_nil)
            if not isinstance(w_tail, W_Closure):
                return self.call_from_lua(w_tail, args)
            frame = Frame(w_tail, args, frame.parent)
            frame.is_tail_call = True
            self.current_frame = frame

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

    def close_variables(self, frame, level, w_error):
        slots = frame.tbc_slots
        while slots is not None and len(slots) > 0 and slots[-1] >= level:
            slot = slots.pop()
            w_value = frame.stack[slot]
            if isinstance(w_value, Cell):
                w_value = w_value.w_value
            w_handler = operators.get_metamethod(self, w_value, operators.MM_CLOSE)
            if not isinstance(w_handler, W_Nil):
                self.call(w_handler, [w_value, w_error], "metamethod 'close'")

    def mark_close(self, frame, slot):
        w_value = frame.stack[slot]
        if isinstance(w_value, Cell):
            w_value = w_value.w_value
        if not w_value.is_truthy():
            return
        w_handler = operators.get_metamethod(self, w_value, operators.MM_CLOSE)
        if isinstance(w_handler, W_Nil):
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
        code = frame.code
        pc = 0
        sp = code.num_slots
        while True:
            jitdriver.jit_merge_point(pc=pc, code=code, sp=sp, frame=frame,
                                      self=self)
            frame.pc = pc
            stack = frame.stack
            bytecode = code.bytecode
            opcode = bytecode[pc]
            a = bytecode[pc + 1]
            b = bytecode[pc + 2]
            pc += 3
            if opcode == op.LOAD_LOCAL:
                stack[sp] = stack[a]
                sp += 1
            elif opcode == op.STORE_LOCAL:
                sp -= 1
                stack[a] = stack[sp]
            elif opcode == op.LOAD_CONST:
                stack[sp] = code.constants[a]
                sp += 1
            elif opcode == op.LOAD_CELL:
                cell = stack[a]
                assert isinstance(cell, Cell)
                stack[sp] = cell.w_value
                sp += 1
            elif opcode == op.STORE_CELL:
                cell = stack[a]
                assert isinstance(cell, Cell)
                sp -= 1
                cell.w_value = stack[sp]
            elif opcode == op.NEW_CELL:
                sp -= 1
                stack[a] = Cell(stack[sp])
            elif opcode == op.LOAD_UPVAL:
                stack[sp] = frame.closure.upvalues[a].w_value
                sp += 1
            elif opcode == op.STORE_UPVAL:
                sp -= 1
                frame.closure.upvalues[a].w_value = stack[sp]
            elif opcode == op.LOAD_NIL:
                for i in range(a):
                    stack[sp] = w_nil
                    sp += 1
            elif opcode == op.LOAD_TRUE:
                stack[sp] = w_true
                sp += 1
            elif opcode == op.LOAD_FALSE:
                stack[sp] = w_false
                sp += 1
            elif opcode == op.GET_GLOBAL:
                w_env = frame.closure.upvalues[a].w_value
                stack[sp] = self.get_field(w_env, code.constants[b])
                sp += 1
            elif opcode == op.SET_GLOBAL:
                w_env = frame.closure.upvalues[a].w_value
                sp -= 1
                self.set_field(w_env, code.constants[b], stack[sp])
            elif opcode == op.GET_FIELD:
                stack[sp - 1] = self.get_field(stack[sp - 1], code.constants[a])
            elif opcode == op.GET_INDEX:
                sp -= 1
                stack[sp - 1] = self.get_index(stack[sp - 1], stack[sp])
            elif opcode == op.SET_FIELD:
                sp -= 2
                self.set_field(stack[sp], code.constants[a], stack[sp + 1])
            elif opcode == op.SET_INDEX:
                sp -= 3
                self.set_index(stack[sp], stack[sp + 1], stack[sp + 2])
            elif opcode == op.METHOD:
                w_obj = stack[sp - 1]
                stack[sp - 1] = self.get_field(w_obj, code.constants[a])
                stack[sp] = w_obj
                sp += 1
            elif opcode == op.ARITH:
                sp -= 1
                stack[sp - 1] = self.arith(a, stack[sp - 1], stack[sp])
            elif opcode == op.COMPARE:
                sp -= 1
                stack[sp - 1] = w_bool(self.compare(a, stack[sp - 1], stack[sp]))
            elif opcode == op.UNARY:
                w_operand = stack[sp - 1]
                if a == op.UN_MINUS:
                    w_result = operators.unary_minus(self, w_operand)
                elif a == op.UN_BNOT:
                    w_result = operators.bitwise_not(self, w_operand)
                else:
                    w_result = operators.length(self, w_operand)
                stack[sp - 1] = w_result
            elif opcode == op.NOT:
                stack[sp - 1] = w_bool(not stack[sp - 1].is_truthy())
            elif opcode == op.CONCAT:
                if a == 2:
                    w_result = operators.concat2(self, stack[sp - 2], stack[sp - 1])
                else:
                    w_result = operators.concat_values(self, stack_slice(stack, sp - a, sp))
                sp -= a
                stack[sp] = w_result
                sp += 1
            elif opcode == op.POP:
                sp -= a
            elif opcode == op.JUMP:
                pc = a
            elif opcode == op.JUMP_BACK:
                pc = a
                jitdriver.can_enter_jit(pc=pc, code=code, sp=sp, frame=frame,
                                        self=self)
            elif opcode == op.JUMP_IF_FALSE:
                sp -= 1
                if not stack[sp].is_truthy():
                    pc = a
            elif opcode == op.JUMP_IF_TRUE:
                sp -= 1
                if stack[sp].is_truthy():
                    pc = a
            elif opcode == op.AND_JUMP:
                if not stack[sp - 1].is_truthy():
                    pc = a
                else:
                    sp -= 1
            elif opcode == op.OR_JUMP:
                if stack[sp - 1].is_truthy():
                    pc = a
                else:
                    sp -= 1
            elif opcode == op.CALL:
                base = code.num_slots + a
                args = stack_slice(stack, base + 1, sp)
                self.next_call_site = code.operand_name(frame.pc, 0)
                results = self.call_from_lua(stack[base], args)
                sp = self.push_results(frame, base, results, b)
            elif opcode == op.TAILCALL:
                base = code.num_slots + a
                frame.tail_function = stack[base]
                frame.tail_args = stack_slice(stack, base + 1, sp)
                if not isinstance(frame.tail_function, W_Closure):
                    # builtins and __call run while this frame is current,
                    # so that their errors get this frame's position
                    self.next_call_site = code.operand_name(frame.pc, 0)
                    results = self.call_from_lua(stack[base], frame.tail_args)
                    frame.tail_function = None
                    frame.tail_args = None
                    return results
                return []
            elif opcode == op.RETURN:
                base = code.num_slots + a
                results = stack_slice(stack, base, sp)
                if frame.tbc_slots is not None:
                    self.close_variables(frame, 0, w_nil)
                return results
            elif opcode == op.VARARG:
                varargs = frame.varargs
                if a < 0:
                    frame.ensure_stack(sp + len(varargs) + 1)
                    stack = frame.stack
                    for w_value in varargs:
                        stack[sp] = w_value
                        sp += 1
                else:
                    for i in range(a):
                        if i < len(varargs):
                            stack[sp] = varargs[i]
                        else:
                            stack[sp] = w_nil
                        sp += 1
            elif opcode == op.CLOSURE:
                stack[sp] = self.make_closure(frame, code.children[a])
                sp += 1
            elif opcode == op.NEW_TABLE:
                stack[sp] = W_Table()
                sp += 1
            elif opcode == op.SET_LIST:
                base = code.num_slots + a
                w_table = stack[base]
                assert isinstance(w_table, W_Table)
                for i in range(sp - base - 1):
                    w_table.set_int(b + i, stack[base + 1 + i])
                sp = base + 1
            elif opcode == op.TABLE_SET:
                w_table = stack[code.num_slots + a]
                assert isinstance(w_table, W_Table)
                sp -= 2
                w_table.set(stack[sp], stack[sp + 1])
            elif opcode == op.FOR_PREP:
                if self.for_prep(stack, a, sp):
                    stack[sp - 3] = stack[a]
                    sp -= 2
                else:
                    sp -= 3
                    pc = b
            elif opcode == op.FOR_LOOP:
                w_next = self.for_loop(stack, a)
                if w_next is not None:
                    stack[sp] = w_next
                    sp += 1
                    pc = b
                    jitdriver.can_enter_jit(pc=pc, code=code, sp=sp, frame=frame,
                                            self=self)
            elif opcode == op.TFOR_CALL:
                base_slot = a & 0xffff
                count = a >> 16
                results = self.call(stack[base_slot],
                                    [stack[base_slot + 1], stack[base_slot + 2]],
                                    "for iterator 'for iterator'")
                if len(results) == 0 or isinstance(results[0], W_Nil):
                    pc = b
                else:
                    stack[base_slot + 2] = results[0]
                    for i in range(count):
                        if i < len(results):
                            stack[sp] = results[i]
                        else:
                            stack[sp] = w_nil
                        sp += 1
            elif opcode == op.MARK_CLOSE:
                self.mark_close(frame, a)
            elif opcode == op.CLOSE:
                if frame.tbc_slots is not None:
                    self.close_variables(frame, a, w_nil)
            else:
                raise AssertionError("bad opcode")

    # ------------------------------------------------------- loop helpers

    def push_results(self, frame, base, results, wanted):
        """Store call results at frame index `base`; returns the new sp."""
        stack = frame.stack
        if wanted < 0:
            frame.ensure_stack(base + len(results) + 1)
            stack = frame.stack
            for i in range(len(results)):
                stack[base + i] = results[i]
            return base + len(results)
        for i in range(wanted):
            if i < len(results):
                stack[base + i] = results[i]
            else:
                stack[base + i] = w_nil
        return base + wanted

    def make_closure(self, frame, child):
        upvalues = [None] * len(child.upvalue_source)
        for i in range(len(child.upvalue_source)):
            source = child.upvalue_source[i]
            if child.upvalue_from_local[i]:
                cell = frame.stack[source]
                assert isinstance(cell, Cell)
                upvalues[i] = cell
            else:
                upvalues[i] = frame.closure.upvalues[source]
        return W_Closure(child, upvalues)

    def get_field(self, w_obj, w_key):
        if isinstance(w_obj, W_Table):
            w_value = w_obj.get_hashed(w_key)
            if not isinstance(w_value, W_Nil) or w_obj.w_metatable is None:
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
            if not isinstance(w_value, W_Nil) or w_obj.w_metatable is None:
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

    def for_prep(self, stack, slot, sp):
        """Set up a numeric for loop from the three values on the stack;
        False if it runs zero times."""
        w_init = stack[sp - 3]
        w_limit = stack[sp - 2]
        w_step = stack[sp - 1]
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
            stack[slot] = w_init
            stack[slot + 1] = w_int(intmask(count))
            stack[slot + 2] = w_step
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
        stack[slot] = W_Float(init)
        stack[slot + 1] = W_Float(limit)
        stack[slot + 2] = W_Float(step)
        return True

    def for_loop(self, stack, slot):
        """Advance a numeric for loop; the new control value or None."""
        w_step = stack[slot + 2]
        if isinstance(w_step, W_Integer):
            w_count = stack[slot + 1]
            assert isinstance(w_count, W_Integer)
            count = r_uint(w_count.intval)
            if count == 0:
                return None
            w_index = stack[slot]
            assert isinstance(w_index, W_Integer)
            w_next = w_int(intmask(r_uint(w_index.intval) + r_uint(w_step.intval)))
            stack[slot] = w_next
            stack[slot + 1] = w_int(intmask(count - 1))
            return w_next
        assert isinstance(w_step, W_Float)
        w_index = stack[slot]
        w_limit = stack[slot + 1]
        assert isinstance(w_index, W_Float) and isinstance(w_limit, W_Float)
        step = w_step.floatval
        value = w_index.floatval + step
        if step > 0.0:
            if not (value <= w_limit.floatval):
                return None
        elif not (value >= w_limit.floatval):
            return None
        w_next = W_Float(value)
        stack[slot] = w_next
        return w_next
