"""Code: one compiled Lua function (the compiler's output, the
interpreter's input).  Immutable after compilation, so the JIT can treat
everything reachable from it as constant (except `loop_trace_refusals`,
the JIT's bookkeeping in loopentry.py, which traces never read)."""


from targets.lua import loopentry


class Code(object):
    _immutable_fields_ = ["bytecode[*]", "lines[*]", "operand_names[*]",
                          "constants[*]", "children[*]", "num_params",
                          "is_vararg", "num_slots", "frame_size",
                          "upvalue_from_local[*]", "upvalue_source[*]",
                          "upvalue_names[*]", "name", "chunkname",
                          "line_defined"]

    def __init__(self, name, chunkname, line_defined, bytecode, lines,
                 operand_names, constants, children, num_params, is_vararg,
                 num_slots, frame_size, upvalue_from_local, upvalue_source,
                 upvalue_names):
        self.name = name
        self.chunkname = chunkname
        self.line_defined = line_defined
        self.bytecode = bytecode
        self.lines = lines                    # source line of each instruction
        self.operand_names = operand_names    # two per instruction, "" if unknown
        self.constants = constants
        self.children = children
        self.num_params = num_params
        self.is_vararg = is_vararg
        self.num_slots = num_slots            # local variable slots
        self.frame_size = frame_size          # slots + maximum operand stack depth
        self.upvalue_from_local = upvalue_from_local  # True: parent's slot
        self.upvalue_source = upvalue_source  # parent's slot or upvalue index
        self.upvalue_names = upvalue_names
        # per instruction: root traces refused at a loop header there
        # (loopentry.py; a list, so its type is known before the JIT's
        # late-annotated confirm_enter_jit reads it)
        self.loop_trace_refusals = loopentry.initial_refusals(bytecode)

    def line_at(self, pc):
        index = pc // 3
        if 0 <= index < len(self.lines):
            return self.lines[index]
        return self.line_defined

    def operand_name(self, pc, operand):
        index = (pc // 3) * 2 + operand
        if 0 <= index < len(self.operand_names):
            return self.operand_names[index]
        return ""

    def disassemble(self):
        """Readable listing, for debugging and tests."""
        from targets.lua.opcodes import OPCODE_NAMES
        lines = []
        for pc in range(0, len(self.bytecode), 3):
            lines.append("%4d %-14s %d %d" % (pc, OPCODE_NAMES[self.bytecode[pc]],
                                             self.bytecode[pc + 1],
                                             self.bytecode[pc + 2]))
        return "\n".join(lines)
