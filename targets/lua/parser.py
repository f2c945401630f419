"""Parser: tokens -> AST (astnodes), with name resolution.

Recursive descent following the grammar of the Lua 5.4 manual (section 9),
with precedence climbing for binary operators (priorities as in the manual's
3.4.8: `or` < `and` < comparison < `|` < `~` < `&` < shifts < `..` (right
assoc) < `+ -` < `* / // %` < unary < `^` (right assoc)).

The parser also keeps the lexical scopes: each local declaration creates a
`VarInfo`; a name use is resolved to the innermost visible declaration, and
a use from an inner function marks the variable `captured` (so the compiler
keeps it in a cell).  Free names become `Global` nodes that index `_ENV`.
"""
from targets.lua import astnodes as ast
from targets.lua.errors import LuaSyntaxError
from targets.lua.lexer import Lexer

BINARY_PRIORITY = {
    "or": (1, 1), "and": (2, 2),
    "<": (3, 3), ">": (3, 3), "<=": (3, 3), ">=": (3, 3), "~=": (3, 3), "==": (3, 3),
    "|": (4, 4), "~": (5, 5), "&": (6, 6), "<<": (7, 7), ">>": (7, 7),
    "..": (9, 8), "+": (10, 10), "-": (10, 10),
    "*": (11, 11), "/": (11, 11), "//": (11, 11), "%": (11, 11),
    "^": (14, 13),
}
UNARY_PRIORITY = 12
# nesting of blocks/expressions the recursive parser accepts (PUC: LUAI_MAXCCALLS)
MAX_SYNTAX_LEVELS = 200


class FunctionScope(object):
    """Parse-time state of one function: its blocks of visible locals."""

    def __init__(self, parent, is_vararg):
        self.parent = parent
        self.is_vararg = is_vararg
        self.blocks = [[]]            # list of lists of VarInfo


