"""Interpreter behaviour that is not about matching lua5.4's output byte
for byte: limits, tail calls, error positions, closing, coroutines."""
from lua_helpers import output_of, error_of, run_lua


def test_tail_calls_run_in_constant_stack():
    assert output_of("local function loop(n) if n == 0 then return 'done' end "
                     "return loop(n - 1) end print(loop(50000))") == "done\n"


def test_unbounded_recursion_is_a_lua_error_not_a_crash():
    out = output_of("local function f() return 1 + f() end print(pcall(f))")
    assert out == "false\t(command line):1: stack overflow\n"


def test_runtime_errors_carry_chunk_and_line():
    assert error_of("local x = 1\n\nlocal y = x.field") == \
        "(command line):3: attempt to index a number value (local 'x')"


def test_errors_name_upvalues_fields_and_methods():
    out = output_of("local up = nil; local t = {} "
                    "print(select(2, pcall(function() return up.x end))) "
                    "print(select(2, pcall(function() return t.a.b end))) "
                    "print(select(2, pcall(function() return t:nope() end)))")
    assert out.split("\n")[:3] == [
        "(command line):1: attempt to index a nil value (upvalue 'up')",
        "(command line):1: attempt to index a nil value (field 'a')",
        "(command line):1: attempt to call a nil value (method 'nope')"]


def test_uncaught_error_prints_a_traceback_and_exits_1():
    result = run_lua("local function f() error('boom') end\nf()")
    assert result.status == 1
    lines = result.stderr.split("\n")
    assert lines[0] == "lua: (command line):1: boom"
    assert lines[1] == "stack traceback:"
    assert "(command line):2: in main chunk" in result.stderr


def test_close_variables_run_in_reverse_order_on_every_exit():
    out = output_of("local function c(n) return setmetatable({}, {__close = function() "
                    "io.write(n, ' ') end}) end "
                    "do local a <close> = c(1) local b <close> = c(2) end "
                    "for i = 1, 2 do local x <close> = c('loop' .. i) if i == 2 then break end end "
                    "pcall(function() local e <close> = c('err') error('x') end) print()")
    assert out == "2 1 loop1 loop2 err \n"


def test_coroutines_keep_separate_stacks():
    out = output_of("local function deep(n) if n == 0 then return coroutine.yield('bottom') end "
                    "return deep(n - 1) end "
                    "local co = coroutine.create(function() return deep(20) end) "
                    "print(coroutine.resume(co)) print(coroutine.resume(co, 'back up'))")
    assert out == "true\tbottom\ntrue\tback up\n"


def test_yield_outside_a_coroutine_is_an_error():
    assert output_of("print(pcall(coroutine.yield))") == \
        "false\tattempt to yield from outside a coroutine\n"


def test_integer_arithmetic_wraps_around():
    assert output_of("print(math.maxinteger + 1 == math.mininteger, math.mininteger * -1)") == \
        "true\t-9223372036854775808\n"


def test_os_exit_flushes_output_and_sets_status():
    result = run_lua("io.write('kept') os.exit(5)")
    assert (result.status, result.stdout) == (5, "kept")
