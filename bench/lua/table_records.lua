-- Table of records: build records with string keys, sort them with a Lua
-- comparator, group and aggregate by a string field, filter and update.
local n = tonumber(arg and arg[1]) or 100000

local cities = { "Lisbon", "Oslo", "Quito", "Hanoi", "Lagos", "Perth", "Lima", "Riga" }
local seed = 42
local function random(limit)
  seed = (seed * 16807) % 2147483647   -- exact in doubles too (LuaJIT)
  return seed % limit
end

local records = {}
for i = 1, n do
  records[i] = {
    id = i,
    name = "user" .. i,
    city = cities[random(#cities) + 1],
    age = 18 + random(60),
    score = random(100000) / 100,
  }
end

-- group by city
local groups = {}
for i = 1, #records do
  local record = records[i]
  local group = groups[record.city]
  if group == nil then
    group = { count = 0, total_age = 0, best = record }
    groups[record.city] = group
  end
  group.count = group.count + 1
  group.total_age = group.total_age + record.age
  if record.score > group.best.score then group.best = record end
end

-- update and filter
local selected = {}
for round = 1, 10 do
  for i = 1, #records do
    local record = records[i]
    record.score = record.score + (record.age % 7) - 3
    if round == 10 and record.age > 60 and record.score > 500 then
      selected[#selected + 1] = record
    end
  end
end

table.sort(records, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)

local names = {}
for _, city in ipairs(cities) do
  local group = groups[city]
  names[#names + 1] = string.format("%s:%d:%d:%s", city, group.count,
                                    group.total_age, group.best.name)
end
print(table.concat(names, " "))
print(string.format("%d selected; top %s %.2f; bottom %s %.2f", #selected,
                    records[1].name, records[1].score, records[n].name, records[n].score))