class Parser(object):
    def __init__(self, source, chunkname):
        self.chunkname = chunkname
        self.tokens = Lexer(source, chunkname).tokenize()
        self.index = 0
        self.token = self.tokens[0]
        self.levels = 0
        self.scope = None
        # the chunk's _ENV upvalue lives in a pseudo function around main
        self.env_scope = FunctionScope(None, False)
        self.env_var = ast.VarInfo("_ENV", self.env_scope)
        self.env_var.captured = True
        self.env_scope.blocks[0].append(self.env_var)

    # ------------------------------------------------------------ utilities

    def next(self):
        self.index += 1
        self.token = self.tokens[self.index]

    def peek_kind(self):
        return self.tokens[self.index + 1].kind

    def near(self, token):
        if token.kind == "<eof>":
            return "<eof>"
        return "'%s'" % token.source_text

    def error(self, message):
        raise LuaSyntaxError("%s:%d: %s near %s" % (
            self.chunkname, self.token.line, message, self.near(self.token)))

    def check(self, kind):
        if self.token.kind != kind:
            self.error("'%s' expected" % kind)

    def expect(self, kind):
        self.check(kind)
        self.next()

    def expect_match(self, kind, opener, line):
        if self.token.kind != kind:
            if line == self.token.line:
                self.error("'%s' expected" % kind)
            self.error("'%s' expected (to close '%s' at line %d)" % (kind, opener, line))
        self.next()

    def accept(self, kind):
        if self.token.kind == kind:
            self.next()
            return True
        return False

    def expect_name(self):
        self.check("name")
        name = self.token.text
        self.next()
        return name

    # ---------------------------------------------------------------- scopes

    def open_function(self, is_vararg):
        self.scope = FunctionScope(self.scope, is_vararg)
        return self.scope

    def close_function(self):
        self.scope = self.scope.parent

    def open_block(self):
        self.scope.blocks.append([])

    def close_block(self):
        self.scope.blocks.pop()

    def declare(self, var):
        self.scope.blocks[-1].append(var)

    def resolve(self, name, line):
        """Expression for the variable `name` as seen from here."""
        scope = self.scope
        while scope is not None:
            for b in range(len(scope.blocks) - 1, -1, -1):
                block = scope.blocks[b]
                for v in range(len(block) - 1, -1, -1):
                    var = block[v]
                    if var.name == name:
                        if scope is not self.scope:
                            var.captured = True
                        return ast.Local(var, line)
            scope = scope.parent
        if name == "_ENV":
            self.env_var.captured = True
            return ast.Local(self.env_var, line)
        env = self.resolve("_ENV", line)
        return ast.Global(env, name, line)

    # ------------------------------------------------------------ top level

    def parse_chunk(self):
        """The main chunk: a vararg function (returns a FunctionExpr)."""
        self.scope = self.env_scope
        self.open_function(True)
        body = self.parse_block()
        if self.token.kind != "<eof>":
            self.error("'<eof>' expected")
        main_scope = self.scope
        self.close_function()
        func = ast.FunctionExpr([], True, body, "main chunk", 0, self.token.line)
        func.scope = main_scope
        return func

    def block_follow(self, with_until):
        kind = self.token.kind
        if kind == "else" or kind == "elseif" or kind == "end" or kind == "<eof>":
            return True
        if kind == "until":
            return with_until
        return False

    def parse_block(self):
        """Statements up to a block end; caller manages the scope."""
        line = self.token.line
        stats = []
        while not self.block_follow(True):
            if self.token.kind == "return":
                stats.append(self.parse_return())
                break
            stat = self.parse_statement()
            if stat is not None:
                stats.append(stat)
        return ast.Block(stats, line)

    def parse_scoped_block(self):
        self.open_block()
        block = self.parse_block()
        self.close_block()
        return block

    def parse_return(self):
        line = self.token.line
        self.next()
        exprs = []
        if not self.block_follow(True) and self.token.kind != ";":
            exprs = self.parse_exprlist()
        self.accept(";")
        if not self.block_follow(True):
            self.error("'<eof>' expected" if self.token.kind != "<eof>" else "'end' expected")
        return ast.ReturnStat(exprs, line)

    # ------------------------------------------------------------ statements

    def parse_statement(self):
        self.enter_level()
        stat = self.parse_statement_inner()
        self.levels -= 1
        return stat

    def parse_statement_inner(self):
        line = self.token.line
        kind = self.token.kind
        if kind == ";":
            self.next()
            return None
        if kind == "if":
            return self.parse_if(line)
        if kind == "while":
            self.next()
            cond = self.parse_expr()
            self.expect("do")
            body = self.parse_scoped_block()
            self.expect_match("end", "while", line)
            return ast.WhileStat(cond, body, line)
        if kind == "do":
            self.next()
            body = self.parse_scoped_block()
            self.expect_match("end", "do", line)
            return ast.DoStat(body, line)
        if kind == "for":
            return self.parse_for(line)
        if kind == "repeat":
            self.next()
            self.open_block()
            body = self.parse_block()
            self.expect_match("until", "repeat", line)
            cond = self.parse_expr()     # sees the body's locals
            self.close_block()
            return ast.RepeatStat(body, cond, line)
        if kind == "function":
            return self.parse_function_stat(line)
        if kind == "local":
            self.next()
            if self.accept("function"):
                name = self.expect_name()
                var = ast.VarInfo(name, self.scope)
                self.declare(var)
                func = self.parse_funcbody(False, name, line)
                return ast.LocalFunctionStat(var, func, line)
            return self.parse_local(line)
        if kind == "::":
            self.next()
            name = self.expect_name()
            self.expect("::")
            return ast.LabelStat(name, line)
        if kind == "return":
            return self.parse_return()
        if kind == "break":
            self.next()
            return ast.BreakStat(line)
        if kind == "goto":
            self.next()
            name = self.expect_name()
            return ast.GotoStat(name, line)
        return self.parse_expr_stat(line)

    def parse_if(self, line):
        conds = []
        blocks = []
        self.next()
        conds.append(self.parse_expr())
        self.expect("then")
        blocks.append(self.parse_scoped_block())
        else_block = None
        while True:
            if self.token.kind == "elseif":
                self.next()
                conds.append(self.parse_expr())
                self.expect("then")
                blocks.append(self.parse_scoped_block())
            elif self.token.kind == "else":
                self.next()
                else_block = self.parse_scoped_block()
                self.expect_match("end", "if", line)
                break
            else:
                self.expect_match("end", "if", line)
                break
        return ast.IfStat(conds, blocks, else_block, line)

    def parse_for(self, line):
        self.next()
        name1 = self.expect_name()
        if self.token.kind == "=":
            self.next()
            start = self.parse_expr()
            self.expect(",")
            limit = self.parse_expr()
            step = None
            if self.accept(","):
                step = self.parse_expr()
            self.expect("do")
            self.open_block()
            var = ast.VarInfo(name1, self.scope)
            self.declare(var)
            body = self.parse_block()
            self.close_block()
            self.expect_match("end", "for", line)
            return ast.NumericForStat(var, start, limit, step, body, line)
        if self.token.kind != "," and self.token.kind != "in":
            self.error("'=' or 'in' expected")
        names = [name1]
        while self.accept(","):
            names.append(self.expect_name())
        self.expect("in")
        exprs = self.parse_exprlist()
        self.expect("do")
        self.open_block()
        variables = []
        for name in names:
            var = ast.VarInfo(name, self.scope)
            self.declare(var)
            variables.append(var)
        body = self.parse_block()
        self.close_block()
        self.expect_match("end", "for", line)
        return ast.GenericForStat(variables, exprs, body, line)

    def parse_function_stat(self, line):
        self.next()
        name = self.expect_name()
        full_name = name
        target = self.resolve(name, line)
        is_method = False
        while self.token.kind == "." or self.token.kind == ":":
            is_method = self.token.kind == ":"
            self.next()
            key = self.expect_name()
            full_name = full_name + (":" if is_method else ".") + key
            target = ast.Index(target, ast.StrLit(key, line), line)
            if is_method:
                break
        func = self.parse_funcbody(is_method, full_name, line)
        self.check_assignable(target)
        return ast.AssignStat([target], [func], line)

    def parse_local(self, line):
        variables = []
        while True:
            name = self.expect_name()
            attrib = ""
            if self.accept("<"):
                attrib = self.expect_name()
                if attrib != "const" and attrib != "close":
                    raise LuaSyntaxError("%s:%d: unknown attribute '%s'" % (
                        self.chunkname, self.token.line, attrib))
                self.expect(">")
            variables.append(ast.VarInfo(name, self.scope, attrib))
            if not self.accept(","):
                break
        close_count = 0
        for var in variables:
            if var.attrib == "close":
                close_count += 1
        if close_count > 1:
            raise LuaSyntaxError("%s:%d: multiple to-be-closed variables in local list" % (
                self.chunkname, self.token.line))
        exprs = []
        if self.accept("="):
            exprs = self.parse_exprlist()
        for var in variables:
            self.declare(var)
        return ast.LocalStat(variables, exprs, line)

    def check_assignable(self, target):
        if isinstance(target, ast.Local) and target.var.attrib != "":
            raise LuaSyntaxError("%s:%d: attempt to assign to const variable '%s'" % (
                self.chunkname, self.token.line, target.var.name))

    def parse_expr_stat(self, line):
        expr = self.parse_suffixed_expr()
        if self.token.kind == "=" or self.token.kind == ",":
            targets = [expr]
            while self.accept(","):
                targets.append(self.parse_suffixed_expr())
            for target in targets:
                if not (isinstance(target, ast.Local) or isinstance(target, ast.Global) or
                        isinstance(target, ast.Index)):
                    self.error("syntax error")
                self.check_assignable(target)
            self.expect("=")
            exprs = self.parse_exprlist()
            return ast.AssignStat(targets, exprs, line)
        if not (isinstance(expr, ast.Call) or isinstance(expr, ast.MethodCall)):
            self.error("syntax error")
        return ast.CallStat(expr, line)

    # ----------------------------------------------------------- expressions

    def parse_exprlist(self):
        exprs = [self.parse_expr()]
        while self.accept(","):
            exprs.append(self.parse_expr())
        return exprs

    def enter_level(self):
        self.levels += 1
        if self.levels > MAX_SYNTAX_LEVELS:
            # PUC reports this like any C-stack exhaustion, without position
            raise LuaSyntaxError("C stack overflow")

    def parse_expr(self, limit=0):
        self.enter_level()
        expr = self.parse_subexpr(limit)
        self.levels -= 1
        return expr

    def parse_subexpr(self, limit):
        line = self.token.line
        kind = self.token.kind
        if kind == "not" or kind == "-" or kind == "#" or kind == "~":
            self.next()
            operand = self.parse_expr(UNARY_PRIORITY)
            left = self.fold_unary(kind, operand, line)
        else:
            left = self.parse_simple_expr()
        while self.token.kind in BINARY_PRIORITY:
            op = self.token.kind
            left_priority, right_priority = BINARY_PRIORITY[op]
            if left_priority <= limit:
                break
            line = self.token.line
            self.next()
            right = self.parse_expr(right_priority)
            if op == "and":
                left = ast.And(left, right, line)
            elif op == "or":
                left = ast.Or(left, right, line)
            else:
                left = ast.BinOp(op, left, right, line)
        return left

    def fold_unary(self, op, operand, line):
        """Fold `-<numeral>` so that e.g. math.mininteger is a constant."""
        if op == "-" and isinstance(operand, ast.IntLit):
            from rpython.rlib.rarithmetic import intmask, r_uint
            return ast.IntLit(intmask(-r_uint(operand.intval)), line)
        if op == "-" and isinstance(operand, ast.FloatLit):
            return ast.FloatLit(-operand.floatval, line)
        return ast.UnOp(op, operand, line)

    def parse_simple_expr(self):
        token = self.token
        line = token.line
        kind = token.kind
        if kind == "int":
            self.next()
            return ast.IntLit(token.intval, line)
        if kind == "float":
            self.next()
            return ast.FloatLit(token.floatval, line)
        if kind == "string":
            self.next()
            return ast.StrLit(token.text, line)
        if kind == "nil":
            self.next()
            return ast.Nil(line)
        if kind == "true":
            self.next()
            return ast.TrueExpr(line)
        if kind == "false":
            self.next()
            return ast.FalseExpr(line)
        if kind == "...":
            if not self.scope.is_vararg:
                self.error("cannot use '...' outside a vararg function")
            self.next()
            return ast.Vararg(line)
        if kind == "{":
            return self.parse_table()
        if kind == "function":
            self.next()
            return self.parse_funcbody(False, "anonymous", line)
        return self.parse_suffixed_expr()

    def parse_primary_expr(self):
        line = self.token.line
        if self.token.kind == "name":
            name = self.token.text
            self.next()
            return self.resolve(name, line)
        if self.token.kind == "(":
            self.next()
            expr = self.parse_expr()
            self.expect_match(")", "(", line)
            if expr.is_multi():
                return ast.Paren(expr, line)
            return expr
        self.error("unexpected symbol")
        return None

    def parse_suffixed_expr(self):
        expr = self.parse_primary_expr()
        while True:
            line = self.token.line
            kind = self.token.kind
            if kind == ".":
                self.next()
                name = self.expect_name()
                expr = ast.Index(expr, ast.StrLit(name, line), line)
            elif kind == "[":
                self.next()
                key = self.parse_expr()
                self.expect("]")
                expr = ast.Index(expr, key, line)
            elif kind == ":":
                self.next()
                name = self.expect_name()
                args = self.parse_call_args()
                expr = ast.MethodCall(expr, name, args, line)
            elif kind == "(" or kind == "string" or kind == "{":
                args = self.parse_call_args()
                expr = ast.Call(expr, args, line)
            else:
                return expr

    def parse_call_args(self):
        token = self.token
        if token.kind == "string":
            self.next()
            return [ast.StrLit(token.text, token.line)]
        if token.kind == "{":
            return [self.parse_table()]
        if token.kind != "(":
            self.error("function arguments expected")
        line = token.line
        self.next()
        args = []
        if self.token.kind != ")":
            args = self.parse_exprlist()
        self.expect_match(")", "(", line)
        return args

    def parse_table(self):
        line = self.token.line
        self.expect("{")
        items = []
        while self.token.kind != "}":
            if self.token.kind == "[":
                self.next()
                key = self.parse_expr()
                self.expect("]")
                self.expect("=")
                items.append(ast.TableItem(key, self.parse_expr()))
            elif self.token.kind == "name" and self.peek_kind() == "=":
                key = ast.StrLit(self.token.text, self.token.line)
                self.next()
                self.next()
                items.append(ast.TableItem(key, self.parse_expr()))
            else:
                items.append(ast.TableItem(None, self.parse_expr()))
            if not self.accept(",") and not self.accept(";"):
                break
        self.expect_match("}", "{", line)
        return ast.TableConstructor(items, line)

    def parse_funcbody(self, is_method, name, line):
        self.expect("(")
        params = []
        is_vararg = False
        scope = self.open_function(False)
        if is_method:
            params.append(ast.VarInfo("self", scope))
        if self.token.kind != ")":
            while True:
                if self.token.kind == "...":
                    self.next()
                    is_vararg = True
                    break
                params.append(ast.VarInfo(self.expect_name(), scope))
                if not self.accept(","):
                    break
        scope.is_vararg = is_vararg
        for param in params:
            self.declare(param)
        self.expect(")")
        body = self.parse_block()
        end_line = self.token.line
        self.expect_match("end", "function", line)
        self.close_function()
        func = ast.FunctionExpr(params, is_vararg, body, name, line, end_line)
        func.scope = scope
        return func


def parse(source, chunkname):
    return Parser(source, chunkname).parse_chunk()
