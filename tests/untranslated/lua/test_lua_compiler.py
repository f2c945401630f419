"""Compiler: scoping rules, goto/label checks, const variables, and the
operand descriptions it records for error messages."""
import pytest

from targets.lua.compiler import compile_source
from targets.lua.errors import LuaSyntaxError
from targets.lua import opcodes as op

from lua_helpers import output_of


def syntax_error(source):
    with pytest.raises(LuaSyntaxError) as info:
        compile_source(source, "t")
    return info.value.message


def test_goto_into_the_scope_of_a_local_is_rejected():
    assert syntax_error("goto x; local a; ::x:: print(a)") == \
        "t:1: <goto x> at line 1 jumps into the scope of local 'a'"


def test_goto_to_a_label_at_the_end_of_a_block_is_allowed():
    assert output_of("for i = 1, 2 do goto done; local z = 1 ::done:: end print('ok')") == "ok\n"


def test_goto_without_visible_label_is_rejected():
    assert syntax_error("do goto missing end") == \
        "t:1: no visible label 'missing' for <goto> at line 1"


def test_duplicate_label_is_rejected():
    assert syntax_error("::a:: ::a::") == "t:1: label 'a' already defined on line 1"


def test_break_outside_loop_is_rejected():
    assert syntax_error("break") == "t:1: break outside a loop at line 1"


def test_assignment_to_const_variable_is_rejected():
    assert syntax_error("local x <const> = 1; x = 2") == \
        "t:1: attempt to assign to const variable 'x'"


def test_unknown_attribute_is_rejected():
    assert syntax_error("local x <weird> = 1") == "t:1: unknown attribute 'weird'"


def test_vararg_outside_vararg_function_is_rejected():
    assert syntax_error("function f() return ... end") == \
        "t:1: cannot use '...' outside a vararg function near '...'"


def test_captured_locals_live_in_cells_and_plain_ones_in_slots():
    code = compile_source("local a = 1 local b = 2 return function() return a end", "t")
    opcodes = [code.bytecode[pc] for pc in range(0, len(code.bytecode), 3)]
    assert op.NEW_CELL in opcodes and op.STORE_LOCAL in opcodes


def test_call_records_the_callee_description():
    code = compile_source("foo()", "t")
    call_pcs = [pc for pc in range(0, len(code.bytecode), 3)
                if code.bytecode[pc] == op.CALL]
    assert code.operand_name(call_pcs[0], 0) == "global 'foo'"


def test_return_of_a_call_is_a_tail_call():
    code = compile_source("local function f() return g() end", "t")
    child = code.children[0]
    assert op.TAILCALL in [child.bytecode[pc] for pc in range(0, len(child.bytecode), 3)]


def instructions(code):
    """(pc, opcode name, A, B) of each instruction of `code`."""
    bc = code.bytecode
    return [(pc, op.OPCODE_NAMES[bc[pc]], bc[pc + 1], bc[pc + 2])
            for pc in range(0, len(bc), 3)]


def test_numeric_for_header_is_where_for_loop_enters_the_jit():
    """FOR_PREP finds its loop's header with for_loop_header()
    (targets/lua/loopentry.py); FOR_LOOP's can_enter_jit is at the same pc
    (past the loop variable's STORE_LOCAL)."""
    from targets.lua.loopentry import for_loop_header, initial_refusals, TRACED
    code = compile_source("local s = 0 for i = 1, 3 do s = s + i end", "t")
    listing = instructions(code)
    prep_pc = [pc for pc, name, _, _ in listing if name == "FOR_PREP"][0]
    body_start = [b for _, name, _, b in listing if name == "FOR_LOOP"][0]
    assert body_start == prep_pc + 3
    assert listing[body_start // 3][1] == "STORE_LOCAL"
    assert for_loop_header(code.bytecode, body_start) == body_start + 3
    # only that header may record a root trace
    assert [i * 3 for i, n in enumerate(initial_refusals(code.bytecode))
            if n != TRACED] == [body_start + 3]
