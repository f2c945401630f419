-- Syntax corners: varargs, multiple assignment, goto, nested closures, long strings.
local function sum(...)
  local total = 0
  for _, v in ipairs({...}) do total = total + v end
  return total, select("#", ...)
end
print(sum(1, 2, 3), (sum(4, 5)), sum())

local a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c)
local t = {(function() return 1, 2, 3 end)(), (function() return 1, 2, 3 end)()}
print(#t, t[1], t[4])

-- swap via multiple assignment and evaluation order
local x, y = 1, 2
x, y = y, x
print(x, y)
local arr = {10, 20, 30}
local i = 1
i, arr[i] = i + 1, 99
print(i, arr[1], arr[2])

-- goto continue, nested break
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_j end
    if i == 3 then break end
    io.write(i, ":", j, " ")
    ::next_j::
  end
end
print()

-- closures capture per-iteration variables
local fns = {}
for i = 1, 5 do fns[#fns + 1] = function() return i * i end end
local results = {}
for _, f in ipairs(fns) do results[#results + 1] = f() end
print(table.concat(results, ","))

-- shared upvalues between closures
local function make_account(balance)
  local function deposit(v) balance = balance + v end
  local function get() return balance end
  return deposit, get
end
local deposit, get = make_account(100)
deposit(50) deposit(-30)
print(get())

-- recursive local functions and mutual recursion
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(10), is_odd(7), is_even(7))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))

-- long strings and comments
local long = [==[
first line
with ]] inside
]==]
print(#long, long:sub(1, 10))
--[==[ a long
comment ]==]
print("escapes", "\x41\66\u{43}", "tab\tend", "a\z
       b")

-- numeric for with float steps and negative steps
for v = 10, 1, -3 do io.write(v, " ") end
for v = 0, 1, 0.25 do io.write(v, " ") end
print()

-- while/repeat with locals visible in until
local n = 0
repeat local done = n >= 3; n = n + 1 until done
print(n)

-- string coercions
print("10" + 5, "3" * "4", 10 .. 20, "2" ^ 2, -"3", "0x10" + 0, " 5 " * 2)

-- integer keys normalization and length
local tk = {}
tk[1.0] = "a"; tk[2] = "b"; tk[3.0] = "c"
print(#tk, tk[1], tk[3])

-- method call sugar on strings and numbers formatting
local s = "hello"
print(s:upper(), s:len(), ("%5.1f"):format(3.14159), #s)

-- environments
local function with_env()
  local _ENV = {print = print, tostring = tostring}
  z = 10
  print(z, tostring(_ENV.z))
end
with_env()
print(z)
local chunk = load("return a + b", "sum chunk", "t", {a = 1, b = 2})
print(chunk())
print(load("return ...")(7, 8))
print(select(2, load("x = ")))

-- integer division, bitwise ops, comparisons chain
print(17 // 5, 17 % 5, 17 / 5, 2 ^ 0.5, 0xF0 | 0x0F, 0xF0 & 0x3C, 0xF0 ~ 0xFF, ~0xF0, 1 << 4, 256 >> 4)
print(1 < 2 == true, "a" < "b", not nil, not 0, nil == false)
print(math.max(3, 9, 2), math.min(3, 9, 2), math.abs(-7), math.floor(-2.5), math.ceil(-2.5))
