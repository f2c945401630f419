-- Sequences grown by appending (past the powers of two where the array part
-- reserves room), their borders after removals, string.byte's positions, and
-- table.sort on short and long ranges, with and without comparators.

local t = {}
for i = 1, 1000 do t[#t + 1] = i * 2 end
print(#t, t[1], t[64], t[65], t[128], t[129], t[1000])
t[1000] = nil
print(#t)
for i = 999, 990, -1 do t[i] = nil end
print(#t)
t[#t + 1] = "back"
print(#t, t[#t])

local holes = {1, 2, nil, 4}
print(#holes == 4 or #holes == 2)
local out_of_order = {}
out_of_order[3] = 3 out_of_order[1] = 1 out_of_order[2] = 2
print(#out_of_order)
local record = {x = 1}
print(#record)
record[1] = "a"
print(#record, record[1], record.x)
local inserted = {}
for i = 1, 20 do table.insert(inserted, 1, i) end
print(#inserted, table.concat(inserted, ","))

print(string.byte("hello"), string.byte("hello", 2), string.byte("hello", -1))
print(string.byte("hello", 2, 4))
print(string.byte("", 1), string.byte("abc", 4), string.byte("abc", 0), string.byte("abc", 3, 2))
print(select("#", string.byte("abc", 10)), select("#", string.byte("abc", 1, -1)))
print(select("#", string.byte("abc", 0)), select("#", string.byte("abc", -10, 1)))
local hash = 0
local text = string.rep("The quick brown fox. ", 50)
for i = 1, #text, 3 do hash = (hash * 31 + string.byte(text, i)) % 1000003 end
print(hash)

for _, n in ipairs({2, 3, 5, 8, 9, 17, 100, 1000}) do
  local seed = n
  local numbers = {}
  for i = 1, n do seed = (seed * 16807) % 2147483647 numbers[i] = seed % 50 end
  local copy = {}
  for i = 1, n do copy[i] = numbers[i] end
  table.sort(numbers)
  table.sort(copy, function(a, b) return a > b end)
  local ok = true
  for i = 2, n do
    if numbers[i - 1] > numbers[i] or copy[i - 1] < copy[i] then ok = false end
  end
  print(n, ok, numbers[1], numbers[n], copy[1], copy[n])
end

local records = {}
for i = 1, 300 do records[i] = {id = i, score = (i * 7919) % 97} end
table.sort(records, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)
print(records[1].id, records[1].score, records[150].id, records[300].id, records[300].score)

local words = {"pear", "fig", "apple", "kiwi", "date", "plum", "lime"}
table.sort(words)
print(table.concat(words, " "))
print(pcall(table.sort, {3, 1, "x"}))
