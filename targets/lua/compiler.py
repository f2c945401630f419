"""Compiler: AST -> Code (bytecode described in opcodes.py).

One `FunctionCompiler` per Lua function.  It assigns every local variable
a frame slot (slots are reused when a block ends) and tracks the operand
stack depth statically, so that variable-count instructions can name the
frame index where their values start.  A local that an inner function
captures lives in a `Cell` in its slot; since every execution of its
declaration makes a fresh cell, each loop iteration gets its own variable,
and nothing needs to be "closed" when a scope ends (only `<close>`
variables, handled by MARK_CLOSE/CLOSE).

Error-message help: for instructions that can fail on an operand (calls,
indexing, arithmetic), the compiler records a description of the operand
("global 'x'", "local 't'", "field 'k'", "method 'm'") that the interpreter
appends to the message, as PUC Lua does.
"""
from targets.lua import astnodes as ast
from targets.lua import opcodes as op
from targets.lua.code import Code
from targets.lua.errors import LuaSyntaxError
from targets.lua.objects import W_Integer, W_Float, W_PlainString

# SET_LIST flushes positional table items in batches of this size
LIST_BATCH = 50


class Label(object):
    def __init__(self, name, pc, active_slots, line):
        self.name = name
        self.pc = pc
        self.active_slots = active_slots
        self.line = line


class PendingGoto(object):
    def __init__(self, name, close_pc, jump_pc, active_slots, line):
        self.name = name
        self.close_pc = close_pc      # CLOSE instruction to patch
        self.jump_pc = jump_pc        # JUMP instruction to patch
        self.active_slots = active_slots
        self.line = line


class BlockState(object):
    def __init__(self, parent, start_slot, is_loop):
        self.parent = parent
        self.start_slot = start_slot
        self.is_loop = is_loop
        self.labels = []
        self.pending_gotos = []
        self.break_jumps = []         # for loops: JUMP pcs to patch to the exit
        self.has_close = False


