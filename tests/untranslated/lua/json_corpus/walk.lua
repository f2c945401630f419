-- Decode the file arg[1] and print every value with its path, keys sorted,
-- numbers as "%.14g" (the same text for lua-cjson's doubles and our integers).
local json = require("cjson")
local file = assert(io.open(arg[1], "rb"))
local text = file:read("a")
file:close()
local out = {}
local function key_order(a, b)
  if type(a) == type(b) then return a < b end
  return type(a) == "number"
end
local function walk(value, path)
  local kind = type(value)
  if kind == "table" then
    local keys = {}
    for key in pairs(value) do keys[#keys + 1] = key end
    table.sort(keys, key_order)
    out[#out + 1] = path .. " table " .. #keys .. " #" .. #value
    for _, key in ipairs(keys) do walk(value[key], path .. "/" .. tostring(key)) end
  elseif value == json.null then
    out[#out + 1] = path .. " null"
  elseif kind == "number" then
    out[#out + 1] = path .. " number " .. string.format("%.14g", value)
  else
    out[#out + 1] = path .. " " .. kind .. " " .. tostring(value)
  end
end
walk(json.decode(text), "")
io.write(table.concat(out, "\n"), "\n")
