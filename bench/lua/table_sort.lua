-- table.sort with Lua comparators: numbers by a one-line comparator, then
-- records by two fields (the comparator reads string keys of Lua-built tables).
local n = tonumber(arg and arg[1]) or 200000

local seed = 7
local function random(limit)
  seed = (seed * 16807) % 2147483647   -- exact in doubles too (LuaJIT)
  return seed % limit
end

local numbers, records = {}, {}
for i = 1, n do
  numbers[i] = random(1000000)
  records[i] = { id = i, score = random(100000) / 100 }
end

table.sort(numbers, function(a, b) return a > b end)
table.sort(records, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)

for i = 2, n do
  assert(numbers[i - 1] >= numbers[i])
end
print(numbers[1], numbers[n], records[1].id, records[n].id)
