"""Differential tests: each snippet runs on the untranslated interpreter and
on Debian's lua5.4 (both as program "lua5.4"); stdout, exit status and
stderr, stack tracebacks included, must be equal."""
import pytest

from lua_helpers import run_lua, run_oracle, have_oracle

SNIPPETS = {
    "integer_float_arithmetic": """
        print(1 + 2, 1 + 2.0, 7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7 % 3, 5.5 % -2)
        print(2^10, 10 / 2, 3 / 0, -3 / 0, 0/0 ~= 0/0, math.maxinteger + 1 == math.mininteger)
        print(1e15, 1e16, 123456789012345678, 0x10, 0xff, 0x7fffffffffffffff, 0xffffffffffffffff)
        print(1e100, -0.0, 100 // 1e-300, 2^53, 2^63, -2^63, 0.1 + 0.2, 1/3)
        print(3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 63, 1 << 64, -1 >> 1, 2.0 | 1, "3" + 4, "0x10" * 2, "1e1" + 0)
    """,
    "integer_division_by_zero": """
        print(pcall(function() return 1 // 0 end))
        print(pcall(function() return 1 % 0 end))
        print(1 // 0.0, -1 % math.huge, math.mininteger // -1, math.mininteger % -1)
    """,
    "comparisons": """
        print(1 < 2, 1 < 1.5, 2^53 < 2^53 + 1, math.maxinteger < 2^63, "a" < "b", "abc" < "abd", "" < "a")
        print(1 == 1.0, "1" == 1, math.maxinteger + 0.0 == math.maxinteger, 0/0 == 0/0)
        print(pcall(function() return 1 < "2" end))
        print(pcall(function() return {} < {} end))
    """,
    "string_number_conversion": """
        print(tonumber("10"), tonumber("  0x1p4  "), tonumber("1e2"), tonumber(" 12 "), tonumber("12a"))
        print(tonumber("ff", 16), tonumber("zz", 36), tonumber("777", 8), tonumber("8", 8), tonumber(""))
        print(tostring(10), tostring(10.0), tostring(-0.0), 10 .. "", 1.5 .. "|", tonumber("0x.8"))
        print(math.tointeger("8"), tonumber("1e"), tonumber(".5"), tonumber("5."), tonumber("- 1"))
    """,
    "multiple_assignment_and_returns": """
        local function f() return 1, 2, 3 end
        local a, b, c, d = f()
        print(a, b, c, d)
        local x, y = f(), 10
        print(x, y)
        print(f(), f())
        print((f()))
        local t = {f(), f()}
        print(#t)
        local i, j = 1, 2
        i, j = j, i
        print(i, j)
        local q = {}
        local k = 1
        k, q[k] = k + 1, 20
        print(k, q[1], q[2])
    """,
    "varargs": """
        local function count(...) return select("#", ...) end
        print(count(), count(nil), count(1, nil, nil))
        local function pass(...) return ... end
        print(pass(1, 2, 3))
        local function tail(n, ...) if n == 0 then return ... end return tail(n - 1, n, ...) end
        print(tail(3))
        print(select(-1, 1, 2, 3), select(2, "a", "b", "c"))
        local function pack(...) return {n = select("#", ...), ...} end
        local p = pack(1, nil, 3)
        print(p.n, p[1], p[2], p[3])
    """,
    "closures_and_upvalues": """
        local function counter()
            local n = 0
            return function() n = n + 1 return n end
        end
        local c1, c2 = counter(), counter()
        print(c1(), c1(), c2())
        local fs = {}
        for i = 1, 3 do fs[i] = function() return i end end
        print(fs[1](), fs[2](), fs[3]())
        local gs = {}
        local j = 1
        while j <= 3 do local k = j gs[j] = function() return k end j = j + 1 end
        print(gs[1](), gs[3]())
        local function outer() local x = 1 local function mid() return function() x = x + 1 return x end end return mid() end
        local inc = outer()
        print(inc(), inc())
    """,
    "numeric_for_edge_cases": """
        for i = 1, 3 do io.write(i, " ") end print()
        for i = 3, 1, -1 do io.write(i, " ") end print()
        for i = 1, 2, 0.5 do io.write(i, " ") end print()
        for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()
        for i = 1, 0 do print("never") end
        for i = 1.0, 3 do io.write(i, " ") end print()
        for i = 1, 3.5 do io.write(i, " ") end print()
        print(pcall(function() for i = 1, 10, 0 do end end))
        print(pcall(function() for i = "a", 10 do end end))
    """,
    "generic_for_and_pairs": """
        local t = {10, 20, 30}
        for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
        local keys = {}
        for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
        table.sort(keys)
        print(table.concat(keys, ","))
        local function range(n) return function(_, i) if i < n then return i + 1 end end, nil, 0 end
        for i in range(4) do io.write(i, " ") end print()
        print(next({}), type(next), next({5}))
    """,
    "while_repeat_break_goto": """
        local i = 0
        while true do i = i + 1 if i > 5 then break end end
        print(i)
        local n = 0
        repeat local m = n n = n + 1 until m >= 3
        print(n)
        for i = 1, 3 do
            for j = 1, 3 do
                if j == 2 then goto continue end
                io.write(i, j, " ")
                ::continue::
            end
        end
        print()
        do
            local k = 0
            ::top::
            k = k + 1
            if k < 3 then goto top end
            print(k)
        end
    """,
    "strings_and_escapes": """
        print("a\\tb", 'it\\'s', "\\65\\066\\x43\\u{48}\\u{20AC}", #"\\z
              abc", "\\"q\\"")
        print([[long
string]], [==[with ]] inside]==], #[[
skipped first newline]])
        print(#"abc", "abc" .. "def", ("x"):rep(3), ("abc"):upper(), ("ABC"):lower())
        --[[ long
        comment ]] print("after comment") --[==[ another ]==]
    """,
    "string_library": """
        print(("hello"):sub(2, 3), ("hello"):sub(-3), ("hello"):sub(0), ("hello"):sub(10), ("hello"):byte(1, -1))
        print(string.char(72, 105), ("abc"):reverse(), ("a,b"):rep(2, ";"), ("x"):len())
        print(string.format("%d %5d %-5d| %05.1f %x %s %q", 42, 42, 42, 3.14159, 255, "s", "q\\n"))
        print(string.format("%10s|%-10s|%.2s", "right", "left", "truncate"))
        print(string.format("%g %g %g %.3g", 1e300, 0.1, 100, 2/3))
    """,
    "string_patterns": """
        print(("hello world"):find("wor"), ("hello"):find("l"), ("hello"):find("xyz"), ("a.b"):find(".", 1, true))
        print(("key = value"):match("(%w+)%s*=%s*(%w+)"), ("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
        print(("hello world"):gsub("o", "0"), ("abc"):gsub("", "-"), ("hello"):gsub("l+", function(s) return #s end))
        print(("$name is $age"):gsub("%$(%w+)", {name = "bob", age = 42}))
        for w in ("one two  three"):gmatch("%a+") do io.write(w, ".") end print()
        print(("[[x]]"):match("%[(%b[])%]"), ("THE END"):gsub("%f[%w]%w+", "w"), ("aaa"):match("a-b"), ("aaab"):match("a-b"))
        print(("x = 1"):match("()=()"), ("abcabc"):find("(b)(c)", 3), ("hello"):match(".-(l+)(.*)"))
        print(pcall(string.rep), pcall(string.find, "a", "[a"), pcall(string.gsub, "a", "(", ""))
    """,
    "tables": """
        local t = {1, 2, 3, nil, 5}
        print(#{1, 2, 3}, #{}, #{nil}, t[5])
        local u = {}
        u[1.0] = "float key"; u[2] = "two"
        print(u[1], #u, rawlen(u), rawget(u, 2), rawequal(u, u))
        local v = {10, 20, 30}
        v[#v + 1] = 40
        table.insert(v, 1, 5)
        print(table.concat(v, ","), table.remove(v, 1), table.remove(v), #v)
        print(table.unpack({1, 2, 3}, 2), table.pack(1, nil, 3).n, select("#", table.unpack({}, 1, 2)))
        print(table.concat(table.move({1, 2, 3}, 1, 3, 2), ","))
        print(pcall(table.insert, {}, 5, 1), pcall(table.concat, {1, {}, 3}))
        local s = {5, 3, 8, 1}
        table.sort(s, function(a, b) return a > b end)
        print(table.concat(s, " "))
    """,
    "metatables_arith_and_index": """
        local V = {}
        V.__index = V
        V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
        V.__eq = function(a, b) return a.x == b.x end
        V.__lt = function(a, b) return a.x < b.x end
        V.__le = function(a, b) return a.x <= b.x end
        V.__tostring = function(v) return "V(" .. v.x .. ")" end
        V.__len = function(v) return v.x end
        V.__call = function(v, y) return v.x + y end
        V.__concat = function(a, b) return "cat" end
        V.__unm = function(a) return setmetatable({x = -a.x}, V) end
        function V.get(v) return v.x end
        local a, b = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
        print(tostring(a + b), a == b, a < b, a <= b, a > b, #b, a(10), a .. "s", 1 .. a, tostring(-a), a:get())
        local defaults = setmetatable({}, {__index = function(t, k) return k .. "!" end})
        print(defaults.foo, rawget(defaults, "foo"))
        local log = {}
        local proxy = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end})
        proxy.a = 5
        print(proxy.a)
        local chain = setmetatable({}, {__index = setmetatable({}, {__index = {deep = "yes"}})})
        print(chain.deep)
    """,
    "newindex_chains_and_call": """
        local store = {}
        local middle = setmetatable({}, {__newindex = store})
        local front = setmetatable({}, {__newindex = middle, __index = store})
        front.a = 1
        print(rawget(front, "a"), rawget(middle, "a"), store.a, front.a)
        front.a = 2
        print(store.a)
        local callable = setmetatable({}, {__call = function(self, a, b) return a + b, self end})
        print(callable(2, 3) , select("#", callable(1, 1)))
        print(pcall(function() local t = setmetatable({}, {}) return t < t end))
        print(({} == {}), setmetatable({}, {__eq = function() return true end}) == 1)
        print(("abc").len == string.len, ("x"):upper())
    """,
    "dofile_runs_a_chunk": """
        local name = os.tmpname()
        local f = io.open(name, "w")
        f:write("local a, b = ... return (a or 0) + 40, 'second'")
        f:close()
        print(dofile(name))
        os.remove(name)
        print(pcall(dofile, name .. ".missing") == false)
    """,
    "metatable_protection_and_name": """
        local t = setmetatable({}, {__metatable = "locked"})
        print(getmetatable(t), pcall(setmetatable, t, {}))
        print(getmetatable("abc").__index == string)
        local obj = setmetatable({}, {__name = "MyType"})
        print((tostring(obj):gsub("0x%x+", "ADDR")))
    """,
    "close_variables": """
        local function closer(name) return setmetatable({}, {__close = function(_, err) print("close", name, err) end}) end
        do
            local a <close> = closer("a")
            local b <close> = closer("b")
            print("body")
        end
        print(pcall(function()
            local c <close> = closer("c")
            error("boom")
        end))
        local function f()
            local d <close> = closer("d")
            return "ret"
        end
        print(f())
        for i = 1, 2 do local e <close> = closer(i) if i == 1 then goto next end print("no") ::next:: end
        local k <const> = 42
        print(k)
    """,
    "errors_and_pcall": """
        print(pcall(error, "msg"))
        print(pcall(error, "msg", 0))
        print(type(select(2, pcall(error, {code = 1}))))
        print(select(2, pcall(error)))
        print(pcall(function() error("lvl1") end))
        print(pcall(function() local function inner() error("lvl2", 2) end inner() end))
        print(pcall(function() local x = nil; x() end))
        print(pcall(function() undefined_global.field = 1 end))
        print(pcall(function() local t = {} t.a.b = 1 end))
        print(pcall(function() return 1 + {} end))
        print(pcall(function() return "a" + 1 end))
        print(pcall(function() return #5 end))
        print(pcall(function() return ("x"):bad() end))
        print(xpcall(function() error("E") end, function(m) return "handled: " .. m end))
        print(pcall(assert, false), pcall(assert, nil, "custom"), pcall(assert, 1, 2))
        print(select("#", pcall(error, nil)))
    """,
    "tostring_tonumber_type": """
        print(type(nil), type(1), type("s"), type({}), type(print), type(true))
        print(tostring(nil), tostring(true), tostring(12), tostring(1.25))
        print(math.type(1), math.type(1.0), math.type("1"), math.tointeger(3.5))
    """,
    "load_and_env": """
        local f = load("return 1 + ...")
        print(f(41))
        print(load("syntax error here"))
        local env = {x = 5}
        local g = load("return x", "chunk", "t", env)
        print(g())
        local parts = {"return ", "'pieces'"}
        local i = 0
        print(load(function() i = i + 1 return parts[i] end)())
        local function sandbox() local _ENV = {print = print} y = 3 print(y) end
        sandbox()
        print(y)
    """,
    "math_library": """
        print(math.floor(-3.5), math.ceil(3.2), math.abs(-4), math.max(3, 7.5, -1), math.min(4, 2))
        print(math.sqrt(16), math.pi, math.huge, -math.huge, math.maxinteger, math.mininteger)
        print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3.5), math.modf(3.7), math.modf(-3.7))
        print(math.log(8, 2), math.log(100, 10), math.exp(0), math.sin(0), math.cos(0))
        print(math.ult(1, -1), math.tointeger(2^31), 7 // 0.0, math.floor(2^62) == 2^62)
        math.randomseed(123)
        print(math.random(1, 10), math.random(5), math.random(1000000), math.random() < 1)
    """,
    "method_calls_and_oop": """
        local Account = {}
        Account.__index = Account
        function Account.new(balance) return setmetatable({balance = balance}, Account) end
        function Account:deposit(v) self.balance = self.balance + v return self end
        function Account:get() return self.balance end
        local acc = Account.new(100)
        print(acc:deposit(50):deposit(25):get())
        local Special = setmetatable({}, {__index = Account})
        Special.__index = Special
        function Special:get() return "special " .. Account.get(self) end
        local s = setmetatable({balance = 7}, Special)
        print(s:get())
    """,
    "integer_overflow_wraps": """
        print(math.maxinteger * 2, math.mininteger - 1, -math.mininteger, math.maxinteger + 1.0)
        print(1 << 62, (1 << 63) - 1, 5 // -2, -5 // 2, 5 % -2, -5 % 2, 3.5 // 1)
        print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5))
    """,
    "string_pack_unpack": """
        local s = string.pack("<i4 >I2 b d s1 z", -2, 513, -1, 1.5, "hi", "zed")
        print(#s, s:byte(1, -1))
        print(string.unpack("<i4 >I2 b d s1 z", s))
        print(string.packsize("i4 i8 !8 d"), string.packsize("!4 b i4"), string.unpack("i3", string.pack("i3", -100)))
        print(pcall(string.pack, "i2", 40000), string.unpack("<f", string.pack("<f", 0.5)))
    """,
    "utf8_library": """
        print(utf8.char(72, 228, 8364, 128512), utf8.len("h\u{E4}ll\u{20AC}"), utf8.codepoint("h\u{E4}l", 1, -1))
        for p, c in utf8.codes("a\u{E9}\u{20AC}") do io.write(p, ":", c, " ") end print()
        print(utf8.offset("a\u{E9}\u{20AC}x", 3), utf8.offset("a\u{E9}\u{20AC}x", -1), utf8.len("\xff"), #utf8.charpattern)
        print(pcall(utf8.codepoint, "\xff"), utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))
    """,
    "coroutines": """
        local co = coroutine.create(function(a, b)
            local c = coroutine.yield(a + b)
            local d, e = coroutine.yield(c * 2)
            return d + e
        end)
        print(coroutine.resume(co, 1, 2)) print(coroutine.status(co))
        print(coroutine.resume(co, 10)) print(coroutine.resume(co, 3, 4))
        print(coroutine.status(co), coroutine.resume(co))
        local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
        print(gen(), gen(), gen())
        print(coroutine.isyieldable(), coroutine.resume(coroutine.create(function() return coroutine.isyieldable() end)))
        print(coroutine.resume(coroutine.create(function() error("oops") end)))
        print(pcall(coroutine.wrap(function() error("wrapped") end)))
        local co4 = coroutine.create(function() pcall(function() coroutine.yield(1) error("after") end) coroutine.yield(2) return 3 end)
        print(coroutine.resume(co4)) print(coroutine.resume(co4)) print(coroutine.resume(co4)) print(coroutine.resume(co4))
        print(coroutine.close(coroutine.create(print)), select(2, coroutine.running()))
    """,
    "too_many_syntax_levels": "x = " + "(" * 300 + "1" + ")" * 300,
    'error_object_with_tostring_has_no_traceback': 'error(setmetatable({}, {__tostring = function() return "custom object" end}))',
    'traceback_marks_tail_calls': 'local function a() error("x") end\nlocal function b() return a() end\nb()',
    'traceback_names_functions_like_puc': 'local function f() error("boom") end\nlocal function g() f() end\nfunction glob() g() end\nlocal t = {}\nfunction t.field() glob() end\nfunction t:meth() t.field() end\nt:meth()',
    'traceback_of_builtin_argument_error': 'string.rep()',
    'traceback_of_for_iterator': 'for k in function() error("iter") end do end',
    'traceback_of_tail_called_method_in_metamethod': 'local obj = {}\nfunction obj.run(self) return self.missing.x end\nlocal t = setmetatable({}, {__add = function(a, b) return obj:run() end})\nlocal _ = t + 1',
    'traceback_skips_middle_levels': 'local function r(n) if n == 0 then error("deep") end r(n - 1) end\nr(30)',
    'traceback_through_sort_comparator': 'table.sort({3, 2, 1}, function(x, y) return x.field < y end)',
    'traceback_through_wrap_and_metamethod': 'local co = coroutine.wrap(function() error("in co") end)\nlocal x = setmetatable({}, {__index = function(t, k) co() end})\nprint(x.y)',
    'traceback_with_error_level_2': 'local function lvl() error("lvl2", 2) end\nlocal function caller() lvl() end\ncaller()',
    "uncaught_error_table": "error({})",
    "uncaught_runtime_error": "local t = nil\nprint(t.x)",
    "syntax_error": "x = = 1",
    "syntax_error_unfinished": "if x then",
    "runtime_error_call_nil_global": "foo()",
    "os_exit_code": "io.write('bye\\n') os.exit(3)",
    # arrays long enough for the partition loop (8 and more elements)
    "sort_partitions_with_and_without_comparator": """
        local seed, t, r, s = 7, {}, {}, {}
        for i = 1, 300 do seed = (seed * 16807) % 2147483647 t[i] = seed % 1000 end
        for i = 1, 300 do r[i] = {id = i, v = t[i]} s[i] = "k" .. t[i] end
        table.sort(t, function(a, b) return a > b end)
        table.sort(r, function(a, b) if a.v ~= b.v then return a.v < b.v end return a.id > b.id end)
        table.sort(s)
        print(t[1], t[150], t[300], r[1].id, r[150].id, r[300].id, s[1], s[300])
        for i = 2, 300 do assert(t[i - 1] >= t[i]) assert(s[i - 1] <= s[i]) end
    """,
    "sort_comparator_error_inside_partition":
        "local n = 0\ntable.sort({9, 4, 7, 1, 8, 2, 6, 3, 5, 0, 11, 10}, function(a, b)"
        "\n  n = n + 1\n  if n == 12 then error('comparator gave up') end\n  return a < b\nend)",
}


@pytest.mark.skipif(not have_oracle(), reason="lua5.4 is not installed")
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_matches_lua54(name):
    source = SNIPPETS[name]
    ours = run_lua(source, progname="lua5.4")
    expected = run_oracle(source)
    assert ours.stdout == expected.stdout
    assert ours.status == expected.status
    assert ours.stderr == expected.stderr
