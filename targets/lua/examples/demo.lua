-- The bundled demo script of `make demo`: run by rlua translated with
-- --sandbox, under `rplug run`.  Every effect below is a request the
-- controller decides.

print("Hello from sandboxed Lua (" .. _VERSION .. ")")

-- a read-only mounted file
local f = assert(io.open("/demo/data.txt", "r"))
local total, lines = 0, 0
for line in f:lines() do
  lines = lines + 1
  total = total + tonumber(line:match("(%d+)$"))
end
f:close()
print(string.format("read %d lines from /demo/data.txt, sum of the numbers: %d", lines, total))

-- the writable /tmp the controller backs with a host directory it owns
local out = assert(io.open("/tmp/report.txt", "w"))
out:write("lines=", lines, " total=", total, "\n")
out:close()
print("wrote /tmp/report.txt")

-- what the sandbox refuses
print("USER is " .. tostring(os.getenv("USER")) .. ", HOME is " .. tostring(os.getenv("HOME")))
print("open /etc/passwd:", io.open("/etc/passwd"))
print("os.execute:", pcall(os.execute, "echo escaped"))
print("the clock is virtual: " .. os.date("!%Y-%m-%d", os.time()))