class FunctionCompiler(object):
    def __init__(self, func, parent, chunkname):
        self.func = func
        self.parent = parent
        self.chunkname = chunkname
        self.scope = func.scope
        # growable lists, frozen into the Code when the function is done
        self.bytecode = []
        self.lines = []
        self.operand_names = []
        self.constants = []
        self.children = []
        self.upvalue_from_local = []
        self.upvalue_source = []
        self.upvalue_names = []
        self.next_slot = 0
        self.max_slots = 0
        self.depth = 0
        self.max_depth = 0
        self.block = None
        self.close_count = 0          # active <close> variables
        self.line = func.line
        self.string_constants = {}
        self.int_constants = {}
        self.upvalue_vars = []
        self.parser_env_var = None    # main chunk only: the _ENV VarInfo
        self.active_locals = []       # declared variables in scope, in order

    # -------------------------------------------------------------- emitting

    def error(self, message, line):
        raise LuaSyntaxError("%s:%d: %s" % (self.chunkname, line, message))

    def emit(self, opcode, a=0, b=0, name_a="", name_b=""):
        pc = len(self.bytecode)
        self.bytecode.append(opcode)
        self.bytecode.append(a)
        self.bytecode.append(b)
        self.lines.append(self.line)
        self.operand_names.append(name_a)
        self.operand_names.append(name_b)
        return pc

    def here(self):
        return len(self.bytecode)

    def patch_a(self, pc, value):
        self.bytecode[pc + 1] = value

    def patch_b(self, pc, value):
        self.bytecode[pc + 2] = value

    def push(self, count):
        self.depth += count
        if self.depth > self.max_depth:
            self.max_depth = self.depth

    def pop(self, count):
        self.depth -= count
        assert self.depth >= 0

    def base(self):
        """Frame index of the next value pushed."""
        return self.depth

    def constant_str(self, value):
        index = self.string_constants.get(value, -1)
        if index < 0:
            index = len(self.constants)
            self.constants.append(W_PlainString(value))
            self.string_constants[value] = index
        return index

    def constant_int(self, value):
        index = self.int_constants.get(value, -1)
        if index < 0:
            index = len(self.constants)
            self.constants.append(W_Integer(value))
            self.int_constants[value] = index
        return index

    def constant_float(self, value):
        index = len(self.constants)
        self.constants.append(W_Float(value))
        return index

    # ------------------------------------------------------- slots and scopes

    def allocate_slot(self):
        slot = self.next_slot
        self.next_slot += 1
        if self.next_slot > self.max_slots:
            self.max_slots = self.next_slot
        return slot

    def open_block(self, is_loop=False):
        self.block = BlockState(self.block, self.next_slot, is_loop)
        return self.block

    def close_block(self):
        block = self.block
        if block.has_close:
            self.emit(op.CLOSE, block.start_slot)
        self.next_slot = block.start_slot
        while self.active_locals and self.active_locals[-1].slot >= block.start_slot:
            self.active_locals.pop()
        parent = block.parent
        for pending in block.pending_gotos:
            if parent is None:
                self.error("no visible label '%s' for <goto> at line %d" % (
                    pending.name, pending.line), pending.line)
            pending.active_slots = min(pending.active_slots, block.start_slot)
            parent.pending_gotos.append(pending)
        self.block = parent
        return block

    def declare_local(self, var):
        var.slot = self.allocate_slot()
        self.active_locals.append(var)

    def store_new_local(self, var):
        """Pop TOS into a freshly declared variable."""
        if var.captured:
            self.emit(op.NEW_CELL, var.slot)
        else:
            self.emit(op.STORE_LOCAL, var.slot)
        self.pop(1)
        if var.attrib == "close":
            self.emit(op.MARK_CLOSE, var.slot, 0, var.name)
            self.block.has_close = True
            self.close_count += 1

    # ------------------------------------------------------------- upvalues

    def find_upvalue(self, var):
        for i in range(len(self.upvalue_vars)):
            if self.upvalue_vars[i] is var:
                return i
        index = len(self.upvalue_vars)
        self.upvalue_vars.append(var)
        self.upvalue_names.append(var.name)
        parent = self.parent
        if parent is None:
            # the main chunk's only free variable is _ENV, given by the loader
            self.upvalue_from_local.append(False)
            self.upvalue_source.append(0)
        elif var.function is parent.scope:
            self.upvalue_from_local.append(True)
            self.upvalue_source.append(var.slot)
        else:
            self.upvalue_from_local.append(False)
            self.upvalue_source.append(parent.find_upvalue(var))
        return index

    # -------------------------------------------------------------- function

    def compile_function(self):
        func = self.func
        if self.parent is None:
            self.find_upvalue(self.parser_env_var)
        self.open_block()
        for param in func.params:
            self.declare_local(param)
        for param in func.params:
            if param.captured:
                # parameters arrive as plain values; box the captured ones
                self.emit(op.LOAD_LOCAL, param.slot)
                self.push(1)
                self.emit(op.NEW_CELL, param.slot)
                self.pop(1)
        self.compile_block_body(func.body)
        self.line = func.end_line
        self.emit(op.RETURN, self.base())
        self.close_block_final()
        constants = [None] * len(self.constants)
        for i in range(len(self.constants)):
            constants[i] = self.constants[i]
        children = [None] * len(self.children)
        for i in range(len(self.children)):
            children[i] = self.children[i]
        code = Code(func.name, self.chunkname, func.line,
                    freeze_ints(self.bytecode), freeze_ints(self.lines),
                    freeze_strings(self.operand_names), constants, children,
                    len(func.params), func.is_vararg, self.max_slots,
                    self.max_slots + self.max_depth + 1,
                    freeze_bools(self.upvalue_from_local),
                    freeze_ints(self.upvalue_source),
                    freeze_strings(self.upvalue_names))
        return code

    def close_block_final(self):
        block = self.block
        for pending in block.pending_gotos:
            self.error("no visible label '%s' for <goto> at line %d" % (
                pending.name, pending.line), pending.line)
        self.block = None

    # ------------------------------------------------------------ statements

    def compile_block(self, block, is_loop=False):
        self.open_block(is_loop)
        self.compile_block_body(block)
        self.close_block()

    def compile_block_body(self, block):
        stats = block.stats
        for i in range(len(stats)):
            stat = stats[i]
            if isinstance(stat, ast.LabelStat):
                self.compile_label(stat, self.only_labels_follow(stats, i + 1))
            else:
                self.compile_stat(stat)

    def only_labels_follow(self, stats, start):
        for i in range(start, len(stats)):
            if not isinstance(stats[i], ast.LabelStat):
                return False
        return True

    def compile_stat(self, stat):
        self.line = stat.line
        if isinstance(stat, ast.LocalStat):
            self.compile_local(stat)
        elif isinstance(stat, ast.AssignStat):
            self.compile_assign(stat)
        elif isinstance(stat, ast.CallStat):
            self.compile_call(stat.call, 0)
        elif isinstance(stat, ast.IfStat):
            self.compile_if(stat)
        elif isinstance(stat, ast.WhileStat):
            self.compile_while(stat)
        elif isinstance(stat, ast.NumericForStat):
            self.compile_numeric_for(stat)
        elif isinstance(stat, ast.GenericForStat):
            self.compile_generic_for(stat)
        elif isinstance(stat, ast.RepeatStat):
            self.compile_repeat(stat)
        elif isinstance(stat, ast.DoStat):
            self.compile_block(stat.body)
        elif isinstance(stat, ast.ReturnStat):
            self.compile_return(stat)
        elif isinstance(stat, ast.LocalFunctionStat):
            self.compile_local_function(stat)
        elif isinstance(stat, ast.BreakStat):
            self.compile_break(stat)
        elif isinstance(stat, ast.GotoStat):
            self.compile_goto(stat)
        else:
            raise AssertionError("unknown statement")
        assert self.depth == 0

    def compile_local(self, stat):
        count = len(stat.variables)
        self.compile_exprlist(stat.exprs, count)
        for var in stat.variables:
            self.declare_local(var)
        for i in range(count - 1, -1, -1):
            self.store_new_local(stat.variables[i])

    def compile_local_function(self, stat):
        var = stat.var
        self.declare_local(var)
        if var.captured:
            self.emit(op.LOAD_NIL, 1)
            self.push(1)
            self.emit(op.NEW_CELL, var.slot)
            self.pop(1)
            self.compile_function_expr(stat.func)
            self.emit(op.STORE_CELL, var.slot)
        else:
            self.compile_function_expr(stat.func)
            self.emit(op.STORE_LOCAL, var.slot)
        self.pop(1)

    def compile_assign(self, stat):
        targets = stat.targets
        if len(targets) == 1:
            target = targets[0]
            if isinstance(target, ast.Index):
                self.compile_expr(target.obj)
                if isinstance(target.key, ast.StrLit):
                    self.compile_exprlist(stat.exprs, 1)
                    self.emit(op.SET_FIELD, self.constant_str(target.key.strval),
                              0, self.describe(target.obj))
                    self.pop(2)
                    return
                self.compile_expr(target.key)
                self.compile_exprlist(stat.exprs, 1)
                self.emit(op.SET_INDEX, 0, 0, self.describe(target.obj))
                self.pop(3)
                return
            self.compile_exprlist(stat.exprs, 1)
            self.store_to(target)
            return
        # multiple assignment: evaluate table/key operands left to right,
        # then the values, then assign right to left
        for target in targets:
            if isinstance(target, ast.Index):
                self.compile_expr(target.obj)
                self.compile_expr(target.key)
        count = len(targets)
        self.compile_exprlist(stat.exprs, count)
        temp_start = self.next_slot
        for i in range(count):
            self.allocate_slot()
        for i in range(count - 1, -1, -1):
            self.emit(op.STORE_LOCAL, temp_start + i)
            self.pop(1)
        for i in range(count - 1, -1, -1):
            target = targets[i]
            self.emit(op.LOAD_LOCAL, temp_start + i)
            self.push(1)
            if isinstance(target, ast.Index):
                self.emit(op.SET_INDEX, 0, 0, self.describe(target.obj))
                self.pop(3)
            else:
                self.store_to(target)
        self.next_slot = temp_start

    def store_to(self, target):
        """Pop TOS into a Local or Global target."""
        if isinstance(target, ast.Local):
            var = target.var
            if var.function is self.scope:
                if var.captured:
                    self.emit(op.STORE_CELL, var.slot)
                else:
                    self.emit(op.STORE_LOCAL, var.slot)
            else:
                self.emit(op.STORE_UPVAL, self.find_upvalue(var))
            self.pop(1)
        elif isinstance(target, ast.Global):
            env = target.env
            assert isinstance(env, ast.Local)
            if env.var.function is not self.scope:
                self.emit(op.SET_GLOBAL, self.find_upvalue(env.var),
                          self.constant_str(target.name))
                self.pop(1)
            else:
                # local _ENV: value is on top, the table must go below it
                self.compile_expr(env)
                temp = self.allocate_slot()
                self.emit(op.STORE_LOCAL, temp)
                self.pop(1)
                value_temp = self.allocate_slot()
                self.emit(op.STORE_LOCAL, value_temp)
                self.pop(1)
                self.emit(op.LOAD_LOCAL, temp)
                self.emit(op.LOAD_LOCAL, value_temp)
                self.push(2)
                self.emit(op.SET_FIELD, self.constant_str(target.name))
                self.pop(2)
                self.next_slot = temp
        else:
            raise AssertionError("not assignable")

    def compile_if(self, stat):
        end_jumps = []
        for i in range(len(stat.conds)):
            self.line = stat.conds[i].line
            self.compile_expr(stat.conds[i])
            skip = self.emit(op.JUMP_IF_FALSE)
            self.pop(1)
            self.compile_block(stat.blocks[i])
            if i < len(stat.conds) - 1 or stat.else_block is not None:
                end_jumps.append(self.emit(op.JUMP))
            self.patch_a(skip, self.here())
        if stat.else_block is not None:
            self.compile_block(stat.else_block)
        for jump in end_jumps:
            self.patch_a(jump, self.here())

    def compile_while(self, stat):
        start = self.here()
        self.compile_expr(stat.cond)
        exit_jump = self.emit(op.JUMP_IF_FALSE)
        self.pop(1)
        block = self.open_block(True)
        self.compile_block_body(stat.body)
        self.close_block()
        self.line = stat.line
        self.emit(op.JUMP_BACK, start)
        self.patch_a(exit_jump, self.here())
        self.patch_breaks(block)

    def compile_repeat(self, stat):
        start = self.here()
        block = self.open_block(True)
        self.compile_block_body(stat.body)
        self.line = stat.cond.line
        self.compile_expr(stat.cond)
        if block.has_close:
            self.emit(op.CLOSE, block.start_slot)   # value on the stack survives
        exit_jump = self.emit(op.JUMP_IF_TRUE)
        self.pop(1)
        self.emit(op.JUMP_BACK, start)
        self.patch_a(exit_jump, self.here())
        block.has_close = False
        self.close_block()
        self.patch_breaks(block)

    def patch_breaks(self, block):
        for jump in block.break_jumps:
            self.patch_a(jump, self.here())

    def compile_numeric_for(self, stat):
        self.compile_expr(stat.start)
        self.compile_expr(stat.limit)
        if stat.step is not None:
            self.compile_expr(stat.step)
        else:
            self.emit(op.LOAD_CONST, self.constant_int(1))
            self.push(1)
        self.line = stat.line
        loop_block = self.open_block(True)
        control = self.allocate_slot()
        self.allocate_slot()
        self.allocate_slot()
        prep = self.emit(op.FOR_PREP, control)
        self.pop(3)
        self.push(1)
        body_start = self.here()
        self.open_block()
        self.declare_local(stat.var)
        self.store_new_local(stat.var)
        self.compile_block_body(stat.body)
        self.close_block()
        self.line = stat.line
        self.emit(op.FOR_LOOP, control, body_start)
        self.patch_b(prep, self.here())
        self.close_block()
        self.patch_breaks(loop_block)

    def compile_generic_for(self, stat):
        self.compile_exprlist(stat.exprs, 4)
        self.line = stat.line
        loop_block = self.open_block(True)
        base_slot = self.allocate_slot()
        for i in range(3):
            self.allocate_slot()
        for i in range(3, -1, -1):
            self.emit(op.STORE_LOCAL, base_slot + i)
            self.pop(1)
        self.emit(op.MARK_CLOSE, base_slot + 3)
        loop_block.has_close = True
        count = len(stat.variables)
        loop_start = self.here()
        call = self.emit(op.TFOR_CALL, base_slot | (count << 16))
        self.push(count)
        self.open_block()
        for var in stat.variables:
            self.declare_local(var)
        for i in range(count - 1, -1, -1):
            self.store_new_local(stat.variables[i])
        self.compile_block_body(stat.body)
        self.close_block()
        self.line = stat.line
        self.emit(op.JUMP_BACK, loop_start)
        self.patch_b(call, self.here())
        self.close_block()
        self.patch_breaks(loop_block)

    def compile_return(self, stat):
        exprs = stat.exprs
        if (len(exprs) == 1 and self.close_count == 0 and
                (isinstance(exprs[0], ast.Call) or isinstance(exprs[0], ast.MethodCall))):
            call = exprs[0]
            base = self.compile_call_operands(call)
            self.emit(op.TAILCALL, base, -1, self.call_site_name(call))
            self.depth = base
            return
        base = self.base()
        self.compile_exprlist_multi(exprs)
        self.emit(op.RETURN, base)
        self.depth = base

    def compile_break(self, stat):
        block = self.block
        while block is not None and not block.is_loop:
            block = block.parent
        if block is None:
            self.error("break outside a loop at line %d" % stat.line, stat.line)
        self.emit(op.CLOSE, block.start_slot)
        block.break_jumps.append(self.emit(op.JUMP))

    def compile_goto(self, stat):
        block = self.block
        while block is not None:
            for label in block.labels:
                if label.name == stat.label:
                    self.emit(op.CLOSE, label.active_slots)
                    self.emit(op.JUMP_BACK, label.pc)
                    return
            block = block.parent
        close_pc = self.emit(op.CLOSE)
        jump_pc = self.emit(op.JUMP)
        self.block.pending_gotos.append(
            PendingGoto(stat.label, close_pc, jump_pc, self.next_slot, stat.line))

    def compile_label(self, stat, at_block_end):
        block = self.block
        while block is not None:
            for label in block.labels:
                if label.name == stat.name:
                    self.error("label '%s' already defined on line %d" % (
                        stat.name, label.line), stat.line)
            block = block.parent
        active = self.next_slot
        if at_block_end:
            active = self.block.start_slot
        label = Label(stat.name, self.here(), active, stat.line)
        self.block.labels.append(label)
        remaining = []
        for pending in self.block.pending_gotos:
            if pending.name == stat.name:
                if label.active_slots > pending.active_slots:
                    self.error("<goto %s> at line %d jumps into the scope of local '%s'" % (
                        stat.name, pending.line, self.local_name_at(pending.active_slots)),
                        pending.line)
                self.patch_a(pending.close_pc, label.active_slots)
                self.patch_a(pending.jump_pc, label.pc)
            else:
                remaining.append(pending)
        self.block.pending_gotos = remaining

    def local_name_at(self, slot):
        for var in self.active_locals:
            if var.slot == slot:
                return var.name
        return "?"

    # ----------------------------------------------------------- expressions

    def describe(self, expr):
        """How PUC Lua names an operand in error messages, or ""."""
        if isinstance(expr, ast.Local):
            if expr.var.function is self.scope:
                return "local '%s'" % expr.var.name
            return "upvalue '%s'" % expr.var.name
        if isinstance(expr, ast.Global):
            return "global '%s'" % expr.name
        if isinstance(expr, ast.Index) and isinstance(expr.key, ast.StrLit):
            return "field '%s'" % expr.key.strval
        if isinstance(expr, ast.StrLit):
            return "constant '%s'" % expr.strval
        return ""

    def compile_exprlist(self, exprs, want):
        """Push exactly `want` values."""
        count = len(exprs)
        for i in range(count):
            expr = exprs[i]
            if i == count - 1 and expr.is_multi() and want > i:
                self.compile_multi(expr, want - i)
                return
            self.compile_expr(expr)
            if i >= want:
                self.emit(op.POP, 1)
                self.pop(1)
        if want > count:
            self.emit(op.LOAD_NIL, want - count)
            self.push(want - count)

    def compile_exprlist_multi(self, exprs):
        """Push all values (the last expression may give any number)."""
        count = len(exprs)
        for i in range(count):
            expr = exprs[i]
            if i == count - 1 and expr.is_multi():
                self.compile_multi(expr, -1)
            else:
                self.compile_expr(expr)

    def compile_multi(self, expr, want):
        """Push `want` values of a call or `...` (-1: all of them; the static
        depth then only counts what came before)."""
        if isinstance(expr, ast.Vararg):
            self.emit(op.VARARG, want)
            if want > 0:
                self.push(want)
        else:
            self.compile_call(expr, want)

    def compile_call_operands(self, call):
        """Push function and arguments; return the frame index of the function."""
        base = self.base()
        if isinstance(call, ast.MethodCall):
            self.compile_expr(call.obj)
            self.line = call.line
            self.emit(op.METHOD, self.constant_str(call.name), 0, self.describe(call.obj))
            self.push(1)
        else:
            assert isinstance(call, ast.Call)
            self.compile_expr(call.func)
        self.compile_exprlist_multi(call.args)
        self.line = call.line
        return base

    def call_site_name(self, call):
        if isinstance(call, ast.MethodCall):
            return "method '%s'" % call.name
        assert isinstance(call, ast.Call)
        return self.describe(call.func)

    def compile_call(self, call, want):
        base = self.compile_call_operands(call)
        self.emit(op.CALL, base, want, self.call_site_name(call))
        self.depth = base
        if want > 0:
            self.push(want)

    def compile_expr(self, expr):
        """Push exactly one value."""
        saved_line = self.line
        if expr.line > 0:
            self.line = expr.line
        self.compile_expr_inner(expr)
        self.line = saved_line

    def compile_expr_inner(self, expr):
        if isinstance(expr, ast.Local):
            var = expr.var
            if var.function is self.scope:
                if var.captured:
                    self.emit(op.LOAD_CELL, var.slot)
                else:
                    self.emit(op.LOAD_LOCAL, var.slot)
            else:
                self.emit(op.LOAD_UPVAL, self.find_upvalue(var))
            self.push(1)
        elif isinstance(expr, ast.Global):
            env = expr.env
            assert isinstance(env, ast.Local)
            if env.var.function is not self.scope:
                self.emit(op.GET_GLOBAL, self.find_upvalue(env.var),
                          self.constant_str(expr.name))
                self.push(1)
            else:
                self.compile_expr(env)
                self.emit(op.GET_FIELD, self.constant_str(expr.name))
        elif isinstance(expr, ast.IntLit):
            self.emit(op.LOAD_CONST, self.constant_int(expr.intval))
            self.push(1)
        elif isinstance(expr, ast.StrLit):
            self.emit(op.LOAD_CONST, self.constant_str(expr.strval))
            self.push(1)
        elif isinstance(expr, ast.FloatLit):
            self.emit(op.LOAD_CONST, self.constant_float(expr.floatval))
            self.push(1)
        elif isinstance(expr, ast.Nil):
            self.emit(op.LOAD_NIL, 1)
            self.push(1)
        elif isinstance(expr, ast.TrueExpr):
            self.emit(op.LOAD_TRUE)
            self.push(1)
        elif isinstance(expr, ast.FalseExpr):
            self.emit(op.LOAD_FALSE)
            self.push(1)
        elif isinstance(expr, ast.Index):
            self.compile_expr(expr.obj)
            self.line = expr.line
            if isinstance(expr.key, ast.StrLit):
                self.emit(op.GET_FIELD, self.constant_str(expr.key.strval), 0,
                          self.describe(expr.obj))
            else:
                self.compile_expr(expr.key)
                self.emit(op.GET_INDEX, 0, 0, self.describe(expr.obj))
                self.pop(1)
        elif isinstance(expr, ast.Call) or isinstance(expr, ast.MethodCall):
            self.compile_call(expr, 1)
        elif isinstance(expr, ast.Vararg):
            self.emit(op.VARARG, 1)
            self.push(1)
        elif isinstance(expr, ast.Paren):
            self.compile_expr(expr.expr)
        elif isinstance(expr, ast.BinOp):
            self.compile_binop(expr)
        elif isinstance(expr, ast.UnOp):
            self.compile_expr(expr.operand)
            self.line = expr.line
            if expr.op == "not":
                self.emit(op.NOT)
            elif expr.op == "-":
                self.emit(op.UNARY, op.UN_MINUS, 0, self.describe(expr.operand))
            elif expr.op == "~":
                self.emit(op.UNARY, op.UN_BNOT, 0, self.describe(expr.operand))
            else:
                self.emit(op.UNARY, op.UN_LEN, 0, self.describe(expr.operand))
        elif isinstance(expr, ast.And):
            self.compile_expr(expr.left)
            jump = self.emit(op.AND_JUMP)
            self.pop(1)
            self.compile_expr(expr.right)
            self.patch_a(jump, self.here())
        elif isinstance(expr, ast.Or):
            self.compile_expr(expr.left)
            jump = self.emit(op.OR_JUMP)
            self.pop(1)
            self.compile_expr(expr.right)
            self.patch_a(jump, self.here())
        elif isinstance(expr, ast.FunctionExpr):
            self.compile_function_expr(expr)
        elif isinstance(expr, ast.TableConstructor):
            self.compile_table(expr)
        else:
            raise AssertionError("unknown expression")

    def compile_binop(self, expr):
        if expr.op == "..":
            # flatten right-associative chains a .. (b .. c) into one CONCAT
            operands = []
            node = expr
            while isinstance(node, ast.BinOp) and node.op == "..":
                operands.append(node.left)
                node = node.right
            operands.append(node)
            for operand in operands:
                self.compile_expr(operand)
            self.line = expr.line
            if len(operands) == 2:
                self.emit(op.CONCAT, 2, 0, self.describe(operands[0]),
                          self.describe(operands[1]))
            else:
                self.emit(op.CONCAT, len(operands))
            self.pop(len(operands) - 1)
            return
        self.compile_expr(expr.left)
        self.compile_expr(expr.right)
        self.line = expr.line
        name_left = self.describe(expr.left)
        name_right = self.describe(expr.right)
        if expr.op in op.CMP_BY_SYMBOL:
            self.emit(op.COMPARE, op.CMP_BY_SYMBOL[expr.op])
        else:
            self.emit(op.ARITH, op.ARITH_BY_SYMBOL[expr.op], 0, name_left, name_right)
        self.pop(1)

    def compile_function_expr(self, func):
        child = FunctionCompiler(func, self, self.chunkname)
        child_code = child.compile_function()
        index = len(self.children)
        self.children.append(child_code)
        self.emit(op.CLOSURE, index)
        self.push(1)

    def compile_table(self, expr):
        array_count = 0
        hash_count = 0
        for item in expr.items:
            if item.key is None:
                array_count += 1
            else:
                hash_count += 1
        table_base = self.base()
        self.emit(op.NEW_TABLE, array_count, hash_count)
        self.push(1)
        pending = 0
        next_index = 1
        items = expr.items
        for i in range(len(items)):
            item = items[i]
            if item.key is None:
                if i == len(items) - 1 and item.value.is_multi():
                    self.compile_multi(item.value, -1)
                    self.emit(op.SET_LIST, table_base, next_index)
                    self.depth = table_base + 1
                    pending = 0
                    continue
                self.compile_expr(item.value)
                pending += 1
                if pending == LIST_BATCH:
                    self.emit(op.SET_LIST, table_base, next_index)
                    self.pop(pending)
                    next_index += pending
                    pending = 0
            else:
                self.compile_expr(item.key)
                self.compile_expr(item.value)
                self.emit(op.TABLE_SET, table_base)
                self.pop(2)
        if pending > 0:
            self.emit(op.SET_LIST, table_base, next_index)
            self.pop(pending)


def freeze_ints(items):
    """A fixed-size copy (the JIT sees Code's lists as immutable)."""
    result = [0] * len(items)
    for i in range(len(items)):
        result[i] = items[i]
    return result


def freeze_strings(items):
    result = [""] * len(items)
    for i in range(len(items)):
        result[i] = items[i]
    return result


def freeze_bools(items):
    result = [False] * len(items)
    for i in range(len(items)):
        result[i] = items[i]
    return result


def compile_chunk(func, chunkname, env_var):
    compiler = FunctionCompiler(func, None, chunkname)
    compiler.parser_env_var = env_var
    return compiler.compile_function()


def compile_source(source, chunkname):
    """Parse and compile a chunk; raises LuaSyntaxError."""
    from targets.lua.parser import Parser
    parser = Parser(source, chunkname)
    func = parser.parse_chunk()
    return compile_chunk(func, chunkname, parser.env_var)
