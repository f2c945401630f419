-- Pattern-heavy text processing: word frequencies, templating, CSV, trimming.
local text = [[
The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!
Numbers: 42, 3.14, -7 and 1e3 appear here. Emails: alice@example.com, bob.smith@mail.org.
Dates: 2024-01-15, 1999-12-31. Tags: #lua #rpython #jit
]]

local freq = {}
for word in text:lower():gmatch("%a+") do freq[word] = (freq[word] or 0) + 1 end
local words = {}
for w, n in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
for i = 1, 6 do io.write(words[i], "=", freq[words[i]], " ") end
print()

for email in text:gmatch("[%w%.]+@[%w%.]+%a") do print("email", email) end
for y, m, d in text:gmatch("(%d%d%d%d)-(%d%d)-(%d%d)") do print("date", y, m, d, os.time({year = y, month = m, day = d, hour = 0})) end
for tag in text:gmatch("#(%w+)") do io.write("[", tag, "]") end
print()
local nums = {}
for n in text:gmatch("%-?%d+%.?%d*e?%d*") do nums[#nums + 1] = tonumber(n) end
print(table.concat(nums, " "))

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
print("[" .. trim("   padded text \t\n") .. "]")

local template = "Hello ${name}, you are ${age} years old. ${unknown} stays."
print((template:gsub("%${(%w+)}", {name = "Ada", age = 36})))

local function split(s, sep)
  local fields = {}
  local pattern = string.format("([^%s]*)", sep)
  s:gsub(pattern, function(c) fields[#fields + 1] = c end)
  return fields
end
local csv = "name,age,,city"
local fields = split(csv, ",")
print(#fields, table.concat(fields, "|"))

local function capitalize(s) return (s:gsub("(%a)(%a*)", function(a, b) return a:upper() .. b end)) end
print(capitalize("hello big wide world"))
print(("%d items at %5.2f each = %8.3f"):format(3, 1.5, 4.5))
print(("abc"):rep(3, "-"), ("hello"):byte(1, 3), string.char(76, 117, 97))
print(("x"):rep(0), ("ab"):reverse(), ("MiXeD"):lower(), ("MiXeD"):upper())
print(("  a  b  "):gsub("%s+", " "))
print(string.format("%q", 'line1\nline2\t"quoted"\\'))
print(("f(a,b(c,d),e)"):match("%b()"), ("THE (quick) fox"):gsub("%f[%a]%a+", string.lower))
print(("hello world"):find("o", 6), ("hello"):find(""), ("hello"):match("^(h)(.-)(o)$"))
local escaped = ("1+1=2 (really?)"):gsub("[%(%)%.%+%-%*%?%[%]%^%$%%]", "%%%0")
print(escaped, ("1+1=2 (really?)"):find(escaped))
local count = select(2, text:gsub("the", "the"))
print("the count", count)
local line_no = 0
for line in (text .. "\n"):gmatch("(.-)\n") do line_no = line_no + 1 end
print("lines", line_no)
print(utf8 and utf8.char(72, 228, 8364, 128512), utf8 and utf8.len("häll€"))
