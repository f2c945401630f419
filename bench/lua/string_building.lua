-- String building: concatenation, string.format, table.concat, sub, byte,
-- rep and gsub on many short strings.
local n = tonumber(arg and arg[1]) or 300000

local parts = {}
for i = 1, n do
  parts[#parts + 1] = "item" .. i .. ":" .. string.format("%05d", i % 1000) .. ";"
end
local joined = table.concat(parts)

local line = ""
local lines = 0
for i = 1, n do
  line = line .. string.sub(parts[i], 1, 4)
  if #line > 200 then
    lines = lines + 1
    line = ""
  end
end

local hash = 0
for i = 1, #joined, 7 do
  hash = (hash * 31 + string.byte(joined, i)) % 1000000007
end

local padded = {}
for i = 1, math.floor(n / 10) do
  padded[i] = string.rep("ab", i % 10) .. tostring(i)
end
local replaced, count = string.gsub(table.concat(padded, ","), "ab", "x")

print(string.format("%d %d %d %d %d", #joined, lines, hash, #replaced, count))
