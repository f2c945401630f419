-- A module loaded by io_and_modules.lua through require.
local M = {}
local loads = (LOAD_COUNT or 0) + 1
LOAD_COUNT = loads
function M.greet(who) return "hello " .. who .. " (load " .. loads .. ")" end
return M
