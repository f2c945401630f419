-- Error values, levels, messages and protected calls.
local function try(f, ...)
  local results = table.pack(pcall(f, ...))
  for i = 1, results.n do results[i] = tostring(results[i]) end
  print(table.concat(results, " | ", 1, results.n))
end

try(function() error("plain") end)
try(function() error("no position", 0) end)
try(function() local function f() error("caller", 2) end f() end)
try(function() error(setmetatable({}, {__tostring = function() return "custom error object" end})) end)
try(function() error() end)
try(function() return nil + 1 end)
try(function() local t = {} return t.x.y end)
try(function() return #nil end)
try(function() return {} .. "x" end)
try(function() return 1 < {} end)
try(function() return {} < {} end)
try(function() return math.huge // 0 end)
try(function() return 1 // 0 end)
try(function() return 1 % 0 end)
try(function() return 2^63 | 0 end)
try(function() return "abc" | 1 end)
try(function() return ("x"):rep(-1) end)
try(function() undefined_function() end)
try(function() local obj = {} obj:method() end)
try(function() string.rep() end)
try(function() setmetatable(1, {}) end)
try(function() return tostring() end)
try(function() return ipairs() end)
try(function() return select(0) end)
try(function() for i = 1, "x" do end end)
try(string.format, "%d", 1.5)
try(string.format, "%y", 1)
try(table.concat, {1, {}, 3})
try(table.insert, {}, 1, 2, 3)
try(next, {}, "nokey")

print(xpcall(function() error("in xpcall") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 2, 3))
print(select("#", pcall(error)))

-- nested pcall and error rethrow
local ok, err = pcall(function()
  local ok2, err2 = pcall(error, "inner")
  error("outer after " .. tostring(err2), 0)
end)
print(ok, err)

-- error in __tostring, __index depth, stack overflow
local deep = 0
local function recurse() deep = deep + 1 return recurse() + 1 end
local ok3, msg3 = pcall(recurse)
print(ok3, (msg3:gsub("^.-:%d+: ", "")), deep > 100)
local chain = setmetatable({}, {__index = function(t, k) return t[k] end})
print(pcall(function() return chain.x end))

-- to-be-closed variables see errors
do
  local ok4, err4 = pcall(function()
    local res <close> = setmetatable({}, {__close = function(_, e) print("closing with", e) end})
    error("fail inside", 0)
  end)
  print(ok4, err4)
end
print(pcall(function() local x <close> = 42 end))

-- tail calls do not grow the stack
local function loop(n) if n == 0 then return "tail done" end return loop(n - 1) end
print(loop(100000))

-- integer/float edge cases
print(math.maxinteger + 1 == math.mininteger, math.mininteger - 1 == math.maxinteger)
print(7 // 2, -7 // 2, 7 // -2, 7 % 3, -7 % 3, 7 % -3, -7.5 % 2, 7.5 % -2)
print(1e308 * 10, -1e308 * 10, 2^1024, math.tointeger(2^53), 2^53 + 1.0)
print(string.format("%.3f %.0f %5.1e %g %g", 2/3, 0.5, 12345.6789, 1e-5, 123456789))
print(8 // 3 * 3 + 8 % 3, 3.0 == 3, math.type(3 // 1), math.type(3.0 // 1))
print(tostring(1e15), tostring(1e16), tostring(-1e15), 2^63 == math.maxinteger + 1.0)
print(0x7fffffffffffffff + 1, 1 << 63, (1 << 63) >> 63, -1 >> 63, 1 << -1, 5 >> -1)
