-- Print json.encode(json.decode(contents of arg[1])).
local json = require("cjson")
local file = assert(io.open(arg[1], "rb"))
local text = file:read("a")
file:close()
io.write(json.encode(json.decode(text)), "\n")
