"""AST produced by the parser and consumed by the compiler.

Names are already resolved by the parser: a `Local` or `Upvalue`-to-be
reference points at its `VarInfo` (the compiler decides between local slot,
cell and upvalue), and a free name becomes `Global(env_var, name)`, i.e.
`_ENV.name` with `_ENV` resolved like any other variable.
"""


class VarInfo(object):
    """One declared local variable (or parameter, or the chunk's _ENV)."""

    def __init__(self, name, function, attrib=""):
        self.name = name
        self.function = function      # parser's FunctionScope that owns it
        self.attrib = attrib          # "", "const" or "close"
        self.captured = False         # referenced from an inner function
        self.slot = -1                # assigned by the compiler


class Node(object):
    line = 0


# ---------------------------------------------------------------- expressions

class Expr(Node):
    def is_multi(self):
        """Can this expression produce several values (call or `...`)?"""
        return False


class Nil(Expr):
    def __init__(self, line):
        self.line = line


class TrueExpr(Expr):
    def __init__(self, line):
        self.line = line


class FalseExpr(Expr):
    def __init__(self, line):
        self.line = line


class IntLit(Expr):
    def __init__(self, value, line):
        self.intval = value
        self.line = line


class FloatLit(Expr):
    def __init__(self, value, line):
        self.floatval = value
        self.line = line


class StrLit(Expr):
    def __init__(self, value, line):
        self.strval = value
        self.line = line


class Vararg(Expr):
    def __init__(self, line):
        self.line = line

    def is_multi(self):
        return True


class FunctionExpr(Expr):
    def __init__(self, params, is_vararg, body, name, line, end_line):
        self.params = params          # list of VarInfo
        self.is_vararg = is_vararg
        self.body = body              # Block
        self.name = name
        self.line = line
        self.end_line = end_line
        self.scope = None             # the parser's FunctionScope


class TableItem(Node):
    def __init__(self, key, value):
        self.key = key                # Expr, or None for positional items
        self.value = value


class TableConstructor(Expr):
    def __init__(self, items, line):
        self.items = items
        self.line = line


class BinOp(Expr):
    def __init__(self, op, left, right, line):
        self.op = op
        self.left = left
        self.right = right
        self.line = line


class UnOp(Expr):
    def __init__(self, op, operand, line):
        self.op = op
        self.operand = operand
        self.line = line


class And(Expr):
    def __init__(self, left, right, line):
        self.left = left
        self.right = right
        self.line = line


class Or(Expr):
    def __init__(self, left, right, line):
        self.left = left
        self.right = right
        self.line = line


class Local(Expr):
    def __init__(self, var, line):
        self.var = var
        self.line = line


class Global(Expr):
    def __init__(self, env, name, line):
        self.env = env                # Local expression for _ENV
        self.name = name
        self.line = line


class Index(Expr):
    def __init__(self, obj, key, line):
        self.obj = obj
        self.key = key
        self.line = line


class Call(Expr):
    def __init__(self, func, args, line):
        self.func = func
        self.args = args
        self.line = line

    def is_multi(self):
        return True


class MethodCall(Expr):
    def __init__(self, obj, name, args, line):
        self.obj = obj
        self.name = name
        self.args = args
        self.line = line

    def is_multi(self):
        return True


class Paren(Expr):
    """(expr): truncates a multi-value expression to one value."""

    def __init__(self, expr, line):
        self.expr = expr
        self.line = line


# ----------------------------------------------------------------- statements

class Stat(Node):
    pass


class Block(Node):
    def __init__(self, stats, line):
        self.stats = stats
        self.line = line


class LocalStat(Stat):
    def __init__(self, variables, exprs, line):
        self.variables = variables    # list of VarInfo
        self.exprs = exprs
        self.line = line


class LocalFunctionStat(Stat):
    def __init__(self, var, func, line):
        self.var = var
        self.func = func
        self.line = line


class AssignStat(Stat):
    def __init__(self, targets, exprs, line):
        self.targets = targets        # Local, Global or Index
        self.exprs = exprs
        self.line = line


class CallStat(Stat):
    def __init__(self, call, line):
        self.call = call
        self.line = line


class DoStat(Stat):
    def __init__(self, body, line):
        self.body = body
        self.line = line


class WhileStat(Stat):
    def __init__(self, cond, body, line):
        self.cond = cond
        self.body = body
        self.line = line


class RepeatStat(Stat):
    def __init__(self, body, cond, line):
        self.body = body
        self.cond = cond              # evaluated inside the body's scope
        self.line = line


class IfStat(Stat):
    def __init__(self, conds, blocks, else_block, line):
        self.conds = conds
        self.blocks = blocks
        self.else_block = else_block  # Block or None
        self.line = line


class NumericForStat(Stat):
    def __init__(self, var, start, limit, step, body, line):
        self.var = var
        self.start = start
        self.limit = limit
        self.step = step              # Expr or None
        self.body = body
        self.line = line


class GenericForStat(Stat):
    def __init__(self, variables, exprs, body, line):
        self.variables = variables
        self.exprs = exprs
        self.body = body
        self.line = line


class ReturnStat(Stat):
    def __init__(self, exprs, line):
        self.exprs = exprs
        self.line = line


class BreakStat(Stat):
    def __init__(self, line):
        self.line = line


class GotoStat(Stat):
    def __init__(self, label, line):
        self.label = label
        self.line = line


class LabelStat(Stat):
    def __init__(self, name, line):
        self.name = name
        self.line = line
