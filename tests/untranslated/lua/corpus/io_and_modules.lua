-- Files through io (all read formats, seek, lines), os helpers, require.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(io.type(f), io.type(io.stdout), io.type(42))
f:write("first line\n", 42, " ", 3.5, "\n", "0x10 -7.25e1 rest\n", "no newline at end")
f:close()
print(io.type(f), pcall(f.write, f, "x"))

f = assert(io.open(name, "r"))
print(f:read("l"))
print(f:read("n", "n"))
print(f:read("L"))
print(f:read("n", "n", "l"))
print(f:read(2), f:read(0), f:read("a"))
print(f:read("a"), f:read("l"), f:read(0))
print(f:seek("set", 6), f:read(4), f:seek("cur"), f:seek("end"))
f:close()

local count = 0
for line in io.lines(name) do count = count + 1 end
print("lines", count)
for a, b in io.lines(name, 1, 2) do io.write("[", a, b, "]") break end
print()
local h = io.open(name)
for line in h:lines("L") do io.write(#line, " ") end
print()
h:close()

local g = assert(io.open(name, "a+"))
g:write("\nappended")
g:seek("set", 0)
print(g:read("l"))
g:close()
print(io.open(name):read("a"):sub(-8))

print(os.remove(name))
print(select("#", io.open(name)), (select(2, io.open(name))):gsub(name, "TMP"))
print(os.remove(name) == nil)
print(type(os.time()), type(os.clock()), os.date("%Y-%m-%d", 0), os.date("!%H:%M:%S", 3661))
print(os.time({year = 2000, month = 1, day = 1, hour = 0}), os.difftime(10, 4))
local d = os.date("!*t", 86400 * 365)
print(d.year, d.month, d.day, d.yday, d.wday, d.isdst)
print(os.getenv("RLUA_SURELY_UNSET_VARIABLE"), type(os.getenv("PATH")))

package.path = "./?.lua;" .. package.path
local helper = require("module_helper")
print(helper.greet("lua"), require("module_helper") == helper, package.loaded.module_helper == helper)
-- only the first line: the searched paths differ (lua5.4 has system paths and C loaders)
print((select(2, pcall(require, "no_such_module_anywhere")):match("^[^\n]*")))
print(io.write("chained "):write("writes\n") == io.stdout)
