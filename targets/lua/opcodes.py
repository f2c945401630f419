"""The bytecode instruction set.

A compiled function (`Code`) is a flat list of ints, three per instruction:
opcode, A, B.  The machine is a stack machine whose frame array holds the
local variable slots at the bottom (slot numbers are fixed by the compiler)
and the operand stack above them.  Because the compiler knows the operand
stack depth at every instruction, instructions that take a variable number
of values (calls, returns, table constructors) name the absolute frame
index where their values start (the "base") and take everything from there
to the stack top; this is how multiple results and `...` flow through.

Notation: S = operand stack, TOS = top of stack, k(A) = constant A.
"""

# name, meaning of A and B
OPCODE_DOCS = [
    ("LOAD_NIL", "push A nils"),
    ("LOAD_TRUE", "push true"),
    ("LOAD_FALSE", "push false"),
    ("LOAD_CONST", "push k(A)"),
    ("LOAD_LOCAL", "push slot A"),
    ("STORE_LOCAL", "pop into slot A"),
    ("LOAD_CELL", "push value of the cell in slot A"),
    ("STORE_CELL", "pop into the cell in slot A"),
    ("NEW_CELL", "pop into a fresh cell stored in slot A"),
    ("LOAD_UPVAL", "push upvalue A"),
    ("STORE_UPVAL", "pop into upvalue A"),
    ("GET_GLOBAL", "push upvalue(A)[k(B)] (A is _ENV)"),
    ("SET_GLOBAL", "upvalue(A)[k(B)] = pop"),
    ("GET_INDEX", "key=pop, obj=pop, push obj[key]"),
    ("GET_FIELD", "obj=pop, push obj[k(A)]"),
    ("SET_INDEX", "value=pop, key=pop, obj=pop, obj[key]=value"),
    ("SET_FIELD", "value=pop, obj=pop, obj[k(A)]=value"),
    ("METHOD", "obj=pop, push obj[k(A)], push obj"),
    ("ARITH", "right=pop, left=pop, push left <A> right (A: ARITH_*)"),
    ("UNARY", "push <A> pop (A: UN_*)"),
    ("COMPARE", "right=pop, left=pop, push left <A> right (A: CMP_*)"),
    ("CONCAT", "concatenate the top A values"),
    ("NOT", "push not pop"),
    ("POP", "drop A values"),
    ("JUMP", "pc = A"),
    ("JUMP_BACK", "pc = A (a loop back edge: a JIT merge point)"),
    ("JUMP_IF_FALSE", "if not pop: pc = A"),
    ("JUMP_IF_TRUE", "if pop: pc = A"),
    ("AND_JUMP", "if TOS is false/nil: pc = A, else pop"),
    ("OR_JUMP", "if TOS is true: pc = A, else pop"),
    ("CALL", "call the function at frame index A with the values above it; "
             "leave B results (B = -1: all, stack top moves)"),
    ("TAILCALL", "like CALL with B = -1, then return the results"),
    ("RETURN", "return the values from frame index A to the stack top"),
    ("VARARG", "push A varargs (A = -1: all)"),
    ("CLOSURE", "push a closure of child function A"),
    ("NEW_TABLE", "push a new table (A: array size hint, B: hash size hint)"),
    ("SET_LIST", "append S[A+1..top] to the table at S[A] starting at key B, pop them"),
    ("TABLE_SET", "value=pop, key=pop, raw-set into the table at frame index A"),
    ("FOR_PREP", "step, limit, start = pop x3 into slots A..A+2; "
                 "skip to B when the loop runs zero times, else push start"),
    ("FOR_LOOP", "advance the loop in slots A..A+2; if it goes on, push the "
                 "value and pc = B"),
    ("TFOR_CALL", "call S[A&0xffff](state, control); if the first result is "
                  "nil pc = B, else push A>>16 results"),
    ("MARK_CLOSE", "the value in slot A is to be closed at block exit"),
    ("CLOSE", "close the to-be-closed slots >= A"),
]

OPCODE_NAMES = [name for name, _ in OPCODE_DOCS]
for _index, _name in enumerate(OPCODE_NAMES):
    globals()[_name] = _index

# ARITH operators (order matters: the metamethod names follow it)
ARITH_ADD = 0
ARITH_SUB = 1
ARITH_MUL = 2
ARITH_MOD = 3
ARITH_POW = 4
ARITH_DIV = 5
ARITH_IDIV = 6
ARITH_BAND = 7
ARITH_BOR = 8
ARITH_BXOR = 9
ARITH_SHL = 10
ARITH_SHR = 11
ARITH_METAMETHODS = ["__add", "__sub", "__mul", "__mod", "__pow", "__div",
                     "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr"]
ARITH_BY_SYMBOL = {"+": ARITH_ADD, "-": ARITH_SUB, "*": ARITH_MUL,
                   "%": ARITH_MOD, "^": ARITH_POW, "/": ARITH_DIV,
                   "//": ARITH_IDIV, "&": ARITH_BAND, "|": ARITH_BOR,
                   "~": ARITH_BXOR, "<<": ARITH_SHL, ">>": ARITH_SHR}

UN_MINUS = 0
UN_BNOT = 1
UN_LEN = 2

CMP_EQ = 0
CMP_NE = 1
CMP_LT = 2
CMP_LE = 3
CMP_GT = 4
CMP_GE = 5
CMP_BY_SYMBOL = {"==": CMP_EQ, "~=": CMP_NE, "<": CMP_LT, "<=": CMP_LE,
                 ">": CMP_GT, ">=": CMP_GE}
