-- Binary trees (after the Computer Language Benchmarks Game task): many
-- short-lived small tables, recursive construction and traversal.
local maxdepth = tonumber(arg and arg[1]) or 14

local function bottom_up_tree(depth)
  if depth > 0 then
    depth = depth - 1
    return { bottom_up_tree(depth), bottom_up_tree(depth) }
  end
  return {}
end

local function item_check(tree)
  if tree[1] then
    return 1 + item_check(tree[1]) + item_check(tree[2])
  end
  return 1
end

local mindepth = 4
if mindepth + 2 > maxdepth then maxdepth = mindepth + 2 end

local stretchdepth = maxdepth + 1
print(string.format("stretch tree of depth %d\t check: %d",
                    stretchdepth, item_check(bottom_up_tree(stretchdepth))))

local longlived = bottom_up_tree(maxdepth)

for depth = mindepth, maxdepth, 2 do
  local iterations = 1
  for _ = 1, maxdepth - depth + mindepth do iterations = iterations * 2 end
  local check = 0
  for _ = 1, iterations do
    check = check + item_check(bottom_up_tree(depth))
  end
  print(string.format("%d\t trees of depth %d\t check: %d", iterations, depth, check))
end

print(string.format("long lived tree of depth %d\t check: %d",
                    maxdepth, item_check(longlived)))
