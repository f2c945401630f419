-- Open result lists (table.unpack, ..., calls as last argument) longer than a
-- frame's fixed stack: the values past its end travel through the frame's
-- overflow list to the consuming call, return, constructor or coroutine.
local big = {} for i = 1, 300 do big[i] = i end
local function count(...) return select('#', ...) end
print(count(table.unpack(big)))
local t = {table.unpack(big)} print(#t, t[300])
local function pass(...) return ... end
print(count(pass(table.unpack(big))))
local function tail(...) return pass(...) end
print(count(tail(table.unpack(big))))
local s = 0 for _, v in ipairs({pass(table.unpack(big))}) do s = s + v end print(s)
print(select(299, table.unpack(big)))
local function va(...) local a, b = ... return a, b, select('#', ...) end
print(va(table.unpack(big)))
print(string.format(string.rep("%d", 40, ","), table.unpack(big)))
local co = coroutine.wrap(function(...) local n = count(...) coroutine.yield(n) return count(table.unpack(big, 1, 200)) end)
print(co(table.unpack(big)), co())
