-- lua-cjson API behaviour whose output is the same for Debian's lua-cjson
-- (numbers printed with "%.14g", no encode of unordered objects with more
-- than one key, errors of encode and of the option functions).
local json = require("cjson")
local function num(x) return string.format("%.14g", x) end
local function show(...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  print(table.concat(parts, " | "))
end

show(json._NAME, json._VERSION, type(json.null), json.decode("null") == json.null)
show(json.encode({1, 2, 3}), json.encode({}), json.encode({{}, {{}}}), json.encode({a = {b = {}}}))
show(json.encode("q\"b\\s/\1\31\127\b\f\n\r\t\195\169"), json.encode(true), json.encode(nil))
show(json.encode({json.null, false, "x"}), json.encode({1, nil, 3}), json.encode({[1] = 1, [10] = 10}))
show(json.encode(0.5), json.encode(-2.25), json.encode(1e300), json.encode(123))
show(pcall(json.encode, {[1] = 1, [20] = 2}))
show(pcall(json.encode, {[true] = 1}))
show(pcall(json.encode, {f = print}))
show(pcall(json.encode, 0/0))
show(pcall(json.encode, -1/0))
local cycle = {} cycle.self = cycle
show(pcall(json.encode, cycle))
show(pcall(json.encode))
show(pcall(json.decode))
show(pcall(json.decode, {}))
show(json.encode_sparse_array(), json.encode_max_depth(), json.decode_max_depth())
show(json.encode_sparse_array(true, 3, 4))
local sparse = json.decode(json.encode({[1] = "a", [9] = "b"}))
show(sparse["1"], sparse["9"], sparse[1])
show(pcall(json.encode_sparse_array, "maybe"))
show(pcall(json.decode_max_depth, 0))
show(pcall(json.encode_max_depth, "x"))
show(json.encode_invalid_numbers("null"), json.encode({0/0, 1/0}))
show(json.encode_invalid_numbers(false), json.decode_invalid_numbers(), json.encode_keep_buffer())
show(json.encode_max_depth(3), pcall(json.encode, {{{{1}}}}))
show(pcall(json.encode, {{{1}}}))
json.decode_max_depth(2)
show((pcall(json.decode, "[[1]]")))
show((pcall(json.decode, "[[[1]]]")))
local fresh = json.new()
show(fresh.decode_max_depth(), fresh.encode_max_depth(), fresh.null == json.null, fresh ~= json)

-- decoded tables behave like tables
local doc = json.decode('{"name": "rec", "n": 3, "list": [10, 20, 30], "sub": {"k": "v"}}')
show(doc.name, num(doc.n), #doc.list, num(doc.list[2]), doc.sub.k, doc.missing, doc[1])
doc.n = doc.n + 1
show(num(doc.n), json.encode(doc.list), json.encode(doc.sub))
doc.extra = "new"
doc.sub = nil
local keys = {}
for k in pairs(doc) do keys[#keys + 1] = k end
table.sort(keys)
show(table.concat(keys, ","), doc.extra, doc.sub)
doc[1] = "one"
show(doc[1], #doc, doc.name)
table.insert(doc.list, 40)
show(#doc.list, num(doc.list[4]), json.encode(doc.list))
local copy = json.decode(json.encode(doc))
show(copy.name, copy.extra, num(copy.n), copy["1"], #copy.list)
local records = json.decode('[{"a":1,"b":"x"},{"a":2,"b":"y"},{"b":"z","a":3}]')
local total, letters = 0, {}
for _, r in ipairs(records) do total = total + r.a letters[#letters + 1] = r.b end
show(num(total), table.concat(letters))
for _, r in ipairs(records) do r.a = nil end
show(records[1].a, records[2].b, next(records[3]))
