-- Producer/filter/consumer pipelines and generators built on coroutines.
local function producer(items)
  return coroutine.wrap(function()
    for _, item in ipairs(items) do coroutine.yield(item) end
  end)
end

local function filter(source, predicate)
  return coroutine.wrap(function()
    for item in source do
      if predicate(item) then coroutine.yield(item) end
    end
  end)
end

local function map(source, f)
  return coroutine.wrap(function()
    for item in source do coroutine.yield(f(item)) end
  end)
end

local numbers = {}
for i = 1, 30 do numbers[i] = i end
local pipeline = map(filter(producer(numbers), function(n) return n % 3 == 0 end), function(n) return n * n end)
local out = {}
for v in pipeline do out[#out + 1] = v end
print(table.concat(out, " "))

-- generator of permutations (classic)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  local co = coroutine.create(function() permgen(a) end)
  return function()
    local _, res = coroutine.resume(co)
    return res
  end
end
local perms = {}
for p in permutations({"a", "b", "c"}) do perms[#perms + 1] = table.concat(p) end
print(#perms, table.concat(perms, ","))

-- status transitions and values passed both ways
local log = {}
local co
co = coroutine.create(function(a)
  log[#log + 1] = "start " .. a .. " " .. coroutine.status(co)
  local b = coroutine.yield(a * 2)
  log[#log + 1] = "got " .. b
  local c, d = coroutine.yield(b + 1, "extra")
  return c .. d
end)
print(coroutine.status(co), coroutine.resume(co, 5))
print(coroutine.status(co), coroutine.resume(co, 7))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co), coroutine.resume(co))
print(table.concat(log, "; "))

-- yield across pcall and inside metamethods
local t = setmetatable({}, {__index = function(_, k) return coroutine.yield("index " .. k) end})
local co2 = coroutine.create(function()
  local ok, v = pcall(function() return t.foo end)
  return "done", ok, v
end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, "resumed value"))

-- errors inside coroutines
local bad = coroutine.create(function() local x = nil; return x.field end)
print(coroutine.resume(bad))
print(coroutine.status(bad), coroutine.resume(bad))
print(type(select(2, pcall(coroutine.wrap(function() error({code = 42}) end)))))
print(select(2, pcall(coroutine.wrap(function() error({code = 42}) end))).code)
print(coroutine.isyieldable(), coroutine.wrap(function() return coroutine.isyieldable() end)())
print(select(2, coroutine.running()))
print(pcall(coroutine.yield, 1))

-- many coroutines alive at once
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function(x) while true do x = coroutine.yield(x + i) end end)
end
local total = 0
for round = 1, 3 do
  for i = 1, 100 do
    local _, v = coroutine.resume(cos[i], round)
    total = total + v
  end
end
print("total", total)
